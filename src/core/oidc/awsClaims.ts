import type { TokenClaims } from "./claims.js";
import { printable } from "./refusal.js";

/** The claim AWS reads session tags from (principal_tags and transitive_tag_keys). */
export const TAGS_CLAIM = "https://aws.amazon.com/tags";
/** The claim AWS reads the session's source identity from. */
export const SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";

export interface SessionTagClaims {
  tags: { key: string; value: string }[];
  transitiveTagKeys: string[];
  sourceIdentity: string | undefined;
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

/**
 * Session tags and source identity from a verified token, as AWS reads them:
 * `"https://aws.amazon.com/tags": { "principal_tags": { "team": ["admins"] }, "transitive_tag_keys": ["team"] }`
 * (each value a list of one string) and `"https://aws.amazon.com/source_identity": "alice"`. The same limits as
 * AssumeRole's parameters: 50 tags, keys unique ignoring case and outside `aws:`, transitive keys among the tags.
 * Returns the problem as a sentence instead of the tags when the claim breaks them.
 */
export function sessionTagClaims(claims: TokenClaims): SessionTagClaims | { problem: string } {
  const tags: SessionTagClaims["tags"] = [];
  let transitiveTagKeys: string[] = [];
  const raw = Object.hasOwn(claims, TAGS_CLAIM) ? claims[TAGS_CLAIM] : undefined;
  if (raw !== undefined) {
    if (!isRecord(raw)) return { problem: `The token's ${TAGS_CLAIM} claim must be a JSON object.` };
    const principalTags = Object.hasOwn(raw, "principal_tags") ? raw.principal_tags : {};
    if (!isRecord(principalTags))
      return { problem: `principal_tags in the token's ${TAGS_CLAIM} claim must be a JSON object.` };
    const seen = new Set<string>();
    for (const [key, value] of Object.entries(principalTags)) {
      const single = Array.isArray(value) && value.length === 1 ? value[0] : value;
      if (typeof single !== "string")
        return { problem: `The session tag ${printable(key)} must be a list of one string in the token.` };
      if (!TAG_KEY.test(key) || key.toLowerCase().startsWith("aws:"))
        return { problem: `The session tag key ${printable(key)} in the token is not a valid tag key.` };
      if (!TAG_VALUE.test(single))
        return {
          problem: `The value of session tag ${printable(key)} in the token is not a valid tag value.`,
        };
      if (seen.has(key.toLowerCase()))
        return { problem: `The token names session tag ${printable(key)} twice (tag keys ignore case).` };
      seen.add(key.toLowerCase());
      tags.push({ key, value: single });
    }
    if (tags.length > 50)
      return { problem: `The token carries ${tags.length} session tags; at most 50 are allowed.` };
    const transitive = Object.hasOwn(raw, "transitive_tag_keys") ? raw.transitive_tag_keys : [];
    if (!Array.isArray(transitive) || !transitive.every((k) => typeof k === "string"))
      return { problem: `transitive_tag_keys in the token's ${TAGS_CLAIM} claim must be a list of strings.` };
    for (const key of transitive as string[])
      if (!seen.has(key.toLowerCase()))
        return {
          problem: `The transitive tag key ${printable(key)} in the token is not one of its principal_tags.`,
        };
    transitiveTagKeys = [...(transitive as string[])];
  }
  const source = Object.hasOwn(claims, SOURCE_IDENTITY_CLAIM) ? claims[SOURCE_IDENTITY_CLAIM] : undefined;
  if (source !== undefined && (typeof source !== "string" || !SOURCE_IDENTITY.test(source)))
    return {
      problem: `The token's ${SOURCE_IDENTITY_CLAIM} claim must be 2-64 characters of letters, digits and +=,.@_-.`,
    };
  return { tags, transitiveTagKeys, sourceIdentity: source };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
