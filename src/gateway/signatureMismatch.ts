import { createHash } from "node:crypto";
import { createCanonicalRequest } from "../core/sigv4/createCanonicalRequest.js";
import { createStringToSign, credentialScope } from "../core/sigv4/createStringToSign.js";
import { type SignableRequest, type SigV4Auth, UNSIGNED_PAYLOAD } from "../core/sigv4/types.js";

/**
 * API Gateway's signature-mismatch message goes on to show the canonical request and the string to sign it
 * computed, so a client author can diff them against their own. Rebuilt here, on the failure path only.
 */
export function mismatchDetails(request: SignableRequest, auth: SigV4Auth, body: Uint8Array): string {
  const presigned = auth.kind === "presigned";
  const bodyHash = createHash("sha256").update(body).digest("hex");
  // As verifySignature tries it: a presigned request's declared body hash, unless it is UNSIGNED-PAYLOAD.
  const declared = presigned && auth.contentSha256 !== UNSIGNED_PAYLOAD ? auth.contentSha256 : undefined;
  const canonical = createCanonicalRequest(request, auth.signedHeaders, declared ?? bodyHash, presigned);
  const stringToSign = createStringToSign(
    auth.amzDate,
    credentialScope(auth.date, auth.region, auth.service),
    canonical,
  );
  return `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`;
}
