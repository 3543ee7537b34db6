import { z } from "zod";
import { COGNITO_ID_MAX, COGNITO_ID_PATTERN } from "../core/cognito/poolId.js";
import { MAX_RULES } from "../core/cognito/roleMapping.js";
import { configuredPoolId } from "./configuredPoolId.js";

/** A role in the same account by name, or any role by ARN. */
const roleRef = z.string().min(1);

const mappingRule = z
  .object({
    claim: z.string().min(1).max(64),
    matchType: z.enum(["Equals", "Contains", "StartsWith", "NotEqual"]),
    value: z.string().min(1).max(128),
    role: roleRef,
  })
  .strict();

const roleMapping = z
  .object({
    type: z.enum(["Token", "Rules"]),
    ambiguousRoleResolution: z.enum(["AuthenticatedRole", "Deny"]),
    rules: z.array(mappingRule).min(1).max(MAX_RULES).optional(),
  })
  .strict()
  .refine((m) => (m.type === "Rules") === (m.rules !== undefined), {
    message: "type Rules needs rules, and only type Rules takes them",
  });

const principalTagMap = z
  .object({
    /** AWS's default mappings: username from sub, client from aud. */
    useDefaults: z.boolean().default(false),
    /** Session tag key -> the claim (or SAML attribute) it takes its value from. */
    tags: z.record(z.string().min(1).max(128), z.string().min(1).max(256)).default({}),
  })
  .strict();

/**
 * A Cognito identity pool the config seeds. Trust policies and role mappings name the pool's id, so it is
 * either fixed here or derived from region, account and name: never random.
 */
export const identityPoolSchema = z
  .object({
    name: z
      .string()
      .regex(/^[\w\s+=,.@-]{1,128}$/, "1-128 characters of letters, digits, spaces and +=,.@-_"),
    id: z
      .string()
      .max(COGNITO_ID_MAX, `at most ${COGNITO_ID_MAX} characters`)
      .regex(COGNITO_ID_PATTERN, "an identity pool id REGION:UUID (AWS's pattern [\\w-]+:[0-9a-f-]+)")
      .optional(),
    allowUnauthenticatedIdentities: z.boolean().default(false),
    allowClassicFlow: z.boolean().default(false),
    developerProviderName: z
      .string()
      .regex(/^[\w._-]{1,128}$/, "1-128 characters of letters, digits and ._-")
      .optional(),
    /** SAML providers of this account by name, or by ARN. */
    samlProviders: z.array(z.string().min(1)).default([]),
    /** IAM OpenID Connect providers of this account by name (HOST[:PORT][/path]), or by ARN. */
    openIdConnectProviders: z.array(z.string().min(1)).default([]),
    /** Public providers (accounts.google.com, ...) -> app id, as AWS's SupportedLoginProviders. */
    supportedLoginProviders: z.record(z.string().min(1).max(128), z.string().min(1).max(128)).default({}),
    cognitoIdentityProviders: z
      .array(
        z
          .object({
            providerName: z.string().regex(/^[\w._:/-]{1,128}$/),
            clientId: z
              .string()
              .regex(/^[\w_]{1,128}$/)
              .optional(),
            serverSideTokenCheck: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    roles: z
      .object({ authenticated: roleRef.optional(), unauthenticated: roleRef.optional() })
      .strict()
      .default({}),
    /** Keyed by the login provider as Logins names it (a SAML provider's ARN, an OIDC provider's name). */
    roleMappings: z.record(z.string().min(1).max(128), roleMapping).default({}),
    principalTags: z.record(z.string().min(1).max(128), principalTagMap).default({}),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  })
  .strict();

export type IdentityPoolConfig = z.output<typeof identityPoolSchema>;

export { configuredPoolId };

/**
 * Checks across pools: an id names the config's region (pool ids start with their region), and no two pools
 * share an id (two pools of one account with the same name derive the same id unless one fixes its own).
 */
export function identityPoolIssues(
  config: { region: string; accounts: { id: string; identityPools: IdentityPoolConfig[] }[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, string>();
  config.accounts.forEach((account, i) => {
    account.identityPools.forEach((pool, j) => {
      const path = ["accounts", i, "identityPools", j];
      const id = configuredPoolId(config.region, account.id, pool);
      if (pool.id !== undefined && !pool.id.startsWith(`${config.region}:`)) {
        ctx.addIssue({
          code: "custom",
          path: [...path, "id"],
          message: `an identity pool id starts with its region, here ${config.region}:`,
        });
      }
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [...path, pool.id === undefined ? "name" : "id"],
          message: `duplicate identity pool id ${id}: already used at ${first}${pool.id === undefined ? " (ids are derived from region, account and name; give one pool its own id)" : ""}`,
        });
      } else seen.set(id, `accounts[${i}].identityPools[${j}]`);
    });
  });
}
