// @peculiar/x509 builds on tsyringe, which needs the Reflect metadata polyfill loaded first.
import "reflect-metadata";
import { randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface GenerateSigningCertificateOptions {
  commonName: string;
  /** Start of validity; defaults to the current time (this is key generation, not core logic). */
  now?: Date;
  validDays?: number;
  /** Serial number bytes as hex; random by default, injectable for reproducible fixtures. */
  serialNumberHex?: string;
}

export interface SigningCertificate {
  privateKeyPem: string;
  certificatePem: string;
}

const RSA_SHA256 = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

/**
 * A self-signed RSA-2048/SHA-256 certificate for the built-in test IdP and for tests. SAML
 * trust is by exact certificate (metadata pins it), so no CA chain or key usage policy matters;
 * the key usage extension is still set so xmlsec1 and other tools accept it as a signing key.
 */
export async function generateSigningCertificate(
  options: GenerateSigningCertificateOptions,
): Promise<SigningCertificate> {
  if (!options.commonName) throw new TypeError("generateSigningCertificate: commonName is required");
  const crypto = webcrypto as unknown as Crypto;
  const keys = (await crypto.subtle.generateKey(RSA_SHA256, true, ["sign", "verify"])) as CryptoKeyPair;
  const notBefore = options.now ?? new Date();
  const notAfter = new Date(notBefore.getTime() + (options.validDays ?? 365) * 86_400_000);
  const serial = options.serialNumberHex ?? randomSerialHex();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial,
      name: [{ CN: [options.commonName] }],
      notBefore,
      notAfter,
      signingAlgorithm: RSA_SHA256,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    privateKeyPem: toPem(Buffer.from(pkcs8).toString("base64"), "PRIVATE KEY"),
    certificatePem: `${certificate.toString("pem").replace(/\r\n/g, "\n").trimEnd()}\n`,
  };
}

function randomSerialHex(): string {
  const bytes = randomBytes(16);
  // Positive and without a leading zero byte, as DER INTEGER encoding wants.
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString("hex");
}

function toPem(base64: string, label: string): string {
  return `-----BEGIN ${label}-----\n${(base64.match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${label}-----\n`;
}
