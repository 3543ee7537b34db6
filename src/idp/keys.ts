import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface SigningKeys {
  privateKeyPem: string;
  certificatePem: string;
}

const KEY_FILE = "idp-signing.key";
const CERT_FILE = "idp-signing.pem";

/** Whether the IdP's key pair is in `dir` already (else the next start makes it: a second or so). */
export function idpKeysExist(dir: string): boolean {
  return existsSync(join(dir, KEY_FILE)) && existsSync(join(dir, CERT_FILE));
}

/**
 * The built-in test IdP's signing key pair: read from `certs/`, or generated there on first start.
 * Written to a temporary name and renamed, so two processes starting together never read half a file.
 */
export async function loadOrCreateIdpKeys(dir: string, now: Date): Promise<SigningKeys> {
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  if (idpKeysExist(dir)) {
    return { privateKeyPem: readFileSync(keyPath, "utf8"), certificatePem: readFileSync(certPath, "utf8") };
  }
  mkdirSync(dir, { recursive: true });
  // Loaded only when keys must be made: the X.509 toolkit is the slowest import on the start-up path.
  const { generateSigningCertificate } = await import("../core/saml/certificates.js");
  const generated = await generateSigningCertificate({
    commonName: "fedsim built-in test IdP (local testing only)",
    now,
    validDays: 3650,
  });
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(keyPath + suffix, generated.privateKeyPem, { mode: 0o600 });
  writeFileSync(certPath + suffix, generated.certificatePem);
  chmodSync(keyPath + suffix, 0o600);
  renameSync(keyPath + suffix, keyPath);
  renameSync(certPath + suffix, certPath);
  return { privateKeyPem: generated.privateKeyPem, certificatePem: generated.certificatePem };
}
