import { AwsError } from "../../errors.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { Tag } from "../../store/tags.js";
import type { SessionPolicyInput } from "../sessions/sessionPolicies.js";
import { checkPattern, nullError, validationError } from "../validation.js";

export const roleSessionName = (v: string) =>
  checkPattern("roleSessionName", v, 2, 64, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
export const externalId = (v: string) =>
  checkPattern("externalId", v, 2, 1224, /^[\w+=,.@:/-]*$/, "[\\w+=,.@:\\/-]*");
export const sourceIdentity = (v: string) =>
  checkPattern("sourceIdentity", v, 2, 64, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
export const federatedName = (v: string) => checkPattern("name", v, 2, 32, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
/** MFA device: a hardware serial (GAHT12345678) or a virtual device ARN. */
export const serialNumber = (v: string) =>
  checkPattern("serialNumber", v, 9, 256, /^[\w+=/:,.@-]*$/, "[\\w+=/:,.@-]*");
export const tokenCode = (v: string) => checkPattern("tokenCode", v, 6, 6, /^\d*$/, "[\\d]*");

// AWS's documented pattern for ARN parameters: printable text (tab, LF and CR allowed).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern deliberately names the allowed control characters.
const ARN_CHARS = /^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u;

export function roleArnParam(v: string, member = "roleArn"): string {
  return checkPattern(
    member,
    v,
    20,
    2048,
    ARN_CHARS,
    "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+",
  );
}

// AWS's pattern for inline session policies: tab, LF, CR and Latin-1 text, nothing above U+00FF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern deliberately names the allowed control characters.
const POLICY_CHARS = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;

/** Inline session policy: 1-2048 characters of AWS's policy text (before packing). */
export function sessionPolicyText(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return checkPattern("policy", v, 1, 2048, POLICY_CHARS, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
}

/** PolicyArns.member.N.arn: at most 10 managed session policies. */
export function policyArns(params: QueryParams): string[] {
  const arns = params.structList("PolicyArns", ["arn"]).map((m, i) => {
    const member = `policyArns.${i + 1}.member.arn`;
    if (m.arn === undefined) throw nullError(member);
    return roleArnParam(m.arn, member);
  });
  if (arns.length > 10)
    throw validationError(
      "policyArns",
      `[${arns.length} items]`,
      "Member must have length less than or equal to 10",
    );
  return arns;
}

/**
 * Tags.member.N.Key/Value: at most 50, both required, keys 1-128 and values 0-256 of AWS's tag characters,
 * keys unique ignoring case and outside the `aws:` prefix AWS reserves for itself.
 */
export function sessionTags(params: QueryParams): Tag[] {
  const raw = params.structList("Tags", ["Key", "Value"]);
  if (raw.length > 50)
    throw validationError(
      "tags",
      `[${raw.length} items]`,
      "Member must have length less than or equal to 50",
    );
  const seen = new Set<string>();
  return raw.map((t, i) => {
    if (t.Key === undefined) throw nullError(`tags.${i + 1}.member.key`);
    if (t.Value === undefined) throw nullError(`tags.${i + 1}.member.value`);
    const key = checkPattern(
      `tags.${i + 1}.member.key`,
      t.Key,
      1,
      128,
      /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    );
    const value = checkPattern(
      `tags.${i + 1}.member.value`,
      t.Value,
      0,
      256,
      /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
    );
    if (key.toLowerCase().startsWith("aws:")) {
      throw new AwsError(
        "InvalidParameterValue",
        `Tag key ${key} is not valid: keys beginning with "aws:" are reserved for AWS use.`,
      );
    }
    if (seen.has(key.toLowerCase())) {
      throw new AwsError(
        "InvalidParameterValue",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
      );
    }
    seen.add(key.toLowerCase());
    return { key, value };
  });
}

export function transitiveTagKeys(params: QueryParams, tags: readonly Tag[]): string[] {
  const keys = params.list("TransitiveTagKeys");
  if (keys.length > 50)
    throw validationError(
      "transitiveTagKeys",
      `[${keys.length} items]`,
      "Member must have length less than or equal to 50",
    );
  const tagKeys = new Set(tags.map((t) => t.key.toLowerCase()));
  for (const k of keys) {
    if (!tagKeys.has(k.toLowerCase())) {
      throw new AwsError(
        "InvalidParameterValue",
        `The specified transitive tag key must be included in the requested tags. Key: ${k}`,
      );
    }
  }
  return keys;
}

/**
 * The session policies of an AssumeRole* / GetFederationToken call: the inline `Policy` and the managed
 * `PolicyArns`, validated as session policies.
 */
export function readSessionPolicies(params: QueryParams): SessionPolicyInput {
  return { inline: sessionPolicyText(params.get("Policy")), arns: policyArns(params) };
}
