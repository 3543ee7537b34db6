import { createHmac } from "node:crypto";

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached per
 * secret/date/region/service: four HMACs saved on every request of a busy key. Bounded: cleared when full
 * (keys are cheap to rebuild and the set in use is small).
 */
const MAX_CACHED = 1024;
const cache = new Map<string, Buffer>();

export function getSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const id = `${secretAccessKey}\u0000${date}\u0000${region}\u0000${service}`;
  let key = cache.get(id);
  if (key === undefined) {
    const kDate = createHmac("sha256", `AWS4${secretAccessKey}`).update(date).digest();
    const kRegion = createHmac("sha256", kDate).update(region).digest();
    const kService = createHmac("sha256", kRegion).update(service).digest();
    key = createHmac("sha256", kService).update("aws4_request").digest();
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(id, key);
  }
  return key;
}

export function computeSignature(signingKey: Buffer, stringToSign: string): string {
  return createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
}
