import { createHash, timingSafeEqual } from "node:crypto";
import { assumedRoleArn, iamArn } from "../core/arn.js";
import { parseAuthorization } from "../core/sigv4/parseAuthorization.js";
import type { SignableRequest, SigV4Auth } from "../core/sigv4/types.js";
import { type PresignedLifetime, verifySignature } from "../core/sigv4/verifySignature.js";
import { AwsError } from "../errors.js";
import type { Store } from "../store/store.js";
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
  if (!session || !sameToken(auth.securityToken, session.sessionToken)) {
    throw new AwsError("InvalidClientTokenId", INVALID_TOKEN, { status: 403 });
  }
  if (now.getTime() >= session.expiresAt) {
    throw new AwsError("ExpiredToken", "The security token included in the request is expired", {
      status: 403,
    });
  }
  const base = {
    accountId: session.accountId,
    userId: session.userId,
    accessKeyId: session.accessKeyId,
    session,
  };
  let caller: Caller;
  switch (session.kind) {
    case "assumed-role": {
      const role = session.sourceId ? store.roles.get(session.sourceId) : undefined;
      caller = { ...base, kind: "assumed-role", arn: session.principalArn, role };
      // A role recreated under the same name is a different role: its old sessions keep their ARN but no role.
      if (
        role &&
        assumedRoleArn(role.accountId, role.name, session.sessionName ?? "") !== session.principalArn
      )
        caller.role = undefined;
      break;
    }
    case "federated-user":
      caller = {
        ...base,
        kind: "federated-user",
        arn: session.principalArn,
        user: session.sourceId ? store.users.get(session.sourceId) : undefined,
      };
      break;
    case "user-session": {
      if (session.sourceId === null) {
        caller = { ...base, kind: "root", arn: session.principalArn };
      } else {
        const user = store.users.get(session.sourceId);
        if (!user) throw new AwsError("InvalidClientTokenId", INVALID_TOKEN, { status: 403 });
        caller = { ...base, kind: "user", arn: session.principalArn, user };
      }
      break;
    }
  }
  return { secret: session.secretAccessKey, caller };
}

/** Session tokens are bearer secrets: compare them in constant time. */
function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  // Digests: equal lengths whatever the characters (a token of non-ASCII characters has more bytes than characters).
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
