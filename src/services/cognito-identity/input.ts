import { COGNITO_ID_MAX, COGNITO_ID_PATTERN, COGNITO_ID_PATTERN_TEXT } from "../../core/cognito/poolId.js";
import { AwsError } from "../../errors.js";

/**
 * Reading a JSON 1.1 request body as Cognito Identity does: a member of the wrong JSON type is a
 * SerializationException, a missing or out-of-bounds one a ValidationException naming the member in
 * lowerCamelCase, as AWS's messages do. Lookups use Object.hasOwn: member names come from the client.
 */
export type Body = Record<string, unknown>;

export function validation(member: string, shown: string | null, constraint: string): AwsError {
  const value = shown === null ? "null" : `'${shown.length > 128 ? `${shown.slice(0, 128)}...` : shown}'`;
  return new AwsError(
    "ValidationException",
    `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

const notNull = (member: string) => validation(member, null, "Member must not be null");

function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function kindOf(value: unknown): string {
  if (typeof value === "string") return "STRING_VALUE";
  if (typeof value === "number") return "NUMBER_VALUE";
  if (typeof value === "boolean") return value ? "VALUE_TRUE" : "VALUE_FALSE";
  return "VALUE";
}

function wrongType(value: unknown, expected: "String" | "Boolean" | "Integer" | "Long"): AwsError {
  if (Array.isArray(value))
    return new AwsError("SerializationException", "Start of list found where not expected");
  if (typeof value === "object" && value !== null)
    return new AwsError("SerializationException", "Start of structure or map found where not expected.");
  return new AwsError(
    "SerializationException",
    `${kindOf(value)} can not be converted to ${expected === "Long" ? "a Long" : expected === "Integer" ? "an Integer" : `a ${expected}`}`,
  );
}

function raw(body: Body, name: string): unknown {
  // JSON null is the member being absent, as the SDKs treat it.
  return Object.hasOwn(body, name) ? body[name] : undefined;
}

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: readonly [RegExp, string];
}

/** A string checked against the model's length and pattern; `member` names it in messages. */
export function checkString(member: string, value: unknown, rule: StringRule): string {
  if (typeof value !== "string") throw wrongType(value, "String");
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern } = rule;
  if (value.length < min)
    throw validation(member, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw validation(member, value, `Member must have length less than or equal to ${max}`);
  if (pattern && !pattern[0].test(value))
    throw validation(member, value, `Member must satisfy regular expression pattern: ${pattern[1]}`);
  return value;
}

export function optionalString(body: Body, name: string, rule: StringRule): string | undefined {
  const value = raw(body, name);
  if (value === undefined || value === null) return undefined;
  return checkString(memberName(name), value, rule);
}

export function requiredString(body: Body, name: string, rule: StringRule): string {
  const value = optionalString(body, name, rule);
  if (value === undefined) throw notNull(memberName(name));
  return value;
}

export function optionalBoolean(body: Body, name: string): boolean | undefined {
  const value = raw(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw wrongType(value, "Boolean");
  return value;
}

export function requiredBoolean(body: Body, name: string): boolean {
  const value = optionalBoolean(body, name);
  if (value === undefined) throw notNull(memberName(name));
  return value;
}

export function optionalInteger(body: Body, name: string, min: number, max: number): number | undefined {
  const value = raw(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(value, "Integer");
  if (value < min)
    throw validation(
      memberName(name),
      String(value),
      `Member must have value greater than or equal to ${min}`,
    );
  if (value > max)
    throw validation(memberName(name), String(value), `Member must have value less than or equal to ${max}`);
  return value;
}

export function requiredInteger(body: Body, name: string, min: number, max: number): number {
  const value = optionalInteger(body, name, min, max);
  if (value === undefined) throw notNull(memberName(name));
  return value;
}

/** An object member (a map or a structure); undefined when absent. */
export function optionalObject(body: Body, name: string): Body | undefined {
  const value = raw(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    if (Array.isArray(value))
      throw new AwsError("SerializationException", "Start of list found where not expected");
    throw new AwsError(
      "SerializationException",
      `${kindOf(value)} can not be converted to a Map or Structure`,
    );
  }
  return value as Body;
}

export function optionalList(body: Body, name: string): unknown[] | undefined {
  const value = raw(body, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    if (typeof value === "object")
      throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
    throw new AwsError("SerializationException", `${kindOf(value)} can not be converted to a List`);
  }
  return value;
}

/** A string-to-string map: entries checked, at most `maxEntries`; built with Object.fromEntries (own keys). */
export function stringMap(
  body: Body,
  name: string,
  rule: { maxEntries?: number; key: StringRule; value: StringRule },
): Record<string, string> | undefined {
  const map = optionalObject(body, name);
  if (map === undefined) return undefined;
  const member = memberName(name);
  const entries = Object.entries(map);
  if (rule.maxEntries !== undefined && entries.length > rule.maxEntries)
    throw validation(
      member,
      shownMap(entries),
      `Member must have length less than or equal to ${rule.maxEntries}`,
    );
  return Object.fromEntries(
    entries.map(([k, v]) => {
      checkMapPart(member, "key", k, rule.key);
      if (v === null)
        throw validation(
          member,
          shownMap(entries),
          "Map value must satisfy constraint: [Member must not be null]",
        );
      checkMapPart(member, "value", v, rule.value);
      return [k, v as string];
    }),
  );
}

function checkMapPart(member: string, part: "key" | "value", value: unknown, rule: StringRule): void {
  try {
    checkString(member, value, rule);
  } catch (error) {
    if (error instanceof AwsError && error.code === "ValidationException") {
      const constraint = error.message.slice(error.message.indexOf("constraint: ") + 12);
      throw validation(member, String(value), `Map ${part} must satisfy constraint: [${constraint}]`);
    }
    throw error;
  }
}

function shownMap(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ")}}`;
}

/** A list of strings, each checked, with the list's own bounds. */
export function stringList(
  body: Body,
  name: string,
  rule: { min?: number; max?: number; member: StringRule },
): string[] | undefined {
  const list = optionalList(body, name);
  if (list === undefined) return undefined;
  const member = memberName(name);
  if (rule.min !== undefined && list.length < rule.min)
    throw validation(
      member,
      `[${list.join(", ")}]`,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  if (rule.max !== undefined && list.length > rule.max)
    throw validation(
      member,
      `[${list.join(", ")}]`,
      `Member must have length less than or equal to ${rule.max}`,
    );
  return list.map((v) => {
    if (v === null) throw validation(member, `[${list.join(", ")}]`, "Member must not be null");
    return checkString(member, v, rule.member);
  });
}

// The model's shapes (botocore data/cognito-identity/2014-06-30/service-2.json).
export const IDENTITY_ID: StringRule = {
  min: 1,
  max: COGNITO_ID_MAX,
  pattern: [COGNITO_ID_PATTERN, COGNITO_ID_PATTERN_TEXT],
};
export const POOL_NAME: StringRule = { min: 1, max: 128, pattern: [/^[\w\s+=,.@-]+$/, "[\\w\\s+=,.@-]+"] };
export const DEVELOPER_PROVIDER: StringRule = { min: 1, max: 128, pattern: [/^[\w._-]+$/, "[\\w._-]+"] };
export const DEVELOPER_USER: StringRule = { min: 1, max: 1024 };
export const ARN: StringRule = { min: 20, max: 2048 };
export const PROVIDER_NAME: StringRule = { min: 1, max: 128 };
export const PROVIDER_TOKEN: StringRule = { min: 1, max: 50_000 };
export const PAGINATION_KEY: StringRule = { min: 1, max: 65_535, pattern: [/^\S+$/, "[\\S]+"] };
export const TAG_KEY: StringRule = { min: 1, max: 128 };
export const TAG_VALUE: StringRule = { min: 0, max: 256 };

export const identityPoolId = (body: Body) => requiredString(body, "IdentityPoolId", IDENTITY_ID);
export const identityId = (body: Body) => requiredString(body, "IdentityId", IDENTITY_ID);

/** Logins: provider name -> token, at most 10. */
export function logins(body: Body, name = "Logins"): Map<string, string> {
  const map = stringMap(body, name, { maxEntries: 10, key: PROVIDER_NAME, value: PROVIDER_TOKEN }) ?? {};
  return new Map(Object.entries(map));
}
