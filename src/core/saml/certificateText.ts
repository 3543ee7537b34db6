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
  const der = Buffer.from(body, "base64");
  try {
    new X509Certificate(der);
  } catch {
    return undefined;
  }
  return der.toString("base64");
}

export function derBase64ToPem(derBase64: string): string {
  const lines = derBase64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
