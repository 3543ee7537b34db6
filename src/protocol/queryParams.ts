import { AwsError } from "../errors.js";

/**
 * Parameters of an AWS Query request (form body and URL query), with readers for the
 * `Name.member.N` list encoding. Missing required values answer ValidationError as STS/IAM do.
 */
export class QueryParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  required(name: string, member = lowerFirst(name)): string {
    const value = this.values.get(name);
    if (value === undefined) {
      throw new AwsError(
        "ValidationError",
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(value)) {
      throw new AwsError(
        "ValidationError",
        `Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a number`,
      );
    }
    return Number(value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") {
      throw new AwsError(
        "ValidationError",
        `Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a boolean`,
      );
    }
    return value === "true";
  }

  /** `Name.member.1`, `Name.member.2`, ... in index order (gaps end the list, as in AWS). */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.values.get(`${name}.member.${i}`);
      if (value === undefined) return out;
      out.push(value);
    }
  }

  /** `Name.member.N.Field` structures, e.g. Tags.member.1.Key / Tags.member.1.Value. */
  structList<K extends string>(name: string, fields: readonly K[]): Record<K, string | undefined>[] {
    const out: Record<K, string | undefined>[] = [];
    for (let i = 1; ; i++) {
      const prefix = `${name}.member.${i}.`;
      const item = {} as Record<K, string | undefined>;
      let any = false;
      for (const f of fields) {
        const v = this.values.get(prefix + f);
        item[f] = v;
        if (v !== undefined) any = true;
      }
      if (!any) return out;
      out.push(item);
    }
  }

  /** Everything, for the decision log and DecodeAuthorizationMessage context. */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * Strict application/x-www-form-urlencoded parsing of a body: unlike URLSearchParams, a bad percent-escape
 * is an error (MalformedQueryString) rather than silently kept, so what was signed is what is read.
 * A parameter given twice (in one source, or in both the URL and the body) is refused too: no SDK sends
 * that, and picking either value would let one part of a request say something else than the other.
 */
export function parseForm(text: string, into = new Map<string, string>()): Map<string, string> {
  return parsePairs(text, into, true);
}

/**
 * The URL's query string, read as SigV4 canonicalises it (RFC 3986: "+" is a plus sign, a space is %20).
 * Read with form rules instead, a signature over "%2B" would stay valid when "+" is put in its place,
 * and the value read would then differ from the value signed.
 */
export function parseQueryString(text: string, into = new Map<string, string>()): Map<string, string> {
  return parsePairs(text, into, false);
}

function parsePairs(text: string, into: Map<string, string>, plusIsSpace: boolean): Map<string, string> {
  if (text === "") return into;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decodeComponent(rawKey, plusIsSpace);
    if (into.has(key)) {
      throw new AwsError(
        "MalformedQueryString",
        `Parameter '${key.slice(0, 64)}' appears more than once in the request`,
      );
    }
    into.set(key, decodeComponent(rawValue, plusIsSpace));
  }
  return into;
}

function decodeComponent(raw: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, " ") : raw);
  } catch {
    throw new AwsError(
      "MalformedQueryString",
      `Invalid percent-encoding in request parameters: '${raw.slice(0, 64)}'`,
    );
  }
}
