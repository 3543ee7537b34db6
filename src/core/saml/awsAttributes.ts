import { AwsError } from "../../errors.js";
import { AWS_ATTRIBUTE } from "./constants.js";
import { invalidToken } from "./samlErrors.js";

export type { SamlTrustContext } from "./trustContext.js";
export { samlNameQualifier, samlSubjectType, samlTrustContext } from "./trustContext.js";

/** One `https://aws.amazon.com/SAML/Attributes/Role` value: the role and the provider that may assume it. */
export interface SamlRolePair {
  roleArn: string;
  principalArn: string;
}

export interface SessionTag {
  key: string;
  value: string;
}

export interface AwsSamlAttributes {
  roles: SamlRolePair[];
  roleSessionName: string;
  sessionDuration?: number;
  tags: SessionTag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

const PARTITION = "(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b)";
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/(?:[\\x21-\\x7e]*/)?[\\w+=,.@-]{1,64}$`);
const PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:saml-provider/[\\w.-]{1,128}$`);
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const MAX_TAGS = 50;

/**
 * Parses every Role value as `roleArn,providerArn` in either order (IdPs differ; AWS accepts
 * both) and validates both ARNs. Error codes for malformed claims are fedsim's guess:
 * InvalidIdentityToken, the code AWS uses for the RoleSessionName claim.
 */
export function parseRoleAttribute(values: readonly string[] | undefined): SamlRolePair[] {
  if (!values || values.length === 0) {
    throw invalidToken(`The SAML assertion has no ${AWS_ATTRIBUTE.role} attribute`);
  }
  return values.map((value) => {
    const parts = value.split(",").map((part) => part.trim());
    const roleArn = parts.find((part) => ROLE_ARN.test(part));
    const principalArn = parts.find((part) => PROVIDER_ARN.test(part));
    if (parts.length !== 2 || !roleArn || !principalArn) {
      throw invalidToken(
        `Invalid Role attribute value "${value}": expected a role ARN and a SAML provider ARN separated by a comma`,
      );
    }
    return { roleArn, principalArn };
  });
}

/**
 * The pair the caller asked for (RoleArn + PrincipalArn of the request). A pair the assertion
 * does not grant is an authorization failure; AccessDenied is a guess at AWS's answer.
 */
export function selectRolePair(
  pairs: readonly SamlRolePair[],
  roleArn: string,
  principalArn: string,
): SamlRolePair {
  const pair = pairs.find((p) => p.roleArn === roleArn && p.principalArn === principalArn);
  if (!pair)
    throw new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", { status: 403 });
  return pair;
}

/** The RoleSessionName claim; both messages are the ones AWS answers. */
export function parseRoleSessionName(values: readonly string[] | undefined): string {
  if (!values || values.length === 0) throw invalidToken("RoleSessionName is required in AuthnResponse");
  const [name] = values;
  if (values.length !== 1 || name === undefined || !SESSION_NAME.test(name)) {
    throw invalidToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
  }
  return name;
}

/** Optional SessionDuration claim, 900–43200 seconds. */
export function parseSessionDuration(values: readonly string[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  const [text] = values;
  const seconds = text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (values.length !== 1 || !(seconds >= 900 && seconds <= 43200)) {
    throw invalidToken("SessionDuration in AuthnResponse must be an integer between 900 and 43200");
  }
  return seconds;
}

/** `PrincipalTag:Key` attributes as session tags: one value each, at most 50, keys unique ignoring case. */
export function parseSessionTags(attributes: Record<string, string[]>): SessionTag[] {
  const tags: SessionTag[] = [];
  for (const [name, values] of Object.entries(attributes)) {
    if (!name.startsWith(AWS_ATTRIBUTE.principalTagPrefix)) continue;
    const key = name.slice(AWS_ATTRIBUTE.principalTagPrefix.length);
    if (!TAG_KEY.test(key) || key.toLowerCase().startsWith("aws:")) {
      throw invalidToken(`Session tag key "${key}" is not valid`);
    }
    const [value] = values;
    if (values.length !== 1 || value === undefined || !TAG_VALUE.test(value)) {
      throw invalidToken(`Session tag ${key} must have exactly one value of at most 256 characters`);
    }
    if (tags.some((tag) => tag.key.toLowerCase() === key.toLowerCase())) {
      throw invalidToken(`Duplicate session tag key ${key} (tag keys are case-insensitive)`);
    }
    tags.push({ key, value });
  }
  if (tags.length > MAX_TAGS)
    throw invalidToken(`At most ${MAX_TAGS} session tags may be passed, got ${tags.length}`);
  return tags;
}

/** TransitiveTagKeys must name session tags passed in the same assertion. */
export function parseTransitiveTagKeys(
  values: readonly string[] | undefined,
  tags: readonly SessionTag[],
): string[] {
  const keys = values ?? [];
  for (const key of keys) {
    if (!tags.some((tag) => tag.key.toLowerCase() === key.toLowerCase())) {
      throw invalidToken(`Transitive tag key ${key} is not one of the session tags`);
    }
  }
  return [...keys];
}

/** Optional SourceIdentity claim: 2–64 of `[\w+=,.@-]`, not starting with `aws:`. */
export function parseSourceIdentity(values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  const [value] = values;
  if (values.length !== 1 || value === undefined || !SESSION_NAME.test(value) || /^aws:/i.test(value)) {
    throw invalidToken("SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
  }
  return value;
}

/** All AWS claims of a verified assertion at once. */
export function readAwsSamlAttributes(attributes: Record<string, string[]>): AwsSamlAttributes {
  const get = (name: string) => (Object.hasOwn(attributes, name) ? attributes[name] : undefined);
  const tags = parseSessionTags(attributes);
  const sessionDuration = parseSessionDuration(get(AWS_ATTRIBUTE.sessionDuration));
  const sourceIdentity = parseSourceIdentity(get(AWS_ATTRIBUTE.sourceIdentity));
  return {
    roles: parseRoleAttribute(get(AWS_ATTRIBUTE.role)),
    roleSessionName: parseRoleSessionName(get(AWS_ATTRIBUTE.roleSessionName)),
    ...(sessionDuration === undefined ? {} : { sessionDuration }),
    tags,
    transitiveTagKeys: parseTransitiveTagKeys(get(AWS_ATTRIBUTE.transitiveTagKeys), tags),
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
  };
}
