import type { Caller } from "../auth/caller.js";
import type { RequestContext } from "../auth/requestContext.js";

export type ContextValue = string | string[] | boolean | number;

/** Condition keys every request has, signed or not: where it came from and when. */
export function requestContextKeys(ctx: RequestContext): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    "aws:SourceIp": ctx.sourceIp,
    "aws:CurrentTime": ctx.now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": String(Math.floor(ctx.now.getTime() / 1000)),
    "aws:SecureTransport": ctx.secureTransport,
    "aws:RequestedRegion": ctx.region,
    "aws:ViaAWSService": false,
    "aws:PrincipalIsAWSService": false,
  };
  if (ctx.userAgent) keys["aws:UserAgent"] = ctx.userAgent;
  return keys;
}

/**
 * The global condition keys AWS sets for a signed request by this caller
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 */
export function callerContextKeys(caller: Caller, ctx: RequestContext): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    ...requestContextKeys(ctx),
    "aws:PrincipalArn": principalArnForConditions(caller),
    "aws:PrincipalAccount": caller.accountId,
    "aws:PrincipalType": principalType(caller),
    "aws:userid": caller.userId,
    "aws:MultiFactorAuthPresent": false,
  };
  if (caller.kind === "user" && caller.user) keys["aws:username"] = caller.user.name;
  if (caller.session) {
    keys["aws:TokenIssueTime"] = new Date(caller.session.issuedAt).toISOString().replace(/\.\d{3}Z$/, "Z");
    if (caller.session.sourceIdentity) keys["aws:SourceIdentity"] = caller.session.sourceIdentity;
    if (caller.kind === "assumed-role" && caller.session.sessionName)
      keys["aws:RoleSessionName"] = caller.session.sessionName;
    // Only provider keys: a stored key can never stand in for one of AWS's own (aws:*).
    for (const [key, values] of Object.entries(caller.session.federationKeys ?? {}))
      if (!key.toLowerCase().startsWith("aws:")) keys[key] = values.length === 1 ? values[0]! : values;
  }
  for (const [key, value] of principalTags(caller)) keys[`aws:PrincipalTag/${key}`] = value;
  return keys;
}

/** For role sessions aws:PrincipalArn is the role's ARN, not the session's (AWS documents this). */
export function principalArnForConditions(caller: Caller): string {
  if (caller.kind === "assumed-role" && caller.session?.roleArn) return caller.session.roleArn;
  return caller.arn;
}

function principalType(caller: Caller): string {
  switch (caller.kind) {
    case "user":
      return "User";
    case "root":
      return "Account";
    case "assumed-role":
      return "AssumedRole";
    case "federated-user":
      return "FederatedUser";
  }
}

/**
 * Session tags win over the role's or user's own tags with the same key, compared ignoring case as tag keys
 * are (the session's spelling is kept).
 */
export function principalTags(caller: Caller): Map<string, string> {
  const byLowerKey = new Map<string, { key: string; value: string }>();
  for (const t of caller.role?.tags ?? caller.user?.tags ?? []) byLowerKey.set(t.key.toLowerCase(), t);
  for (const t of caller.session?.tags ?? []) byLowerKey.set(t.key.toLowerCase(), t);
  // A Map: a tag may be named __proto__, which a plain object would swallow.
  return new Map([...byLowerKey.values()].map((t) => [t.key, t.value]));
}
