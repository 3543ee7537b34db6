import { readToken } from "../../../core/oidc/readToken.js";
import type { TokenRefusal } from "../../../core/oidc/refusal.js";
import type { AwsError } from "../../../errors.js";
import { invalidLogin } from "../refusal.js";

/**
 * A JWT the verifier refused, as Cognito Identity words it: "Invalid login token." and AWS's phrase for the
 * fault where fedsim knows it (expiry, signature, issuer, audience), else the verifier's own sentence. The
 * decision log always gets the verifier's sentence.
 */
export function tokenRefusal(token: string, refused: TokenRefusal, now: Date, provider: string): AwsError {
  const detail = `${provider}: ${refused.message}`;
  switch (refused.reason) {
    case "expired": {
      const read = readToken(token);
      const exp = read.ok ? read.payload.exp : undefined;
      return invalidLogin(`Token expired: ${Math.floor(now.getTime() / 1000)} >= ${String(exp)}`, detail);
    }
    case "signature":
    case "unknown-kid":
    case "key-type":
    case "jwks":
      return invalidLogin("Couldn't verify signed token.", detail);
    case "issuer":
      return invalidLogin("Issuer doesn't match providerName", detail);
    case "audience":
      return invalidLogin("Incorrect token audience.", detail);
    default:
      return invalidLogin(refused.message, detail);
  }
}
