import { AwsError } from "../errors.js";

/** "1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: ..." as STS words it. */
export function validationError(member: string, value: string, constraint: string): AwsError {
  const shown = value.length > 128 ? `${value.slice(0, 128)}...` : value;
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** "Value null at 'member' ... Member must not be null", for a required member the request left out. */
export function nullError(member: string): AwsError {
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

/** Length check with STS and IAM's ValidationError wording. */
export function checkLength(member: string, value: string, min: number, max: number): string {
  if (value.length < min)
    throw validationError(member, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  return value;
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
  checkLength(member, value, min, max);
  if (!pattern.test(value))
    throw validationError(member, value, `Member must satisfy regular expression pattern: ${patternText}`);
  return value;
}
