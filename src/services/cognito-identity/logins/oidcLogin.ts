import { verifyToken } from "../../../core/oidc/verifyToken.js";
import type { OidcProviderRow } from "../../../store/identityProviders.js";
import { invalidLogin } from "../refusal.js";
import { tokenRefusal } from "./tokenRefusal.js";
import type { LoginVerifier, OidcJwksSource } from "./types.js";

/**
 * A login from an IAM OpenID Connect provider, under its name (HOST[:PORT][/path]): the token's signature by
 * one of the provider's keys, its issuer (the provider's URL), an audience among the provider's client ids,
 * and its times, as AssumeRoleWithWebIdentity checks them.
 */
export function oidcLoginVerifier(
  key: string,
  provider: OidcProviderRow,
  jwksOf: OidcJwksSource,
): LoginVerifier {
  return {
    async verify(token, _pool, now) {
      const jwks = await jwksOf(provider);
      if (jwks === undefined)
        throw invalidLogin(
          "Couldn't verify signed token.",
          `fedsim has no signing keys for the OIDC provider ${provider.arn}: give it jwks in the config`,
        );
      const verified = await verifyToken(token, {
        jwks,
        issuer: provider.url.replace(/\/$/, ""),
        audience: { oneOf: provider.clientIds },
        now,
      });
      if (!verified.ok) throw tokenRefusal(token, verified, now, key);
      const claims = new Map(Object.entries(verified.claims));
      return {
        kind: "provider",
        provider: key,
        subject: verified.claims.sub,
        claims,
        amr: [key, `${key}:${verified.claims.sub}`],
      };
    },
  };
}
