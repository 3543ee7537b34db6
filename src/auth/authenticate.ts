import { createHash, hash, timingSafeEqual } from "node:crypto";
import { assumedRoleArn, iamArn } from "../core/arn.js";
import { parseAuthorization } from "../core/sigv4/parseAuthorization.js";
import type { SignableRequest, SigV4Auth } from "../core/sigv4/types.js";
import { type PresignedLifetime, verifySignature } from "../core/sigv4/verifySignature.js";
import { AwsError } from "../errors.js";
import type { RoleRow } from "../store/roles.js";
import type { SessionRow } from "../store/sessions.js";
import type { Store } from "../store/store.js";
import type { UserRow } from "../store/users.js";
import type { Caller } from "./caller.js";

const INVALID_TOKEN = "The security token included in the request is invalid.";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** A front door's signature rules, as data: each door states its own, and every message is built from them. */
export interface AuthRules {
  /** Allowed distance between the signing time and now. */
  clockSkewSeconds: number;
  /** How long presigned URLs live: within the clock-skew window, or for X-Amz-Expires (at most 7 days). */
  presignedLifetime: PresignedLifetime;
}

/**
 * The AWS APIs (STS, IAM and the JSON services): the body's hash always signed (UNSIGNED-PAYLOAD refused, as
 * every AWS service but S3), presigned requests valid within the 15-minute window whatever X-Amz-Expires says.
 */
export const AWS_API_RULES: AuthRules = { clockSkewSeconds: 900, presignedLifetime: "clock-skew" };

/**
 * API Gateway (execute-api): presigned URLs honour X-Amz-Expires up to 7 days, the buffered body's hash is
 * signed, and the clock-skew window is 5 minutes, as API Gateway's "Signature expired: ... (... - 5 min.)" shows.
 */
export const EXECUTE_API_RULES: AuthRules = { clockSkewSeconds: 300, presignedLifetime: "x-amz-expires" };

export interface AuthenticateInput {
  request: SignableRequest;
  /** Parsed already by the router (it needs the scope's service); parsed here when omitted. */
  auth?: SigV4Auth;
  /** The whole body, buffered: its hash is what the signature must cover. */
  body: Uint8Array;
  now: Date;
  /** The signing name the credential scope must carry (sts, iam, execute-api, ...). */
  expectedService: string;
  rules: AuthRules;
}

/**
 * Who signed this request: resolves the access key (long-term or temporary), checks the session token
 * and its expiry, then verifies the SigV4 signature under the front door's rules. Every failure is the AWS
 * error an SDK expects.
 */
export function authenticate(store: Store, input: AuthenticateInput): Caller {
  const auth = input.auth ?? parseAuthorization(input.request);
  if (!auth)
    throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", {
      status: 403,
    });

  const principal = resolveKey(store, auth, input.now);
  verifySignature(input.request, auth, {
    secretAccessKey: principal.secret,
    // Every front door but S3 hashes the body it receives whatever x-amz-content-sha256 says (an unsigned
    // Query body could be rewritten at will: it holds the Action and every parameter).
    payloadHash:
      input.body.length === 0 ? EMPTY_SHA256 : createHash("sha256").update(input.body).digest("hex"),
    now: input.now,
    expectedService: input.expectedService,
    clockSkewSeconds: input.rules.clockSkewSeconds,
    presignedLifetime: input.rules.presignedLifetime,
  });
  return principal.caller;
}

function resolveKey(store: Store, auth: SigV4Auth, now: Date): { secret: string; caller: Caller } {
  if (auth.accessKeyId.startsWith("ASIA")) return resolveSession(store, auth, now);
  const key = store.accessKeys.get(auth.accessKeyId);
  // A long-term key presented with a session token is not a valid credential pair.
  if (key?.status !== "Active" || auth.securityToken !== undefined) {
    throw new AwsError("InvalidClientTokenId", INVALID_TOKEN, { status: 403 });
  }
  if (key.userId === null) {
    return {
      secret: key.secretAccessKey,
      caller: {
        kind: "root",
        accountId: key.accountId,
        arn: iamArn(key.accountId, "root"),
        userId: key.accountId,
        accessKeyId: key.accessKeyId,
      },
    };
  }
  const user = store.users.get(key.userId);
  if (!user) throw new AwsError("InvalidClientTokenId", INVALID_TOKEN, { status: 403 });
  return {
    secret: key.secretAccessKey,
    caller: {
      kind: "user",
      accountId: user.accountId,
      arn: iamArn(user.accountId, "user", user.name, user.path),
      userId: user.id,
      accessKeyId: key.accessKeyId,
      user,
    },
  };
}

function resolveSession(store: Store, auth: SigV4Auth, now: Date): { secret: string; caller: Caller } {
  const session = store.sessions.get(auth.accessKeyId);
  if (!session || !sameToken(auth.securityToken, session)) {
    throw new AwsError("InvalidClientTokenId", INVALID_TOKEN, { status: 403 });
  }
  if (now.getTime() >= session.expiresAt) {
    throw new AwsError("ExpiredToken", "The security token included in the request is expired", {
      status: 403,
    });
  }
  // The role or user row read now: what the caller is made of besides the session, and what a cached
  // caller is checked against (rows are cached and frozen until an IAM write, which makes new ones).
  const source = !session.sourceId
    ? undefined
    : session.kind === "assumed-role"
      ? store.roles.get(session.sourceId)
      : store.users.get(session.sourceId);
  const cached = sessionCallers.get(session);
  if (cached !== undefined && cached.source === source)
    return { secret: session.secretAccessKey, caller: cached.caller };
  const caller = sessionCaller(session, source);
  sessionCallers.set(session, { source, caller });
  return { secret: session.secretAccessKey, caller };
}

/**
 * The caller of a session, kept per session row (frozen, never changed once issued) with the role or user
 * row it was made from: a signed request with temporary credentials, the common case at the gateway, then
 * builds no caller (and no ARN to compare) of its own. Callers are shared, so they are frozen.
 */
const sessionCallers = new WeakMap<SessionRow, { source: RoleRow | UserRow | undefined; caller: Caller }>();

function sessionCaller(session: SessionRow, source: RoleRow | UserRow | undefined): Caller {
  const base = {
    accountId: session.accountId,
    userId: session.userId,
    accessKeyId: session.accessKeyId,
    session,
  };
  switch (session.kind) {
    case "assumed-role": {
      const role = source as RoleRow | undefined;
      // A role recreated under the same name is a different role: its old sessions keep their ARN but no role.
      const same =
        role !== undefined &&
        assumedRoleArn(role.accountId, role.name, session.sessionName ?? "") === session.principalArn;
      return Object.freeze({
        ...base,
        kind: "assumed-role",
        arn: session.principalArn,
        role: same ? role : undefined,
      });
    }
    case "federated-user":
      return Object.freeze({
        ...base,
        kind: "federated-user",
        arn: session.principalArn,
        user: source as UserRow | undefined,
      });
    case "user-session": {
      if (session.sourceId === null)
        return Object.freeze({ ...base, kind: "root", arn: session.principalArn });
      if (!source) throw new AwsError("InvalidClientTokenId", INVALID_TOKEN, { status: 403 });
      return Object.freeze({ ...base, kind: "user", arn: session.principalArn, user: source as UserRow });
    }
  }
}

/**
 * Session tokens are bearer secrets: compared in constant time, as digests (equal lengths whatever the
 * characters: a token of non-ASCII characters has more bytes than characters). The session's own is
 * hashed once and kept with its row.
 */
function sameToken(presented: string | undefined, session: SessionRow): boolean {
  if (presented === undefined) return false;
  let expected = tokenDigests.get(session);
  if (expected === undefined) {
    expected = digest(session.sessionToken);
    tokenDigests.set(session, expected);
  }
  return timingSafeEqual(digest(presented), expected);
}

const tokenDigests = new WeakMap<SessionRow, Buffer>();

function digest(text: string): Buffer {
  return hash("sha256", text, "buffer");
}
