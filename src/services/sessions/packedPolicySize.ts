import { deflateRawSync } from "node:zlib";
import { AwsError } from "../../errors.js";
import type { Tag } from "../../store/tags.js";
import type { SessionPolicyInput } from "./sessionPolicies.js";

/**
 * AWS packs what the request passed — the inline session policy, the ARNs of the managed session policies
 * (not their documents) and the session tags — into the session token with an undocumented compression, and
 * reports the result as a percentage of a limit separate from the plain-text ones. fedsim approximates it with
 * raw DEFLATE of the whitespace-free inline policy, the ARNs and the tags against a fixed budget. A readable
 * 2,048-character inline policy packs to about a quarter of it and ten policy ARNs to under a tenth; a policy or
 * tags full of random identifiers compress poorly and can exceed 100% within the plain-text limits, as in AWS
 * (which is why PackedPolicyTooLarge exists). What AWS reports for the same input may differ.
 */
const PACKED_BUDGET_BYTES = 1100;

export function packedPolicySize(policies: SessionPolicyInput, tags: readonly Tag[]): number {
  if (!carriesPackedContent(policies, tags)) return 0;
  const text =
    (policies.inline === undefined ? "" : minify(policies.inline)) +
    policies.arns.join(",") +
    tags.map((t) => `${t.key}=${t.value};`).join("");
  return Math.ceil((100 * deflatedLength(text)) / PACKED_BUDGET_BYTES);
}

/**
 * Compressed lengths by exact text. A length is a pure function of the text, and the same text recurs: every
 * AssumeRoleWithWebIdentity of one signed-in user carries the same session tags from its token, and a zlib
 * stream set up and torn down per call was a sixteenth of such a call. Bounded: when full it starts afresh.
 */
const deflatedLengths = new Map<string, number>();
const MAX_REMEMBERED = 1000;
/** Longer texts are compressed every time, so the memo holds at most MAX_REMEMBERED × this many characters. */
const MAX_REMEMBERED_CHARS = 4096;

function deflatedLength(text: string): number {
  const known = deflatedLengths.get(text);
  if (known !== undefined) return known;
  const length = deflateRawSync(text).length;
  if (text.length <= MAX_REMEMBERED_CHARS) {
    if (deflatedLengths.size >= MAX_REMEMBERED) deflatedLengths.clear();
    deflatedLengths.set(text, length);
  }
  return length;
}

/** AWS reports PackedPolicySize only when the request carried session policies or tags. */
export function carriesPackedContent(policies: SessionPolicyInput, tags: readonly Tag[]): boolean {
  return policies.inline !== undefined || policies.arns.length > 0 || tags.length > 0;
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
