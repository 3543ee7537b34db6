import type { JsonWebKeySet } from "../../../core/oidc/jwks.js";
import { verifyToken } from "../../../core/oidc/verifyToken.js";
import type { Tag } from "../../../store/tags.js";
import { COGNITO_ISSUER, TAGS_CLAIM } from "../openIdToken.js";
import { invalidLogin } from "../refusal.js";
import { tokenRefusal } from "./tokenRefusal.js";
import { COGNITO_LOGIN, type LoginVerifier } from "./types.js";

/**
 * A token Cognito Identity issued, presented back under `cognito-identity.amazonaws.com` (the developer
 * flow: GetOpenIdTokenForDeveloperIdentity on the app's server, GetCredentialsForIdentity on the device).
 * It must be signed by fedsim's Cognito key, for this pool (aud), unexpired, and authenticated.
 */
export function cognitoTokenVerifier(jwks: JsonWebKeySet): LoginVerifier {
  return {
    async verify(token, pool, now) {
      const verified = await verifyToken(token, {
        jwks,
        issuer: COGNITO_ISSUER,
        audience: { oneOf: [pool.id] },
        now,
      });
      if (!verified.ok) throw tokenRefusal(token, verified, now, COGNITO_LOGIN);
      const amr = verified.claims.amr;
      if (!Array.isArray(amr) || !amr.every((v) => typeof v === "string"))
        throw invalidLogin(
          "Not a valid OpenId Connect identity token.",
          'the token\'s "amr" is not a list of strings',
        );
      if (!amr.includes("authenticated"))
        throw invalidLogin(
          "Not a valid OpenId Connect identity token.",
          "the token is an unauthenticated identity's: it proves no login",
        );
      return {
        kind: "cognito",
        provider: COGNITO_LOGIN,
        identityId: verified.claims.sub,
        amr: amr as string[],
        principalTags: principalTagsOf(verified.claims[TAGS_CLAIM]),
      };
    },
  };
}

/** `https://aws.amazon.com/tags`: {principal_tags: {key: [value]}}, as AWS's tokens carry session tags. */
function principalTagsOf(claim: unknown): Tag[] {
  if (typeof claim !== "object" || claim === null) return [];
  const tags = (claim as { principal_tags?: unknown }).principal_tags;
  if (typeof tags !== "object" || tags === null) return [];
  const out: Tag[] = [];
  for (const [key, values] of Object.entries(tags)) {
    const value = Array.isArray(values) ? values[0] : values;
    if (typeof value === "string") out.push({ key, value });
  }
  return out;
}
