import type { Caller } from "../../auth/caller.js";
import { AwsError } from "../../errors.js";

/** Validates DurationSeconds with the ValidationError text STS uses for out-of-range members. */
export function durationSeconds(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (value < min) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  }
  if (value > max) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return value;
}

/**
 * GetSessionToken and GetFederationToken accept 900..129600 from anyone, but sessions of the root user are
 * restricted to an hour: "If the duration is longer than one hour, the session ... defaults to one hour."
 */
export function rootCapped(caller: Pick<Caller, "kind">, seconds: number): number {
  return caller.kind === "root" ? Math.min(seconds, 3600) : seconds;
}
