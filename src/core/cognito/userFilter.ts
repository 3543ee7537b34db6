/**
 * ListUsers' Filter, as Cognito's grammar has it: `ATTRIBUTE = "VALUE"` (exact) or `ATTRIBUTE ^= "VALUE"`
 * (prefix), on the searchable attributes only, `\"` for a quote inside the value. Read in one pass over at
 * most 256 characters (the model's bound), so no filter costs more than its length.
 */
export interface UserFilter {
  attribute: string;
  prefix: boolean;
  value: string;
}

/** The attributes Cognito searches (custom attributes are not searchable). */
export const SEARCHABLE = new Set([
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
]);

export type FilterParse =
  | { ok: true; filter: UserFilter | undefined }
  | { ok: false; reason: "syntax" }
  | { ok: false; reason: "attribute"; attribute: string };

const NAME_CHAR = /[A-Za-z0-9_:]/;

export function parseUserFilter(text: string): FilterParse {
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && text[i] === " ") i++;
  };
  skipSpace();
  if (i === n) return { ok: true, filter: undefined };
  const nameStart = i;
  while (i < n && NAME_CHAR.test(text[i]!)) i++;
  const attribute = text.slice(nameStart, i);
  if (attribute === "") return { ok: false, reason: "syntax" };
  skipSpace();
  let prefix = false;
  if (text[i] === "^") {
    prefix = true;
    i++;
  }
  if (text[i] !== "=") return { ok: false, reason: "syntax" };
  i++;
  skipSpace();
  if (text[i] !== '"') return { ok: false, reason: "syntax" };
  i++;
  let value = "";
  let closed = false;
  while (i < n) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < n) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    i++;
    if (c === '"') {
      closed = true;
      break;
    }
    value += c;
  }
  if (!closed) return { ok: false, reason: "syntax" };
  skipSpace();
  if (i !== n) return { ok: false, reason: "syntax" };
  if (!SEARCHABLE.has(attribute)) return { ok: false, reason: "attribute", attribute };
  return { ok: true, filter: { attribute, prefix, value } };
}

/** What a user shows for each searchable attribute. */
export interface SearchableUser {
  username: string;
  sub: string;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
}

function attributeValue(user: SearchableUser, attribute: string): string | undefined {
  switch (attribute) {
    case "username":
      return user.username;
    case "sub":
      return user.sub;
    case "cognito:user_status":
      return user.status;
    case "status":
      return user.enabled ? "Enabled" : "Disabled";
    default:
      return Object.hasOwn(user.attributes, attribute) ? user.attributes[attribute] : undefined;
  }
}

export function matchesUserFilter(user: SearchableUser, filter: UserFilter): boolean {
  let actual = attributeValue(user, filter.attribute);
  if (actual === undefined) return false;
  let wanted = filter.value;
  // Cognito compares the status case-insensitively, every other attribute as written.
  if (filter.attribute === "cognito:user_status") {
    actual = actual.toUpperCase();
    wanted = wanted.toUpperCase();
  }
  return filter.prefix ? actual.startsWith(wanted) : actual === wanted;
}
