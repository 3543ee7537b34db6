import { X509Certificate } from "node:crypto";

/**
 * One form for a certificate, whatever the source wrote: the base64 of its DER bytes. PEM
 * armour, line breaks and spaces (metadata and KeyInfo both pretty-print) are dropped.
 * Returns undefined when the bytes are not an X.509 certificate.
 */
export function certificateDerBase64(certificate: string): string | undefined {
  const body = certificate
    .replace(/-----BEGIN CERTIFICATE-----/, "")
    .replace(/-----END CERTIFICATE-----/, "")
    .replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  // Every assertion repeats its IdP's certificate in KeyInfo: parsing it once spares an X.509 parse per call
  // (a sixth of AssumeRoleWithSAML's time). Bounded, so a stream of junk certificates cannot grow it.
  const known = parsed.get(body);
  if (known !== undefined || parsed.has(body)) return known;
  const der = Buffer.from(body, "base64");
  let result: string | undefined;
  try {
    new X509Certificate(der);
    result = der.toString("base64");
  } catch {
    result = undefined;
  }
  if (parsed.size >= 256) parsed.clear();
  parsed.set(body, result);
  return result;
}

const parsed = new Map<string, string | undefined>();

export function derBase64ToPem(derBase64: string): string {
  const lines = derBase64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
