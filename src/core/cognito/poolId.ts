import { createHash } from "node:crypto";

/** AWS's IdentityPoolId and IdentityId shape (the model's pattern and length); the same for both. */
export const COGNITO_ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;
export const COGNITO_ID_PATTERN_TEXT = "[\\w-]+:[0-9a-f-]+";
export const COGNITO_ID_MAX = 55;

export function isCognitoId(value: string): boolean {
  return value.length >= 1 && value.length <= COGNITO_ID_MAX && COGNITO_ID_PATTERN.test(value);
}

/** The region an identity pool or identity id names: the part before its first colon. */
export function regionOfCognitoId(id: string): string {
  return id.slice(0, id.indexOf(":"));
}

/**
 * The id of a configured pool that does not fix one: `REGION:UUID`, the UUID taken from a hash of region,
 * account and name, so the same config gives the same id on every machine and every start (trust policies
 * name it), and two pools differing in any of the three never share one. Shaped as a version-4 UUID, as
 * AWS's pool ids are.
 */
export function derivedPoolId(region: string, accountId: string, name: string): string {
  const bytes = createHash("sha256")
    .update(`fedsim identity pool\n${region}\n${accountId}\n${name}`)
    .digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${region}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** arn:aws:cognito-identity:REGION:ACCOUNT:identitypool/ID, the resource IAM policies name. */
export function identityPoolArn(accountId: string, poolId: string): string {
  return `arn:aws:cognito-identity:${regionOfCognitoId(poolId)}:${accountId}:identitypool/${poolId}`;
}
