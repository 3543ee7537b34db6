import { z } from "zod";
import { USER_POOL_CLIENT_ID, USER_POOL_ID } from "../core/cognito/ids.js";

/** A Cognito user pool seeded from the config (accounts[].userPools). Ids are derived when not given. */
export const userPoolConfig = z
  .object({
    name: z
      .string()
      .regex(/^[\w\s+=,.@-]{1,128}$/, "1-128 characters of letters, digits, spaces and +=,.@_-"),
    id: z.string().regex(USER_POOL_ID, "a user pool id: REGION_ and 9 letters and digits").optional(),
    passwordPolicy: z
      .object({
        minimumLength: z.number().int().min(6).max(99).default(8),
        requireUppercase: z.boolean().default(true),
        requireLowercase: z.boolean().default(true),
        requireNumbers: z.boolean().default(true),
        requireSymbols: z.boolean().default(true),
      })
      .strict()
      .optional(),
    /** Where SignUp sends its confirmation code (AWS's API default: nowhere, so an admin confirms). */
    autoVerifiedAttributes: z.array(z.enum(["email", "phone_number"])).optional(),
    clients: z
      .array(
        z
          .object({
            name: z.string().regex(/^[\w\s+=,.@-]{1,128}$/, "1-128 characters"),
            id: z
              .string()
              .regex(USER_POOL_CLIENT_ID, "a client id: 26 lower-case letters and digits")
              .optional(),
            /** A client secret (SECRET_HASH then required); none for a public client. */
            secret: z
              .string()
              .regex(/^[\w+]{1,64}$/, "1-64 letters, digits, _ and +")
              .optional(),
            explicitAuthFlows: z.array(z.string()).optional(),
            preventUserExistenceErrors: z.enum(["LEGACY", "ENABLED"]).default("LEGACY"),
          })
          .strict(),
      )
      .default([]),
    groups: z
      .array(
        z
          .object({
            name: z.string().min(1).max(128),
            description: z.string().max(2048).optional(),
            roleArn: z.string().startsWith("arn:", "an ARN").optional(),
            precedence: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .default([]),
    users: z
      .array(
        z
          .object({
            username: z
              .string()
              .regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, "1-128 characters, no spaces"),
            password: z.string().min(1),
            attributes: z.record(z.string(), z.string()).default({}),
            groups: z.array(z.string()).default([]),
            enabled: z.boolean().default(true),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type UserPoolConfig = z.output<typeof userPoolConfig>;
