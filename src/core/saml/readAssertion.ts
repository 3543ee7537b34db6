import { BEARER, NS } from "./constants.js";
import { attr, childElements, children, isNamed, text } from "./dom.js";
import { invalidToken } from "./samlErrors.js";
import { parseSamlTime } from "./samlTime.js";

/** What an Assertion says, read from signed content only; no policy is applied here. */
export interface AssertionContent {
  id: string;
  issueInstant: Date;
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  nameQualifier?: string;
  spNameQualifier?: string;
  confirmation: { recipient: string; notOnOrAfter: Date };
  conditions: { notBefore?: Date; notOnOrAfter?: Date; audienceRestrictions: string[][] };
  authnInstant?: Date;
  sessionNotOnOrAfter?: Date;
  attributes: Record<string, string[]>;
}

const KNOWN_CONDITIONS = new Set(["AudienceRestriction", "OneTimeUse", "ProxyRestriction"]);

export function readAssertion(assertion: Element): AssertionContent {
  const fail = (why: string) => invalidToken(`Invalid SAML response: ${why}`);
  const id = required(assertion, "ID", "Assertion");
  if (attr(assertion, "Version") !== "2.0") throw fail("Assertion Version must be 2.0");
  const issueInstant = time(required(assertion, "IssueInstant", "Assertion"), "Assertion IssueInstant");

  const issuer = text(single(assertion, "Issuer", "Assertion", true));
  if (!issuer) throw fail("Assertion Issuer is empty");

  const subject = single(assertion, "Subject", "Assertion", true);
  if (children(subject, NS.assertion, "EncryptedID").length > 0) {
    throw fail("EncryptedID is not supported; send the NameID unencrypted");
  }
  const nameIdEl = single(subject, "NameID", "Subject", true);
  const nameId = text(nameIdEl);
  if (!nameId) throw fail("NameID is empty");

  const confirmations = children(subject, NS.assertion, "SubjectConfirmation");
  // AWS documents "exactly one SubjectConfirmation" with both NotOnOrAfter and Recipient.
  if (confirmations.length !== 1) {
    throw fail(`expected exactly one SubjectConfirmation, found ${confirmations.length}`);
  }
  const confirmation = confirmations[0]!;
  if (attr(confirmation, "Method") !== BEARER) {
    throw fail(`SubjectConfirmation Method must be ${BEARER}`);
  }
  const data = single(confirmation, "SubjectConfirmationData", "SubjectConfirmation", true);
  const recipient = attr(data, "Recipient");
  if (!recipient) throw fail("SubjectConfirmationData has no Recipient");
  const confirmNotOnOrAfter = attr(data, "NotOnOrAfter");
  if (!confirmNotOnOrAfter) throw fail("SubjectConfirmationData has no NotOnOrAfter");
  // SAML profiles 4.1.4.2: bearer SubjectConfirmationData MUST NOT carry NotBefore (an assertion that is
  // not yet usable has no place in a bearer hand-off); fail closed rather than silently honour it.
  if (attr(data, "NotBefore") !== undefined) {
    throw fail("a bearer SubjectConfirmationData must not have NotBefore (SAML profiles 4.1.4.2)");
  }

  const conditionsEl = single(assertion, "Conditions", "Assertion", true);
  const audienceRestrictions: string[][] = [];
  for (const condition of childElements(conditionsEl)) {
    if (condition.namespaceURI !== NS.assertion || !KNOWN_CONDITIONS.has(condition.localName)) {
      // SAML core 2.5.1.5: an unknown condition makes the assertion indeterminate; fail closed.
      throw fail(`unsupported condition ${condition.localName}`);
    }
    if (condition.localName === "AudienceRestriction") {
      audienceRestrictions.push(children(condition, NS.assertion, "Audience").map(text));
    }
  }
  const conditionsNotBefore = attr(conditionsEl, "NotBefore");
  const conditionsNotOnOrAfter = attr(conditionsEl, "NotOnOrAfter");

  const authn = children(assertion, NS.assertion, "AuthnStatement");
  if (authn.length > 1) throw fail("more than one AuthnStatement");
  const authnInstant = authn[0] ? attr(authn[0], "AuthnInstant") : undefined;
  const sessionNotOnOrAfter = authn[0] ? attr(authn[0], "SessionNotOnOrAfter") : undefined;

  return {
    id,
    issueInstant,
    issuer,
    nameId,
    ...optional("nameIdFormat", attr(nameIdEl, "Format")),
    ...optional("nameQualifier", attr(nameIdEl, "NameQualifier")),
    ...optional("spNameQualifier", attr(nameIdEl, "SPNameQualifier")),
    confirmation: {
      recipient,
      notOnOrAfter: time(confirmNotOnOrAfter, "SubjectConfirmationData NotOnOrAfter"),
    },
    conditions: {
      audienceRestrictions,
      ...(conditionsNotBefore === undefined
        ? {}
        : { notBefore: time(conditionsNotBefore, "Conditions NotBefore") }),
      ...(conditionsNotOnOrAfter === undefined
        ? {}
        : { notOnOrAfter: time(conditionsNotOnOrAfter, "Conditions NotOnOrAfter") }),
    },
    ...(authnInstant === undefined ? {} : { authnInstant: time(authnInstant, "AuthnInstant") }),
    ...(sessionNotOnOrAfter === undefined
      ? {}
      : { sessionNotOnOrAfter: time(sessionNotOnOrAfter, "SessionNotOnOrAfter") }),
    attributes: readAttributes(assertion),
  };
}

function readAttributes(assertion: Element): Record<string, string[]> {
  // Null prototype: attribute names come from the IdP and "__proto__" must stay a plain key.
  const out: Record<string, string[]> = Object.create(null);
  for (const statement of children(assertion, NS.assertion, "AttributeStatement")) {
    for (const el of childElements(statement)) {
      if (isNamed(el, NS.assertion, "EncryptedAttribute")) {
        throw invalidToken("Invalid SAML response: EncryptedAttribute is not supported");
      }
      if (!isNamed(el, NS.assertion, "Attribute")) continue;
      const name = attr(el, "Name");
      if (!name) throw invalidToken("Invalid SAML response: an Attribute has no Name");
      const values = children(el, NS.assertion, "AttributeValue")
        .filter((value) => value.getAttributeNS(NS.xsi, "nil") !== "true")
        .map(text);
      out[name] = [...(out[name] ?? []), ...values];
    }
  }
  return out;
}

function single(parent: Element, localName: string, where: string, needed: true): Element {
  const found = children(parent, NS.assertion, localName);
  if (found.length === 0 && needed) throw invalidToken(`Invalid SAML response: ${where} has no ${localName}`);
  if (found.length > 1) throw invalidToken(`Invalid SAML response: ${where} has more than one ${localName}`);
  return found[0]!;
}

function required(el: Element, name: string, where: string): string {
  const value = attr(el, name);
  if (!value) throw invalidToken(`Invalid SAML response: ${where} has no ${name}`);
  return value;
}

function time(value: string, what: string): Date {
  const parsed = parseSamlTime(value);
  if (!parsed) throw invalidToken(`Invalid SAML response: ${what} is not a valid xs:dateTime`);
  return parsed;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
