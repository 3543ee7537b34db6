import type { Caller } from "../auth/caller.js";
import type { RequestContext } from "../auth/requestContext.js";
import { buildContext } from "../core/policy/context.js";
import type { ContextMap } from "../core/policy/types.js";

export type ContextValue = string | string[] | boolean | number;

/** Condition keys every request has, signed or not: where it came from and when. */
export function requestContextKeys(ctx: RequestContext): Record<string, ContextValue> {
  const time = timeKeys(ctx.now);
  const keys: Record<string, ContextValue> = {
    "aws:SourceIp": ctx.sourceIp,
    "aws:CurrentTime": time.currentTime,
    "aws:EpochTime": time.epochTime,
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
  // Added to the request's object rather than spread into a new literal: V8 builds a spread with a dozen
  // "aws:..." keys on a slow path (about 5 µs, a gateway request's whole budget for it).
  const keys = requestContextKeys(ctx);
  addCallerKeys(keys, caller);
  return keys;
}

function addCallerKeys(keys: Record<string, ContextValue>, caller: Caller): void {
  keys["aws:PrincipalArn"] = principalArnForConditions(caller);
  keys["aws:PrincipalAccount"] = caller.accountId;
  keys["aws:PrincipalType"] = principalType(caller);
  keys["aws:userid"] = caller.userId;
  keys["aws:MultiFactorAuthPresent"] = false;
  if (caller.kind === "user" && caller.user) keys["aws:username"] = caller.user.name;
  if (caller.session) {
    keys["aws:TokenIssueTime"] = isoSeconds(caller.session.issuedAt);
    if (caller.session.sourceIdentity) keys["aws:SourceIdentity"] = caller.session.sourceIdentity;
    if (caller.kind === "assumed-role" && caller.session.sessionName)
      keys["aws:RoleSessionName"] = caller.session.sessionName;
    // Only provider keys: a stored key can never stand in for one of AWS's own (aws:*).
    for (const [key, values] of Object.entries(caller.session.federationKeys ?? {}))
      if (!key.toLowerCase().startsWith("aws:")) keys[key] = values.length === 1 ? values[0]! : values;
  }
  for (const [key, value] of principalTags(caller)) keys[`aws:PrincipalTag/${key}`] = value;
}

/**
 * buildContext(callerContextKeys(caller, ctx)), entry for entry and in the same order, built for the hot
 * paths: the caller's part depends only on the session (or user) and the rows behind it, so it is worked out
 * once per session and reused for as long as the same (frozen, cached) rows stand behind the caller; a
 * changed role or user is a new row object, and a new entry. Only the request's own keys are built each time.
 */
export function callerContextMap(caller: Caller, ctx: RequestContext): ContextMap {
  const map = requestContextMap(ctx);
  for (const [key, values] of callerPart(caller)) map.set(key, values);
  return map;
}

/** buildContext(requestContextKeys(ctx)), without the object in between. */
export function requestContextMap(ctx: RequestContext): Map<string, readonly string[]> {
  const time = timeKeys(ctx.now);
  const map = new Map<string, readonly string[]>();
  map.set("aws:sourceip", [ctx.sourceIp]);
  map.set("aws:currenttime", time.currentTimeValues);
  map.set("aws:epochtime", time.epochTimeValues);
  map.set("aws:securetransport", ctx.secureTransport ? TRUE : FALSE);
  map.set("aws:requestedregion", [ctx.region]);
  map.set("aws:viaawsservice", FALSE);
  map.set("aws:principalisawsservice", FALSE);
  if (ctx.userAgent) map.set("aws:useragent", [ctx.userAgent]);
  return map;
}

// Shared value lists: evaluation and the decision log only read them (ContextMap's lists are readonly).
const TRUE: readonly string[] = Object.freeze(["true"]);
const FALSE: readonly string[] = Object.freeze(["false"]);

interface CallerPart {
  kind: Caller["kind"];
  arn: string;
  user: Caller["user"];
  role: Caller["role"];
  entries: ContextMap;
}

/** Keyed by the session row (or, for long-term keys, the user row): both are frozen and never change. */
const callerParts = new WeakMap<object, CallerPart>();

function callerPart(caller: Caller): ContextMap {
  const owner = caller.session ?? caller.user;
  const cached = owner && callerParts.get(owner);
  if (
    cached !== undefined &&
    cached.kind === caller.kind &&
    cached.arn === caller.arn &&
    cached.user === caller.user &&
    cached.role === caller.role
  )
    return cached.entries;
  const keys: Record<string, ContextValue> = {};
  addCallerKeys(keys, caller);
  const entries = buildContext(keys);
  if (owner)
    callerParts.set(owner, {
      kind: caller.kind,
      arn: caller.arn,
      user: caller.user,
      role: caller.role,
      entries,
    });
  return entries;
}

interface TimeKeys {
  second: number;
  currentTime: string;
  epochTime: string;
  currentTimeValues: readonly string[];
  epochTimeValues: readonly string[];
}

let lastTime: TimeKeys | undefined;

/** aws:CurrentTime and aws:EpochTime change once a second: formatted once per second, not per request. */
function timeKeys(now: Date): TimeKeys {
  const second = Math.floor(now.getTime() / 1000);
  if (lastTime?.second !== second) {
    const currentTime = isoSeconds(second * 1000);
    const epochTime = String(second);
    lastTime = {
      second,
      currentTime,
      epochTime,
      currentTimeValues: Object.freeze([currentTime]),
      epochTimeValues: Object.freeze([epochTime]),
    };
  }
  return lastTime;
}

/** ISO 8601 without milliseconds, as AWS writes aws:CurrentTime and aws:TokenIssueTime. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
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
