import { createHash, type KeyObject, verify, X509Certificate } from "node:crypto";
import { ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments } from "xml-crypto";
import { certificateDerBase64 } from "./certificateText.js";
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
// Maps: the keys are Algorithm attributes of the posted document (checkShape allows only these, but a
// lookup keyed by client input never reaches Object.prototype either way).
const HASH_OF_SIGNATURE = new Map<string, string>([
  [ALGORITHMS.rsaSha256, "sha256"],
  [ALGORITHMS.rsaSha512, "sha512"],
  [ALGORITHMS.rsaSha1, "sha1"],
]);
const DIGEST = new Map<string, string>([
  [ALGORITHMS.sha256, "sha256"],
  [ALGORITHMS.sha512, "sha512"],
  [ALGORITHMS.sha1, "sha1"],
]);

/** Public keys of trusted certificates, parsed once: a provider's certificate is used on every assertion. */
const keys = new Map<string, KeyObject>();
function publicKey(der: string): KeyObject {
  let key = keys.get(der);
  if (!key) {
    key = new X509Certificate(Buffer.from(der, "base64")).publicKey;
    if (keys.size > 256) keys.clear();
    keys.set(der, key);
  }
  return key;
}

/**
 * Exclusive C14N (xml-crypto's canonicaliser) of `element`, with the algorithm and InclusiveNamespaces
 * PrefixList named by `method` (a CanonicalizationMethod or Transform), resolving listed prefixes against the
 * namespace declarations in scope at `original` in the posted document.
 */
function canonicalize(element: Element, method: Element, original: Element | undefined): string {
  const algorithm =
    method === element ? attr(childElements(element)[0]!, "Algorithm") : attr(method, "Algorithm");
  // A same-document reference (URI="#id") drops comments before canonicalising, WithComments or not
  // (XML-DSig 4.4.3.3); only SignedInfo itself is canonicalised with comments when it says so.
  const withComments = method === element && algorithm === ALGORITHMS.excC14nWithComments;
  const c14n = withComments ? new ExclusiveCanonicalizationWithComments() : new ExclusiveCanonicalization();
  const prefixSource = method === element ? childElements(element)[0]! : method;
  const inclusive = childElements(prefixSource).find((el) => el.localName === "InclusiveNamespaces");
  const prefixes = (inclusive?.getAttribute("PrefixList") ?? "").split(/\s+/).filter(Boolean);
  return c14n.process(element, {
    inclusiveNamespacesPrefixList: prefixes,
    ancestorNamespaces: prefixes.length ? ancestorNamespaces(original ?? element) : [],
  }) as string;
}

/** xmlns declarations on the ancestors of `el`, nearest first wins, for InclusiveNamespaces prefixes. */
function ancestorNamespaces(el: Element): { prefix: string; namespaceURI: string }[] {
  const seen = new Map<string, string>();
  for (let node = el.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i]!;
      if (a.prefix === "xmlns" && !seen.has(a.localName)) seen.set(a.localName, a.value);
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

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

  const signedInfo = childElements(signature)[0]!;
  const signatureValue = childElements(signature)[1]!;
  const canonicalSignedInfo = canonicalize(signedInfo, signedInfo, undefined);
  const signatureBytes = Buffer.from(text(signatureValue).replace(/\s+/g, ""), "base64");
  const hash = HASH_OF_SIGNATURE.get(attr(childElements(signedInfo)[1]!, "Algorithm") ?? "")!;

  for (const der of order) {
    if (!verify(hash, Buffer.from(canonicalSignedInfo, "utf8"), publicKey(der), signatureBytes)) continue; // other key, try next
    // The key signed SignedInfo; now the content must still be what SignedInfo's digest says.
    const reference = childElements(signedInfo)[2]!;
    const [transforms, digestMethod, digestValue] = childElements(reference) as [Element, Element, Element];
    const signedCopy = signedElement.cloneNode(true) as Element;
    // The enveloped-signature transform: the signature is a direct child (checkShape), so remove that child.
    const index = childElements(signedElement).indexOf(signature);
    signedCopy.removeChild(childElements(signedCopy)[index]!);
    const canonical = canonicalize(signedCopy, childElements(transforms)[1]!, signedElement);
    const digest = createHash(DIGEST.get(attr(digestMethod, "Algorithm") ?? "")!)
      .update(canonical, "utf8")
      .digest("base64");
    if (digest !== text(digestValue).replace(/\s+/g, "")) {
      // Digests do not depend on the key: the signed bytes changed after signing.
      throw invalidToken(`Response signature invalid: the digest of the signed ${where} does not match`);
    }
    return canonical;
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
