import { AwsError } from "../../errors.js";
import { invalidToken } from "./samlErrors.js";

// Line breaks are allowed because IdPs that post a form often wrap base64 at 76 columns.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict base64 → UTF-8 text. The length limit is checked on the encoded text before any work
 * and on the decoded bytes after, so neither a long string nor a decoding trick costs memory.
 */
export function decodeSamlBase64(encoded: string, maxBytes: number): string {
  if (encoded.length > maxBytes) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value at 'SAMLAssertion' failed to satisfy constraint: Member must have length less than or equal to ${maxBytes}`,
    );
  }
  const compact = encoded.replace(/[\r\n\t ]/g, "");
  if (compact.length < 4 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw invalidToken("Invalid SAML response: SAMLAssertion is not valid base64");
  }
  const bytes = Buffer.from(compact, "base64");
  // Node stops at the first '=' even mid-string; a round trip proves every character was consumed.
  if (bytes.toString("base64") !== compact) {
    throw invalidToken("Invalid SAML response: SAMLAssertion is not valid base64");
  }
  if (bytes.length > maxBytes) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: decoded SAMLAssertion is longer than ${maxBytes} bytes`,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw invalidToken("Invalid SAML response: the decoded SAMLAssertion is not UTF-8 text", cause);
  }
}
