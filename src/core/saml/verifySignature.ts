import { SignedXml } from "xml-crypto";
import { certificateDerBase64, derBase64ToPem } from "./certificateText.js";
import { ALGORITHMS, NS } from "./constants.js";
import { attr, childElements, descendants, isNamed, text } from "./dom.js";
import { invalidToken } from "./samlErrors.js";

export interface SignaturePolicy {
  /** Trusted signing certificates as base64 DER (see certificateDerBase64). */
  trusted: readonly string[];
  /** Accept rsa-sha1 / sha1 digests (AWS does; see verifyResponse). */
  allowSha1: boolean;
}

const C14N = new Set<string>([ALGORITHMS.excC14n, ALGORITHMS.excC14nWithComments]);

/**
 * Verifies one enveloped signature over `signedElement` (its parent) and returns the canonical
 * XML that was signed: the only text callers may read values from.
 *
 * The shape is pinned before any cryptography: exactly one Reference, pointing by ID at the
 * element that contains the signature, with the transforms a SAML IdP uses and nothing else.
 * Anything a wrapping attack needs (a second Reference, an XPath transform, a ds:Object to hide
 * content in) is refused. The key comes only from the trusted list; KeyInfo is read just to
 * explain a failure.
 */
export function verifyEnvelopedSignature(
  signature: Element,
  signedElement: Element,
  xml: string,
  policy: SignaturePolicy,
): string {
  const where = signedElement.localName;
  const id = attr(signedElement, "ID");
  if (!id) throw invalidToken(`Response signature invalid: the signed ${where} has no ID attribute`);
  checkShape(signature, `#${id}`, where, policy);

  const keyInfoCerts = descendants(signature)
    .filter((el) => isNamed(el, NS.ds, "X509Certificate"))
    .map((el) => certificateDerBase64(text(el)));
  const untrustedKeyInfo = keyInfoCerts.some((der) => der === undefined || !policy.trusted.includes(der));
  // A KeyInfo certificate we trust lets us try that key first; an untrusted one is ignored.
  const order = [...policy.trusted].sort(
    (a, b) => Number(keyInfoCerts.includes(b)) - Number(keyInfoCerts.includes(a)),
  );

  for (const der of order) {
    const verifier = new SignedXml({ publicCert: derBase64ToPem(der), getCertFromKeyInfo: () => null });
    let valid: boolean;
    try {
      verifier.loadSignature(signature);
      valid = verifier.checkSignature(xml);
    } catch (cause) {
      const message = (cause as Error).message ?? "";
      if (message.startsWith("invalid signature: the signature value")) continue; // other key, try next
      throw invalidToken(`Response signature invalid: ${message.split(":")[0]}`, cause);
    }
    if (!valid) {
      // Digests do not depend on the key: the signed bytes changed after signing.
      throw invalidToken(`Response signature invalid: the digest of the signed ${where} does not match`);
    }
    const references = verifier.getSignedReferences();
    if (references.length !== 1 || references[0] === undefined) {
      throw invalidToken(`Response signature invalid: expected exactly one signed reference`);
    }
    return references[0];
  }
  throw invalidToken(
    untrustedKeyInfo
      ? `Response signature invalid: the ${where} is signed by a certificate that is not in the provider's metadata`
      : `Response signature invalid: the ${where} signature does not verify with any certificate in the provider's metadata`,
  );
}

function checkShape(signature: Element, expectedUri: string, where: string, policy: SignaturePolicy): void {
  const fail = (why: string) => invalidToken(`Response signature invalid: ${why}`);
  const parts = childElements(signature);
  const names = parts.map((el) =>
    el.namespaceURI === NS.ds ? el.localName : `{${el.namespaceURI}}${el.localName}`,
  );
  const expected =
    names.length === 3 ? ["SignedInfo", "SignatureValue", "KeyInfo"] : ["SignedInfo", "SignatureValue"];
  if (names.join() !== expected.join()) {
    throw fail(
      `unexpected Signature content (${names.join(", ")}); ds:Object and extra elements are refused`,
    );
  }
  const signedInfo = parts[0]!;
  const info = childElements(signedInfo);
  const [c14n, method, ...references] = info;
  if (
    !c14n ||
    !isNamed(c14n, NS.ds, "CanonicalizationMethod") ||
    !method ||
    !isNamed(method, NS.ds, "SignatureMethod")
  ) {
    throw fail("SignedInfo must start with CanonicalizationMethod and SignatureMethod");
  }
  if (!C14N.has(attr(c14n, "Algorithm") ?? "")) {
    throw fail(`canonicalization ${attr(c14n, "Algorithm")} is not allowed (exclusive C14N only)`);
  }
  const signatureAlgorithm = attr(method, "Algorithm") ?? "";
  const allowedSignatures: string[] = [ALGORITHMS.rsaSha256, ALGORITHMS.rsaSha512];
  if (policy.allowSha1) allowedSignatures.push(ALGORITHMS.rsaSha1);
  if (!allowedSignatures.includes(signatureAlgorithm)) {
    throw fail(`signature algorithm ${signatureAlgorithm} is not allowed`);
  }
  if (references.length !== 1 || !references.every((el) => isNamed(el, NS.ds, "Reference"))) {
    throw fail(`expected exactly one Reference in SignedInfo, found ${references.length}`);
  }
  const reference = references[0]!;
  if (attr(reference, "URI") !== expectedUri) {
    throw fail(
      `the Reference URI ${attr(reference, "URI") ?? "(none)"} does not point at the enclosing ${where}`,
    );
  }
  const [transforms, digestMethod, digestValue, ...extra] = childElements(reference);
  if (
    !transforms ||
    !isNamed(transforms, NS.ds, "Transforms") ||
    !digestMethod ||
    !isNamed(digestMethod, NS.ds, "DigestMethod") ||
    !digestValue ||
    !isNamed(digestValue, NS.ds, "DigestValue") ||
    extra.length > 0
  ) {
    throw fail("Reference must hold Transforms, DigestMethod and DigestValue");
  }
  const steps = childElements(transforms);
  const algorithms = steps.map((el) =>
    isNamed(el, NS.ds, "Transform") ? (attr(el, "Algorithm") ?? "") : "?",
  );
  if (
    algorithms.length !== 2 ||
    algorithms[0] !== ALGORITHMS.envelopedSignature ||
    !C14N.has(algorithms[1]!)
  ) {
    throw fail(`transforms must be enveloped-signature then exclusive C14N (got ${algorithms.join(", ")})`);
  }
  const stray = steps
    .flatMap(childElements)
    .filter((el) => !isNamed(el, ALGORITHMS.excC14n, "InclusiveNamespaces"));
  if (childElements(steps[0]!).length > 0 || stray.length > 0)
    throw fail("unexpected content inside Transform");
  const allowedDigests: string[] = [ALGORITHMS.sha256, ALGORITHMS.sha512];
  if (policy.allowSha1) allowedDigests.push(ALGORITHMS.sha1);
  const digestAlgorithm = attr(digestMethod, "Algorithm") ?? "";
  if (!allowedDigests.includes(digestAlgorithm))
    throw fail(`digest algorithm ${digestAlgorithm} is not allowed`);
}
