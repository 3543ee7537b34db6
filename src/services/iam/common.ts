import { authorize } from "../../authz/authorize.js";
import type { ContextValue } from "../../authz/contextKeys.js";
import { compilePolicy, type PolicyKind } from "../../authz/policyCache.js";
import { iamArn } from "../../core/arn.js";
import { AwsError } from "../../errors.js";
import type { AnyQueryOperation, SignedContext } from "../../protocol/operation.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { XmlObject } from "../../protocol/xml.js";
import type { Tag } from "../../store/tags.js";
import type { RoomDeps } from "../deps.js";
import { checkLength, checkPattern, validationError } from "../validation.js";

/**
 * An IAM operation: every call is authorised as `iam:<Action>` on the resource it acts on before it runs,
 * as IAM does; the account is always the caller's.
 */
export function iamOperation<I>(
  deps: RoomDeps,
  action: string,
  spec: {
    input: (p: QueryParams) => I;
    resource: (ctx: SignedContext, input: I) => string;
    /** Condition keys this request adds, e.g. aws:RequestTag/*, iam:PolicyARN. */
    context?: (input: I) => Record<string, ContextValue>;
    /**
     * Checks that read what a document says (policy grammar, size quotas, SAML metadata). `input` checks only
     * the parameters' shape (required, lengths, patterns); these run once the caller is authorised, as IAM
     * does, so a caller without permission is told AccessDenied rather than what is wrong with its document.
     */
    validate?: (input: I) => void | Promise<void>;
    run: (ctx: SignedContext, input: I) => XmlObject | undefined | Promise<XmlObject | undefined>;
  },
): AnyQueryOperation {
  return {
    action,
    input: spec.input,
    run: (ctx: SignedContext, input: I) => {
      authorize(deps, ctx, {
        action: `iam:${action}`,
        resource: spec.resource(ctx, input),
        context: spec.context?.(input),
      });
      const checked = spec.validate?.(input);
      // A check that loads its parser on first use (SAML metadata) finishes before the operation runs.
      return checked instanceof Promise ? checked.then(() => spec.run(ctx, input)) : spec.run(ctx, input);
    },
  };
}

/** aws:RequestTag/KEY and aws:TagKeys for a request that carries tags. */
export function requestTagContext(tags: readonly Tag[]): Record<string, ContextValue> {
  if (tags.length === 0) return {};
  const out: Record<string, ContextValue> = { "aws:TagKeys": tags.map((t) => t.key) };
  for (const t of tags) out[`aws:RequestTag/${t.key}`] = t.value;
  return out;
}

function pattern(member: string, value: string, re: RegExp, text: string, min: number, max: number): string {
  return checkPattern(member, value, min, max, re, text);
}

export const entityName = (p: QueryParams, name: string, max = 64) =>
  pattern(lowerFirst(name), p.required(name, lowerFirst(name)), /^[\w+=,.@-]+$/, "[\\w+=,.@-]+", 1, max);
export const optionalPath = (p: QueryParams, name = "Path") => {
  const v = p.get(name);
  return v === undefined
    ? "/"
    : pattern(
        lowerFirst(name),
        v,
        /^(\/|\/[\u0021-\u007E]+\/)$/,
        "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
        1,
        512,
      );
};
export const pathPrefix = (p: QueryParams) => p.get("PathPrefix") ?? "/";

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

// AWS's policyDocumentType: tab, LF, CR and Latin-1 text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern deliberately names the allowed control characters.
const POLICY_DOCUMENT_CHARS = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;

/**
 * A policy document parameter, checked for its shape only (required, 1-131,072 characters of AWS's pattern);
 * its grammar is checked with `checkPolicyDocument` once the caller is authorised. Stored as sent.
 */
export function policyDocument(p: QueryParams, name: string): string {
  const member = lowerFirst(name);
  return checkPattern(
    member,
    p.required(name, member),
    1,
    131_072,
    POLICY_DOCUMENT_CHARS,
    "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
  );
}

/** A policy document's grammar (MalformedPolicyDocument), for an operation's `validate`. */
export function checkPolicyDocument(document: string, kind: PolicyKind): void {
  compilePolicy(document, kind);
}

export function tagsParam(p: QueryParams, name = "Tags"): Tag[] {
  const raw = p.structList(name, ["Key", "Value"]);
  if (raw.length > 50)
    throw validationError(
      "tags",
      `[${raw.length} items]`,
      "Member must have length less than or equal to 50",
    );
  return raw.map((t, i) => ({
    key: pattern(
      `tags.${i + 1}.member.key`,
      t.Key ?? "",
      /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
      1,
      128,
    ),
    value: pattern(
      `tags.${i + 1}.member.value`,
      t.Value ?? "",
      /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
      "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
      0,
      256,
    ),
  }));
}

/** Tags merged by key (case-sensitive, as IAM), at most 50. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((t) => [t.key, t.value]));
  for (const t of added) byKey.set(t.key, t.value);
  if (byKey.size > 50)
    throw new AwsError("LimitExceeded", "The number of tags has reached the maximum limit.", { status: 409 });
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export const tagsXml = (tags: readonly Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }));

export function noSuchEntity(message: string): AwsError {
  return new AwsError("NoSuchEntity", message, { status: 404 });
}

export function alreadyExists(message: string): AwsError {
  return new AwsError("EntityAlreadyExists", message, { status: 409 });
}

export function deleteConflict(message: string): AwsError {
  return new AwsError("DeleteConflict", message, { status: 409 });
}

/** IAM returns documents URL-encoded (RFC 3986), and the SDKs hand them over still encoded. */
export const encodeDocument = (document: string) => encodeURIComponent(document);

/** Marker/MaxItems pagination over an already sorted list; the marker is the index to resume at. */
export function paginate<T>(
  p: QueryParams,
  items: readonly T[],
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const max = p.integer("MaxItems") ?? 100;
  if (max < 1)
    throw validationError("maxItems", String(max), "Member must have value greater than or equal to 1");
  if (max > 1000)
    throw validationError("maxItems", String(max), "Member must have value less than or equal to 1000");
  const marker = p.get("Marker");
  const start =
    marker === undefined ? 0 : Number.parseInt(Buffer.from(marker, "base64url").toString("utf8"), 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw new AwsError("InvalidInput", "Invalid Marker.");
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return {
    page,
    IsTruncated: more,
    Marker: more ? Buffer.from(String(start + max)).toString("base64url") : undefined,
  };
}

export const boundaryXml = (arn: string | null) =>
  arn ? { PermissionsBoundaryType: "PermissionsPolicy", PermissionsBoundaryArn: arn } : undefined;

/**
 * The ARN a call naming a user or role is authorised against: the entity's own, with its path, so that
 * path-scoped policies (`role/team/*`) match; a name that does not exist yet is taken at path `/`.
 */
export function namedEntityArn(
  deps: RoomDeps,
  accountId: string,
  kind: "user" | "role",
  name: string,
): string {
  const entity =
    kind === "user"
      ? deps.store.users.findByName(accountId, name)
      : deps.store.roles.findByName(accountId, name);
  return iamArn(accountId, kind, name, entity?.path ?? "/");
}

/** A role's or policy's Description: at most 1,000 characters of IAM's allowed set (no control characters). */
export function descriptionParam(value: string | undefined): string | null {
  if (value === undefined) return null;
  return checkPattern(
    "description",
    value,
    0,
    1000,
    /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/,
    "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*",
  );
}

export function optionalLength(value: string | undefined, member: string, max: number): string | null {
  return value === undefined ? null : checkLength(member, value, 0, max);
}
