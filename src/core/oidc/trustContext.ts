import type { TokenClaims } from "./claims.js";

/** Google's issuer name: AWS reads its `azp` as the audience, and its `aud` as `oaud`. */
export const GOOGLE = "accounts.google.com";

export type WebIdentityTrustContext = Record<string, string | string[]>;

/**
 * The condition keys a role trust policy sees on sts:AssumeRoleWithWebIdentity, named after the provider
 * (`NAME:aud`, `NAME:sub`, and `NAME:amr` when the token has an amr claim, as Cognito's do). For Google,
 * `accounts.google.com:aud` is the token's `azp` when it has one and `accounts.google.com:oaud` then its `aud`,
 * as AWS's condition-key reference defines them.
 */
export function webIdentityTrustContext(input: {
  providerName: string;
  claims: TokenClaims;
  /** The audience that matched one of the provider's client ids. */
  audience: string;
}): WebIdentityTrustContext {
  const { providerName: name, claims, audience } = input;
  const context: WebIdentityTrustContext = { [`${name}:aud`]: audience, [`${name}:sub`]: claims.sub };
  if (name === GOOGLE && typeof claims.azp === "string" && claims.azp !== "") {
    context[`${name}:aud`] = claims.azp;
    context[`${name}:oaud`] = audience;
  }
  const amr = claims.amr;
  if (typeof amr === "string") context[`${name}:amr`] = amr;
  else if (Array.isArray(amr) && amr.length > 0 && amr.every((v) => typeof v === "string"))
    context[`${name}:amr`] = [...(amr as string[])];
  return context;
}
