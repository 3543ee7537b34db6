import { createHmac, timingSafeEqual } from "node:crypto";
import { AwsError } from "../../errors.js";
import type { ClientRow, PoolRow, PoolUserRow, UserPoolRepository } from "../../store/userPools.js";
import type { RoomDeps } from "../deps.js";
import type { CodeAttempts } from "./codes.js";
import type { PoolKeys } from "./poolKeys.js";
import type { SpentChallenges } from "./spentChallenges.js";

/** What every user-pool operation uses. */
export interface UserPoolDeps extends RoomDeps {
  repo: UserPoolRepository;
  keys: PoolKeys;
  /** Where codes and temporary passwords go, since they cannot be mailed offline. */
  log: (line: string) => void;
  /** Codes sent and wrong codes tried, per user (LimitExceededException). */
  attempts: CodeAttempts;
  /** SRP challenges answered, each good once. */
  spentChallenges: SpentChallenges;
}

export type Body = Record<string, unknown>;

export function asBody(body: unknown): Body {
  return body as Body;
}

export function str(body: Body, name: string, required: true): string;
export function str(body: Body, name: string, required?: false): string | undefined;
export function str(body: Body, name: string, required = false): string | undefined {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  if (value === undefined || value === null) {
    if (required)
      throw new AwsError(
        "InvalidParameterException",
        `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof value !== "string") throw new AwsError("SerializationException", `${name} must be a string`);
  return value;
}

/** A string-to-string map member (AuthParameters, ChallengeResponses, ClientMetadata) as a Map. */
export function stringMap(body: Body, name: string): Map<string, string> {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  const map = new Map<string, string>();
  if (value === undefined || value === null) return map;
  if (typeof value !== "object" || Array.isArray(value))
    throw new AwsError("SerializationException", `${name} must be a map of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new AwsError("SerializationException", `${name}.${k} must be a string`);
    map.set(k, v);
  }
  return map;
}

/** [{Name, Value}] attribute lists as a Map. */
export function attributeList(body: Body, name: string): Map<string, string> {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  const map = new Map<string, string>();
  if (value === undefined || value === null) return map;
  if (!Array.isArray(value)) throw new AwsError("SerializationException", `${name} must be a list`);
  for (const a of value) {
    const n = (a as Body)?.Name;
    const v = (a as Body)?.Value;
    if (typeof n !== "string" || (v !== undefined && typeof v !== "string"))
      throw new AwsError("SerializationException", `${name} entries need a string Name and Value`);
    map.set(n, v ?? "");
  }
  return map;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function requirePool(deps: UserPoolDeps, poolId: string): PoolRow {
  const pool = deps.repo.getPool(poolId);
  if (!pool) throw new AwsError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
  return pool;
}

export function requireClient(deps: UserPoolDeps, clientId: string, poolId?: string): ClientRow {
  const client = deps.repo.getClient(clientId);
  if (!client || (poolId !== undefined && client.poolId !== poolId))
    throw new AwsError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  return client;
}

/** A user known to exist, for admin calls (which never hide whether a user exists). */
export function requireUser(deps: UserPoolDeps, poolId: string, username: string): PoolUserRow {
  const user = deps.repo.getUser(poolId, username);
  if (!user) throw new AwsError("UserNotFoundException", "User does not exist.");
  return user;
}

/** Base64(HMAC-SHA256(client secret, username + client id)), which a client with a secret must send. */
export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac("sha256", secret).update(`${username}${clientId}`, "utf8").digest("base64");
}

/** The SECRET_HASH check for clients that have a secret; clients without one ignore it, as Cognito does. */
export function checkSecretHash(client: ClientRow, username: string, sent: string | undefined): void {
  if (client.secret === null) return;
  if (sent === undefined)
    throw new AwsError(
      "NotAuthorizedException",
      `Client ${client.id} is configured for secret but secret was not received`,
    );
  const expected = Buffer.from(secretHash(client.secret, username, client.id), "utf8");
  const actual = Buffer.from(sent, "utf8");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    throw new AwsError("NotAuthorizedException", `Unable to verify secret hash for client ${client.id}`);
}

export function epochSeconds(ms: number): number {
  return ms / 1000;
}

export function userAttributes(user: PoolUserRow): { Name: string; Value: string }[] {
  return [
    { Name: "sub", Value: user.sub },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  ];
}
