import { createHash } from "node:crypto";
import { formatAmzDate } from "./amzDate.js";
import { createCanonicalRequest } from "./createCanonicalRequest.js";
import { createStringToSign, credentialScope } from "./createStringToSign.js";
import { computeSignature, getSigningKey } from "./signingKey.js";
import { ALGORITHM } from "./types.js";

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  /** The path as it goes on the request line (percent-encoded), without the query. */
  path: string;
  /** The raw query string without "?". */
  query: string;
  /** Must include host. Names are lower-cased in the result. */
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/**
 * Signs a request with SigV4 (the Authorization header), as the SDKs do: x-amz-date, x-amz-content-sha256 and
 * x-amz-security-token added, every given header signed. The client side of the same canonicalisation the
 * verifier uses, for fedsim's own clients (fedsim curl, the test kit).
 */
export function signRequest(
  request: RequestToSign,
  credentials: SigningCredentials,
  scope: { region: string; service: string; now: Date },
): Record<string, string> {
  const amzDate = formatAmzDate(scope.now.getTime());
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash("sha256").update(request.body).digest("hex");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers["x-amz-date"] = amzDate;
  headers["x-amz-content-sha256"] = payloadHash;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const signed = Object.keys(headers).sort();
  const rawHeaders = signed.flatMap((name) => [name, headers[name]!]);
  const canonical = createCanonicalRequest(
    { method: request.method, path: request.path, query: request.query, rawHeaders },
    signed,
    payloadHash,
  );
  const credentialScopeText = credentialScope(date, scope.region, scope.service);
  const signature = computeSignature(
    getSigningKey(credentials.secretAccessKey, date, scope.region, scope.service),
    createStringToSign(amzDate, credentialScopeText, canonical),
  );
  headers.authorization =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScopeText}, ` +
    `SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  return headers;
}
