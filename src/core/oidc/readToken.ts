import { algorithmProblem, type SigningAlgorithm } from "./algorithms.js";
import { MAX_HEADER_CHARS, MAX_TOKEN_CHARS } from "./limits.js";
import { printable, refuse, type TokenRefusal } from "./refusal.js";
import { parseJsonObject } from "./strictJson.js";

/** The protected header of an accepted token. `jku`, `x5u`, `jwk` and `x5c` may be present; nothing reads them. */
export interface TokenHeader {
  alg: SigningAlgorithm;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

export type ReadTokenResult =
  | { ok: true; header: TokenHeader; payload: Record<string, unknown> }
  | TokenRefusal;

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a compact JWS without verifying it: bounds, shape, header rules and the two JSON objects. verifyToken
 * starts here; the service layer may also call it to find the `iss` that names the provider (and so the JWKS)
 * before verifying. Nothing read here is trustworthy until verifyToken has checked the signature.
 */
export function readToken(token: string): ReadTokenResult {
  if (typeof token !== "string") throw new TypeError("readToken: token must be a string");
  if (token.length > MAX_TOKEN_CHARS) {
    return refuse(
      "too-large",
      `The token is ${token.length} characters long; web identity tokens are limited to ${MAX_TOKEN_CHARS}.`,
    );
  }
  const parts = token.split(".");
  if (parts.length === 5) {
    return refuse(
      "unsupported",
      "The token has 5 parts, so it is an encrypted JWE; send the signed ID token (3 parts) instead.",
    );
  }
  if (parts.length !== 3) {
    return refuse(
      "malformed",
      `The token has ${parts.length} dot-separated part${parts.length === 1 ? "" : "s"}; a signed JWT has exactly 3 (header.payload.signature).`,
    );
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (headerPart.length > MAX_HEADER_CHARS) {
    return refuse(
      "too-large",
      `The token header is ${headerPart.length} base64url characters; fedsim reads headers up to ${MAX_HEADER_CHARS}.`,
    );
  }
  const header = decodeObject(headerPart, "header");
  if (!header.ok) return header;
  const headerProblem = checkHeader(header.value);
  if (headerProblem) return headerProblem;
  const payload = decodeObject(payloadPart, "payload");
  if (!payload.ok) return payload;
  if (signaturePart === "" || !isBase64url(signaturePart)) {
    return refuse(
      "malformed",
      signaturePart === ""
        ? "The token has an empty signature part; an unsigned token is never accepted."
        : "The token's signature part is not unpadded base64url.",
    );
  }
  return { ok: true, header: header.value as TokenHeader, payload: payload.value };
}

function decodeObject(
  part: string,
  name: "header" | "payload",
): { ok: true; value: Record<string, unknown> } | TokenRefusal {
  if (part === "" || !isBase64url(part)) {
    return refuse("malformed", `The token's ${name} part is not unpadded base64url.`);
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.from(part, "base64url"));
  } catch {
    return refuse("malformed", `The token's ${name} is not UTF-8 text.`);
  }
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return refuse("malformed", `The token's ${name} ${parsed.problem}.`);
  return parsed;
}

/** Node's base64url decoder skips characters it does not know, so the alphabet is checked first. */
function isBase64url(part: string): boolean {
  return BASE64URL.test(part) && part.length % 4 !== 1;
}

/**
 * Headers that would change what the signature means are refused rather than ignored: `crit` names
 * extensions the verifier must understand, `b64: false` signs the payload unencoded (RFC 7797), `enc` and
 * `zip` belong to JWE, and `cty: JWT` wraps another token whose own issuer and signature would go unchecked.
 */
function checkHeader(header: Record<string, unknown>): TokenRefusal | undefined {
  const algProblem = algorithmProblem(header.alg);
  if (algProblem) return refuse(typeof header.alg === "string" ? "algorithm" : "malformed", algProblem);
  for (const name of ["crit", "b64", "enc", "zip"]) {
    if (Object.hasOwn(header, name)) {
      return refuse(
        "unsupported",
        `The token header has "${name}", which fedsim does not accept on a web identity token; sign a plain JWT.`,
      );
    }
  }
  if (typeof header.cty === "string" && header.cty.toUpperCase() === "JWT") {
    return refuse(
      "unsupported",
      'The token header has cty "JWT" (a nested token); send the inner ID token itself.',
    );
  }
  if (Object.hasOwn(header, "kid") && (typeof header.kid !== "string" || header.kid === "")) {
    return refuse("malformed", 'The token header\'s "kid" must be a non-empty string.');
  }
  if (Object.hasOwn(header, "typ") && typeof header.typ !== "string") {
    return refuse(
      "malformed",
      `The token header's "typ" must be a string, not ${printable(JSON.stringify(header.typ))}.`,
    );
  }
  return undefined;
}
