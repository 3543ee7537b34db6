/**
 * Size and time bounds for web identity tokens, checked before any JSON is parsed or key is imported.
 */

/** STS's limit on AssumeRoleWithWebIdentity's WebIdentityToken (length 4..20,000). */
export const MAX_TOKEN_CHARS = 20_000;

/**
 * The base64url header segment. Real headers are ~100 characters (alg, kid, typ); 4,096 leaves room for an
 * x5c certificate while keeping a padded header from costing a parse. The payload segment needs no bound of
 * its own: it cannot be longer than the token.
 */
export const MAX_HEADER_CHARS = 4096;

/**
 * AWS does not publish the clock skew STS allows on exp/nbf/iat; fedsim allows 60 seconds, the same as its
 * SAML verifier, enough for two machines with NTP and small enough that an expired token is refused promptly.
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/** The largest NumericDate fedsim reads (9999-12-31T23:59:59Z), so every accepted date prints as ISO 8601. */
export const MAX_NUMERIC_DATE = 253_402_300_799;
