import { AwsError } from "../../errors.js";
import { certificateDerBase64 } from "./certificateText.js";
import { AWS_MAX_ASSERTION_LENGTH, NS, SIGN_IN, type SignInPartition, STATUS_SUCCESS } from "./constants.js";
import { decodeSamlBase64 } from "./decodeBase64.js";
import { attr, children, descendants, isNamed, text } from "./dom.js";
import { parseXmlStrictly } from "./parseXml.js";
import { readAssertion } from "./readAssertion.js";
import { expiredToken, invalidToken } from "./samlErrors.js";
import { parseSamlTime } from "./samlTime.js";
import { verifyEnvelopedSignature } from "./verifySignature.js";

export interface VerifySamlOptions {
  /** The provider's signing certificates (PEM or base64 DER), from its metadata. */
  trustedCertificates: readonly string[];
  now: Date;
  /**
   * The provider's partition, which decides the sign-in endpoints accepted as Recipient, Destination and
   * Audience (see SIGN_IN); default `aws`.
   */
  partition?: SignInPartition;
  /**
   * Accepted Audience values instead of the partition's: by default its sign-in endpoint (global or regional)
   * and its audience URNs, e.g. `https://signin.aws.amazon.com/saml` and `urn:amazon:webservices`.
   */
  audiences?: readonly string[];
  /** Extra accepted Recipient/Destination URLs; the partition's sign-in endpoints are always accepted. */
  recipients?: readonly string[];
  /**
   * fedsim's own /saml, the local twin of the partition's sign-in endpoint: accepted as Recipient and
   * Destination, and reported as that sign-in endpoint, so SAML:aud and the response's Audience are what an
   * assertion posted to AWS would give (trust policies test `SAML:aud` against the AWS URL).
   */
  localSignInEndpoint?: string;
  clockSkewSeconds?: number;
  /** Limit on the base64 text and on the decoded bytes; default 100,000 like STS's SAMLAssertion. */
  maxBytes?: number;
  /** The provider's entityID; when given, the Issuer must equal it. */
  issuer?: string;
  /** AWS still accepts RSA-SHA1 signed responses, so fedsim does by default; set false to refuse them. */
  allowSha1?: boolean;
  /** AWS refuses responses issued more than 5 minutes ago ("Token must be redeemed within 5 minutes of issuance"). */
  maxAgeSeconds?: number;
}

export interface VerifiedAssertion {
  responseId: string;
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  nameQualifier?: string;
  spNameQualifier?: string;
  /** The accepted Audience. */
  audience: string;
  /**
   * SubjectConfirmationData Recipient (what AWS exposes as SAML:aud); the partition's sign-in endpoint when
   * the Recipient was `localSignInEndpoint`.
   */
  recipient: string;
  notBefore?: Date;
  /** The earliest expiry among Conditions and SubjectConfirmationData. */
  notOnOrAfter: Date;
  /**
   * Keep replay records until at least this instant: the later of NotOnOrAfter + clock skew and the
   * redemption cut-off (issuance + max age + skew). No later instant passes both expiry checks, so a record
   * purged after it can never let the same assertion in again.
   */
  replayRecordUntil: Date;
  sessionNotOnOrAfter?: Date;
  authnInstant?: Date;
  issueInstant: Date;
  /** Attribute name → values; a null-prototype object (use Object.hasOwn). */
  attributes: Record<string, string[]>;
}

const ID_ATTRIBUTES = new Set(["ID", "Id", "id"]);

/**
 * Verifies a base64 SAML Response the way STS's AssumeRoleWithSAML does, and returns what the
 * signed content says. Values are read only from the canonical XML the signature covered, never
 * from the posted tree, which is what makes signature wrapping and comment injection harmless.
 * Replay is the caller's job: it gets `assertionId` and `notOnOrAfter` to remember.
 */
export function verifySamlResponse(
  samlResponseBase64: string,
  options: VerifySamlOptions,
): VerifiedAssertion {
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new TypeError("verifySamlResponse: options.now must be a valid Date");
  }
  const trusted = options.trustedCertificates.map((certificate) => {
    const der = certificateDerBase64(certificate);
    if (der === undefined)
      throw new TypeError("verifySamlResponse: a trusted certificate is not an X.509 certificate");
    return der;
  });
  const now = options.now.getTime();
  const skew = (options.clockSkewSeconds ?? 60) * 1000;
  const signIn = SIGN_IN[options.partition ?? "aws"];
  const audiences = options.audiences ?? [signIn.endpoint, ...signIn.audienceUrns];
  const acceptsAudience = (value: string) =>
    audiences.includes(value) || (options.audiences === undefined && signIn.regional.test(value));
  const local = options.localSignInEndpoint;
  const recipients = [
    signIn.endpoint,
    ...signIn.aliases,
    ...(options.recipients ?? []),
    ...(local === undefined ? [] : [local]),
  ];
  const acceptsEndpoint = (url: string) => recipients.includes(url) || signIn.regional.test(url);
  const fail = (why: string) => invalidToken(`Invalid SAML response: ${why}`);

  const decoded = decodeSamlBase64(samlResponseBase64, options.maxBytes ?? AWS_MAX_ASSERTION_LENGTH);
  const xml = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  const response = parseXmlStrictly(xml, fail).documentElement;
  if (!isNamed(response, NS.protocol, "Response")) throw fail("the document is not a samlp:Response");

  checkStatus(response);
  const all = descendants(response);
  if (all.some((el) => isNamed(el, NS.assertion, "EncryptedAssertion"))) {
    throw fail("EncryptedAssertion is not supported; configure the IdP to send the Assertion unencrypted");
  }
  if (all.filter((el) => isNamed(el, NS.protocol, "Response")).length !== 1) {
    throw fail("a Response may not contain another Response");
  }
  const assertions = all.filter((el) => isNamed(el, NS.assertion, "Assertion"));
  if (assertions.length !== 1) throw fail(`expected exactly one Assertion, found ${assertions.length}`);
  const assertion = assertions[0]!;
  if (assertion.parentNode !== response) throw fail("the Assertion must be a direct child of the Response");
  assertUniqueIds(all);

  const signatures = all.filter((el) => isNamed(el, NS.ds, "Signature"));
  for (const signature of signatures) {
    if (signature.parentNode !== response && signature.parentNode !== assertion) {
      throw invalidToken(
        "Response signature invalid: a Signature may only be a direct child of the Response or the Assertion",
      );
    }
  }
  const responseSignatures = children(response, NS.ds, "Signature");
  const assertionSignatures = children(assertion, NS.ds, "Signature");
  if (responseSignatures.length > 1 || assertionSignatures.length > 1) {
    throw invalidToken("Response signature invalid: more than one Signature on the same element");
  }
  if (signatures.length === 0) {
    throw invalidToken("Response signature invalid: neither the Response nor the Assertion is signed");
  }

  const policy = { trusted, allowSha1: options.allowSha1 ?? true };
  const signedRoot = (signature: Element | undefined, element: Element): Element | undefined => {
    if (!signature) return undefined;
    const canonical = verifyEnvelopedSignature(signature, element, policy);
    const root = parseXmlStrictly(canonical, fail).documentElement;
    if (
      root.namespaceURI !== element.namespaceURI ||
      root.localName !== element.localName ||
      attr(root, "ID") !== attr(element, "ID")
    ) {
      throw invalidToken("Response signature invalid: the signed content is not the expected element");
    }
    return root;
  };
  const signedResponse = signedRoot(responseSignatures[0], response);
  const signedAssertion = signedRoot(assertionSignatures[0], assertion);
  let assertionSource = signedAssertion;
  if (!assertionSource && signedResponse) {
    const inner = children(signedResponse, NS.assertion, "Assertion");
    if (inner.length !== 1) throw fail("the signed Response must contain exactly one Assertion");
    assertionSource = inner[0]!;
  }
  const content = readAssertion(assertionSource!);
  // The Response envelope is commonly unsigned when the Assertion is; it then only narrows.
  const envelope = signedResponse ?? response;

  const responseId = attr(envelope, "ID");
  if (!responseId) throw fail("Response has no ID");
  if (attr(envelope, "Version") !== "2.0") throw fail("Response Version must be 2.0");
  const responseIssuer = children(envelope, NS.assertion, "Issuer");
  if (responseIssuer.length > 1) throw fail("Response has more than one Issuer");
  if (responseIssuer[0] && text(responseIssuer[0]) !== content.issuer) {
    throw fail("the Response Issuer and the Assertion Issuer differ");
  }
  if (options.issuer !== undefined && content.issuer !== options.issuer) {
    throw invalidToken("Issuer not present in specified provider");
  }
  const destination = attr(envelope, "Destination");
  if (destination !== undefined && !acceptsEndpoint(destination)) {
    throw fail(`Destination ${destination} is not an accepted SAML endpoint`);
  }
  if (!acceptsEndpoint(content.confirmation.recipient)) {
    throw fail(`Recipient ${content.confirmation.recipient} is not an accepted SAML endpoint`);
  }
  const { audienceRestrictions } = content.conditions;
  if (audienceRestrictions.length === 0) throw fail("the Assertion has no AudienceRestriction");
  // Several AudienceRestrictions must all hold; within one, any listed Audience will do.
  for (const restriction of audienceRestrictions) {
    if (!restriction.some(acceptsAudience)) {
      throw fail(
        `Audience ${restriction.join(", ") || "(empty)"} does not include ${audiences.join(" or ")}`,
      );
    }
  }
  const audience = audienceRestrictions[0]!.find(acceptsAudience)!;

  const issueInstant = parseSamlTime(attr(envelope, "IssueInstant") ?? "");
  if (!issueInstant) throw fail("Response IssueInstant is missing or not a valid xs:dateTime");
  const notBefore = content.conditions.notBefore;
  const issuedAt = Math.max(issueInstant.getTime(), content.issueInstant.getTime());
  if ((notBefore && notBefore.getTime() > now + skew) || issuedAt > now + skew) {
    throw expiredToken("Response is not yet valid");
  }
  const ends = [content.conditions.notOnOrAfter, content.confirmation.notOnOrAfter].filter(
    (d) => d !== undefined,
  );
  const notOnOrAfter = new Date(Math.min(...ends.map((d) => d.getTime())));
  if (notOnOrAfter.getTime() <= now - skew) throw expiredToken("Response has expired");
  const maxAge = (options.maxAgeSeconds ?? 300) * 1000;
  const redeemBy = Math.min(issueInstant.getTime(), content.issueInstant.getTime()) + maxAge + skew;
  if (redeemBy < now) {
    throw expiredToken(`Token must be redeemed within ${Math.round(maxAge / 60_000)} minutes of issuance`);
  }
  // No skew here: credentials that expire at SessionNotOnOrAfter would already be expired when handed out.
  // ExpiredTokenException like the other time checks: the assertion is genuine, only its time is up.
  const sessionEnd = content.sessionNotOnOrAfter;
  if (sessionEnd && sessionEnd.getTime() <= now) {
    throw expiredToken(
      `Response SessionNotOnOrAfter ${sessionEnd.toISOString()} has passed: the session it grants has already ended`,
    );
  }
  const recipient =
    content.confirmation.recipient === local ? signIn.endpoint : content.confirmation.recipient;

  return {
    responseId,
    assertionId: content.id,
    issuer: content.issuer,
    nameId: content.nameId,
    ...(content.nameIdFormat === undefined ? {} : { nameIdFormat: content.nameIdFormat }),
    ...(content.nameQualifier === undefined ? {} : { nameQualifier: content.nameQualifier }),
    ...(content.spNameQualifier === undefined ? {} : { spNameQualifier: content.spNameQualifier }),
    audience,
    recipient,
    ...(notBefore === undefined ? {} : { notBefore }),
    notOnOrAfter,
    replayRecordUntil: new Date(Math.max(notOnOrAfter.getTime() + skew, redeemBy)),
    ...(content.sessionNotOnOrAfter === undefined
      ? {}
      : { sessionNotOnOrAfter: content.sessionNotOnOrAfter }),
    ...(content.authnInstant === undefined ? {} : { authnInstant: content.authnInstant }),
    issueInstant: content.issueInstant,
    attributes: content.attributes,
  };
}

/**
 * A non-Success status is the IdP saying it did not authenticate the user, which is what
 * IDPRejectedClaim means in STS ("the IdP reported that authentication failed"); a guess.
 */
function checkStatus(response: Element): void {
  const status = children(response, NS.protocol, "Status");
  if (status.length !== 1)
    throw invalidToken("Invalid SAML response: the Response must have exactly one Status");
  const code = children(status[0]!, NS.protocol, "StatusCode");
  const value = code[0] ? attr(code[0], "Value") : undefined;
  if (code.length !== 1 || !value) throw invalidToken("Invalid SAML response: Status has no StatusCode");
  if (value !== STATUS_SUCCESS) {
    const detail = children(code[0]!, NS.protocol, "StatusCode")[0];
    const sub = detail ? ` (${attr(detail, "Value")})` : "";
    throw new AwsError(
      "IDPRejectedClaim",
      `The identity provider did not authenticate the user: status ${value}${sub}`,
      // STS's model: IDPRejectedClaimException is a 403.
      { status: 403 },
    );
  }
}

/** Duplicate IDs are how wrapping attacks make one Reference match two elements. */
function assertUniqueIds(elements: Element[]): void {
  const seen = new Set<string>();
  for (const el of elements) {
    for (const attribute of Array.from(el.attributes)) {
      const name = attribute.localName ?? attribute.name;
      if (!ID_ATTRIBUTES.has(name)) continue;
      if (seen.has(attribute.value)) {
        throw invalidToken(`Invalid SAML response: the ID ${attribute.value} appears more than once`);
      }
      seen.add(attribute.value);
    }
  }
}
