import { AwsError } from "../../errors.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { Tag } from "../../store/tags.js";

/** "1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: ..." as STS words it. */
export function validationError(member: string, value: string, constraint: string): AwsError {
  const shown = value.length > 128 ? `${value.slice(0, 128)}...` : value;
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Length and pattern checks with STS and IAM's ValidationError wording. */
export function checkPattern(
  member: string,
  value: string,
  min: number,
  max: number,
  pattern: RegExp,
  patternText: string,
): string {
  if (value.length < min)
    throw validationError(member, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  if (!pattern.test(value))
    throw validationError(member, value, `Member must satisfy regular expression pattern: ${patternText}`);
  return value;
}

export const roleSessionName = (v: string) =>
  checkPattern("roleSessionName", v, 2, 64, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
export const externalId = (v: string) =>
  checkPattern("externalId", v, 2, 1224, /^[\w+=,.@:/-]*$/, "[\\w+=,.@:\\/-]*");
export const sourceIdentity = (v: string) =>
  checkPattern("sourceIdentity", v, 2, 64, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");
export const federatedName = (v: string) => checkPattern("name", v, 2, 32, /^[\w+=,.@-]*$/, "[\\w+=,.@-]*");

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

/** Inline session policy: at most 2048 characters of plain text (before packing). */
export function sessionPolicyText(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length < 1) throw validationError("policy", v, "Member must have length greater than or equal to 1");
  if (v.length > 2048)
    throw validationError("policy", v, "Member must have length less than or equal to 2048");
  return v;
}

/** PolicyArns.member.N.arn: at most 10 managed session policies. */
export function policyArns(params: QueryParams): string[] {
  const arns = params.structList("PolicyArns", ["arn"]).map((m, i) => {
    if (!m.arn) throw validationError(`policyArns.${i + 1}.member.arn`, "null", "Member must not be null");
    return m.arn;
  });
  if (arns.length > 10)
    throw validationError(
      "policyArns",
      `[${arns.length} items]`,
      "Member must have length less than or equal to 10",
    );
  return arns;
}

/** Tags.member.N.Key/Value: at most 50, keys 1-128 and values 0-256 of AWS's tag characters, unique ignoring case. */
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
    const key = checkPattern(
      `tags.${i + 1}.member.key`,
      t.Key ?? "",
      1,
      128,
      /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    );
    const value = checkPattern(
      `tags.${i + 1}.member.value`,
      t.Value ?? "",
      0,
      256,
      /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
    );
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
