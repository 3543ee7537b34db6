import { deflateRawSync } from "node:zlib";
import { AwsError } from "../../errors.js";
import type { Tag } from "../../store/tags.js";

/**
 * AWS packs session policies and tags into the session token with an undocumented compression and reports
 * the result as a percentage of the limit. fedsim approximates it with raw DEFLATE of the whitespace-free
 * policies and tags against a fixed budget chosen so that the documented 2048-character inline policy
 * alone never exceeds it; what AWS reports for the same input may differ by a few percent.
 */
const PACKED_BUDGET_BYTES = 1100;

export function packedPolicySize(policies: readonly string[], tags: readonly Tag[]): number {
  if (policies.length === 0 && tags.length === 0) return 0;
  const text = policies.map(minify).join("") + tags.map((t) => `${t.key}=${t.value};`).join("");
  return Math.ceil((100 * deflateRawSync(text).length) / PACKED_BUDGET_BYTES);
}

export function checkPackedSize(percent: number): void {
  if (percent > 100) {
    throw new AwsError(
      "PackedPolicyTooLarge",
      `Packed size of consumed session policies and session tags exceeds the maximum allowed size (${percent}% of the allowed size).`,
    );
  }
}

function minify(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json;
  }
}
