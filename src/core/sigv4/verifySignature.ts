import { timingSafeEqual } from "node:crypto";
import { AwsError } from "../../errors.js";
import { formatAmzDate, parseAmzDate } from "./amzDate.js";
import { createCanonicalRequest } from "./createCanonicalRequest.js";
import { createStringToSign, credentialScope } from "./createStringToSign.js";
import { computeSignature, getSigningKey } from "./signingKey.js";
import { type SignableRequest, type SigV4Auth, UNSIGNED_PAYLOAD } from "./types.js";

export interface VerifyOptions {
  secretAccessKey: string;
  /** Hex SHA-256 of the body received, or UNSIGNED-PAYLOAD; for header auth, x-amz-content-sha256 when sent. */
  payloadHash: string;
  now: Date;
  /** The service this endpoint is; the credential scope must name it. */
  expectedService?: string;
  /** Whether the credential scope's region is one this endpoint answers for; default: any well-formed region name. */
  acceptsRegion?: (region: string) => boolean;
  /** Allowed distance between the signing time and now; AWS's is 15 minutes. */
  clockSkewSeconds?: number;
  /**
   * How long a presigned request stays valid. "x-amz-expires" (default, as S3): from X-Amz-Date for
   * X-Amz-Expires seconds. "clock-skew" (as STS and the other non-S3 services): like a header-signed
   * request, within the clock-skew window around X-Amz-Date, whatever X-Amz-Expires says.
   */
  presignedLifetime?: PresignedLifetime;
  /**
   * Whether a signature may leave the body out (UNSIGNED-PAYLOAD, declared or, for presigned requests, not),
   * as S3 allows. Default false, failing closed as AWS's other services do: they hash the body they receive
   * whatever the client declares, so payloadHash must be the body's hash and is the only one tried.
   */
  allowUnsignedPayload?: boolean;
}

export type PresignedLifetime = "x-amz-expires" | "clock-skew";

/** Region names as AWS's partitions write them: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ... */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(region: string): boolean {
  return REGION_NAME.test(region);
}

export const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function mismatch(message = SIGNATURE_MISMATCH): AwsError {
  return new AwsError("SignatureDoesNotMatch", message, { status: 403 });
}

/** Checks scope, time and signature; throws the AwsError an SDK would see from AWS, returns nothing when valid. */
export function verifySignature(request: SignableRequest, auth: SigV4Auth, options: VerifyOptions): void {
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    throw mismatch(`Credential should be scoped to correct service: '${options.expectedService}'. `);
  }
  if (!isRegionName(auth.region) || (options.acceptsRegion && !options.acceptsRegion(auth.region))) {
    throw mismatch(`Credential should be scoped to a valid region, not '${auth.region}'. `);
  }
  if (!auth.amzDate.startsWith(auth.date)) {
    throw mismatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`,
    );
  }
  if (!auth.signedHeaders.includes("host")) {
    throw mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  checkTime(auth, options);

  const key = getSigningKey(options.secretAccessKey, auth.date, auth.region, auth.service);
  const scope = credentialScope(auth.date, auth.region, auth.service);
  const presigned = auth.kind === "presigned";
  const sign = (payloadHash: string) =>
    computeSignature(
      key,
      createStringToSign(
        auth.amzDate,
        scope,
        createCanonicalRequest(request, auth.signedHeaders, payloadHash, presigned),
      ),
    );

  const allowUnsigned = options.allowUnsignedPayload ?? false;
  const declared = presigned ? auth.contentSha256 : undefined;
  const claimed = declared === UNSIGNED_PAYLOAD && !allowUnsigned ? undefined : declared;
  if (equalHex(sign(claimed ?? options.payloadHash), auth.signature)) return;
  // Presigned URLs made by S3-style presigners sign UNSIGNED-PAYLOAD without saying so in the query; where
  // the body need not be signed anyway, accepting both forms loses nothing.
  if (
    allowUnsigned &&
    presigned &&
    declared === undefined &&
    options.payloadHash !== UNSIGNED_PAYLOAD &&
    equalHex(sign(UNSIGNED_PAYLOAD), auth.signature)
  )
    return;
  throw mismatch();
}

function checkTime(auth: SigV4Auth, options: VerifyOptions): void {
  const signedAt = parseAmzDate(auth.amzDate);
  if (Number.isNaN(signedAt))
    throw new AwsError(
      "IncompleteSignature",
      `Date must be in ISO-8601 'basic format'. Got '${auth.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  const now = options.now.getTime();
  const skewSeconds = options.clockSkewSeconds ?? 900;
  const skew = skewSeconds * 1000;
  // The messages are worded only when thrown: formatting the times costs more than the whole check.
  if (signedAt > now + skew) {
    throw mismatch(
      `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + skew)} (${formatAmzDate(now)} + ${windowText(skewSeconds)})`,
    );
  }
  if (auth.kind === "presigned" && options.presignedLifetime !== "clock-skew") {
    if (now > signedAt + auth.expiresSeconds! * 1000)
      throw new AwsError("RequestExpired", "Request has expired.", { status: 403 });
    return;
  }
  if (signedAt < now - skew) {
    throw mismatch(
      `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - skew)} (${formatAmzDate(now)} - ${windowText(skewSeconds)})`,
    );
  }
}

/** AWS words the window in minutes: "(... - 15 min.)" for its APIs, "(... - 5 min.)" for API Gateway. */
function windowText(skewSeconds: number): string {
  return `${skewSeconds % 60 === 0 ? skewSeconds / 60 : (skewSeconds / 60).toFixed(1)} min.`;
}

function equalHex(computed: string, provided: string): boolean {
  if (computed.length !== provided.length) return false;
  return timingSafeEqual(Buffer.from(computed, "latin1"), Buffer.from(provided, "latin1"));
}
