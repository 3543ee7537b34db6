import { AwsError } from "../../errors.js";
import { amzDateFromHttpDate } from "./amzDate.js";
import { headerValue } from "./canonicalHeaders.js";
import { queryParameters } from "./canonicalQuery.js";
import { ALGORITHM, type SignableRequest, type SigV4Auth } from "./types.js";
import { safeDecode } from "./uriEncode.js";

/**
 * Reads the SigV4 claim of a request, from the Authorization header or the presigned X-Amz-* query
 * parameters. Returns undefined when the request carries no SigV4 auth at all; throws IncompleteSignature
 * (400) with AWS-like wording when it tries and gets the form wrong.
 *
 * Anything said twice is refused rather than read once: were the first `Signature=` read and a later one
 * ignored (or the other way round), a proxy, a log or a second verifier reading the other copy would see a
 * different claim from the one verified.
 */
export function parseAuthorization(request: SignableRequest): SigV4Auth | undefined {
  const header = headerValue(request.rawHeaders, "authorization");
  if (header !== undefined) {
    if (authorizationHeaderCount(request.rawHeaders) > 1)
      throw incomplete("The request carries more than one Authorization header.");
    return fromHeader(request, header);
  }
  if (/(^|&)X-Amz-(Algorithm|Credential|Signature)=/.test(request.query)) return fromQuery(request);
  return undefined;
}

function incomplete(message: string): AwsError {
  return new AwsError("IncompleteSignature", message);
}

function fromHeader(request: SignableRequest, header: string): SigV4Auth {
  const trimmed = header.trim();
  const space = trimmed.indexOf(" ");
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incomplete(
      `Unsupported AWS 'algorithm': '${algorithm}'. fedsim accepts only ${ALGORITHM} (Signature Version 4).`,
    );
  }
  const parts = new Map<string, string>();
  for (const item of trimmed.slice(space + 1).split(",")) {
    const eq = item.indexOf("=");
    if (eq <= 0) continue;
    const name = item.slice(0, eq).trim();
    // Unknown names too: a repeated one is as ambiguous, and no client sends either.
    if (parts.has(name)) {
      throw incomplete(
        `Authorization header has the '${name.slice(0, 64)}' parameter more than once. Authorization=${trimmed.slice(0, 256)}`,
      );
    }
    parts.set(name, item.slice(eq + 1).trim());
  }
  const amzDate = headerValue(request.rawHeaders, "x-amz-date") ?? dateHeader(request);
  const missing: string[] = [];
  for (const name of ["Credential", "Signature", "SignedHeaders"]) {
    if (!parts.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (amzDate === undefined)
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) throw incomplete(`${missing.join(" ")} Authorization=${trimmed.slice(0, 256)}`);
  const scope = parseCredential(parts.get("Credential")!);
  return {
    kind: "header",
    ...scope,
    signedHeaders: parts.get("SignedHeaders")!.split(";"),
    signature: parts.get("Signature")!,
    amzDate: amzDate!,
    securityToken: headerValue(request.rawHeaders, "x-amz-security-token"),
    contentSha256: headerValue(request.rawHeaders, "x-amz-content-sha256"),
  };
}

function fromQuery(request: SignableRequest): SigV4Auth {
  const repeated = repeatedAmzParameter(request.query);
  if (repeated !== undefined) {
    throw incomplete(
      `AWS query-string authentication requires each X-Amz-* parameter once, but ${repeated.slice(0, 64)} appears more than once.`,
    );
  }
  const q = queryParameters(request.query);
  const algorithm = q.get("X-Amz-Algorithm");
  if (algorithm !== ALGORITHM) {
    throw incomplete(
      `Unsupported AWS 'algorithm': '${algorithm ?? ""}'. fedsim accepts only ${ALGORITHM} (Signature Version 4).`,
    );
  }
  const missing = [
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Expires",
  ].filter((n) => !q.get(n));
  if (missing.length > 0)
    throw incomplete(`AWS query-string authentication requires the parameters ${missing.join(", ")}.`);
  const expires = q.get("X-Amz-Expires")!;
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > 604_800) {
    throw incomplete("X-Amz-Expires must be a whole number of seconds from 1 to 604800 (one week).");
  }
  return {
    kind: "presigned",
    ...parseCredential(q.get("X-Amz-Credential")!),
    signedHeaders: q.get("X-Amz-SignedHeaders")!.split(";"),
    signature: q.get("X-Amz-Signature")!,
    amzDate: q.get("X-Amz-Date")!,
    expiresSeconds: Number(expires),
    securityToken: q.get("X-Amz-Security-Token"),
    contentSha256: q.get("X-Amz-Content-Sha256"),
  };
}

function parseCredential(credential: string): Pick<SigV4Auth, "accessKeyId" | "date" | "region" | "service"> {
  const parts = credential.split("/");
  if (
    parts.length !== 5 ||
    parts.some((p) => p === "") ||
    parts[4] !== "aws4_request" ||
    !/^\d{8}$/.test(parts[1]!)
  ) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/aws4_request, got '${credential.slice(0, 256)}'.`,
    );
  }
  return { accessKeyId: parts[0]!, date: parts[1]!, region: parts[2]!, service: parts[3]! };
}

function authorizationHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i]!.toLowerCase() === "authorization") count++;
  return count;
}

/** The first X-Amz-* query parameter name (decoded, as queryParameters reads it) given more than once. */
function repeatedAmzParameter(rawQuery: string): string | undefined {
  const seen = new Set<string>();
  for (const part of rawQuery.split("&")) {
    const eq = part.indexOf("=");
    const name = safeDecode(eq === -1 ? part : part.slice(0, eq));
    if (!name.startsWith("X-Amz-")) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function dateHeader(request: SignableRequest): string | undefined {
  const date = headerValue(request.rawHeaders, "date");
  return date === undefined ? undefined : amzDateFromHttpDate(date);
}
