/**
 * Route templates as API Gateway writes them: `/pets`, `/pets/{petId}`, `/files/{proxy+}` (greedy, last
 * segment only), `/` for the root. Parsed once from the config into segments; matching compares segments
 * one by one, so no regular expression is ever built from a template or run against a client's path.
 */
export type TemplateSegment =
  | { kind: "literal"; text: string }
  | { kind: "param"; name: string }
  | { kind: "greedy"; name: string };

export interface RouteTemplate {
  /** As written in the config. */
  text: string;
  segments: readonly TemplateSegment[];
}

/** Literal characters: RFC 3986 pchar without '%' (literals are compared with decoded segments). */
const LITERAL = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/** Parses a template; a string is the reason it is not one (config validation shows it with the field's path). */
export function parseRouteTemplate(text: string): RouteTemplate | string {
  if (text === "/") return { text, segments: [] };
  if (!text.startsWith("/")) return "a route path starts with /";
  const parts = text.slice(1).split("/");
  const segments: TemplateSegment[] = [];
  const names = new Set<string>();
  for (const [i, part] of parts.entries()) {
    if (part === "") return "a route path has no empty segments (// or a trailing /)";
    const param = PARAM.exec(part);
    if (param) {
      const name = param[1]!;
      if (names.has(name)) return `the path parameter {${name}} appears twice`;
      names.add(name);
      if (param[2] === "+") {
        if (i !== parts.length - 1) return `the greedy parameter {${name}+} must be the last segment`;
        segments.push({ kind: "greedy", name });
      } else segments.push({ kind: "param", name });
      continue;
    }
    if (part === "." || part === "..") return "a route path has no . or .. segments";
    if (!LITERAL.test(part))
      return `the segment '${part}' is neither a literal (letters, digits and ._~!$&'()*+,;=:@-) nor a {parameter}`;
    segments.push({ kind: "literal", text: part });
  }
  return { text, segments };
}

/** The template with parameter names erased: two routes with the same shape and method are the same route. */
export function templateShape(template: RouteTemplate): string {
  if (template.segments.length === 0) return "/";
  let out = "";
  for (const s of template.segments)
    out += s.kind === "literal" ? `/${s.text}` : s.kind === "param" ? "/{}" : "/{+}";
  return out;
}

/**
 * How specifically a template matches decoded path segments, or -1 when it does not. Literal segments beat
 * parameters, which beat a greedy parameter, compared from the left (as API Gateway resolves its resource
 * tree one level at a time). The score is a base-4 number of at most 16 digits, so it stays exact; a path of
 * more than 15 segments is scored on its first 15, which only matters for two greedy routes that tie there.
 */
export function matchScore(template: RouteTemplate, segments: readonly string[]): number {
  const t = template.segments;
  let score = 0;
  let digits = 0;
  const push = (d: number) => {
    if (digits < 15) {
      score = score * 4 + d;
      digits++;
    }
  };
  for (let i = 0; i < t.length; i++) {
    const s = t[i]!;
    if (s.kind === "greedy") {
      // {proxy+} stands for one segment or more, never for none.
      if (segments.length <= i) return -1;
      for (let j = i; j < segments.length; j++) push(1);
      return pad(score, digits);
    }
    if (i >= segments.length) return -1;
    if (s.kind === "literal") {
      if (s.text !== segments[i]) return -1;
      push(3);
    } else push(2);
  }
  return segments.length === t.length ? pad(score, digits) : -1;
}

/** Scores of different lengths compare digit by digit: shorter ones are padded on the right. */
function pad(score: number, digits: number): number {
  let s = score;
  for (let d = digits; d < 15; d++) s *= 4;
  return s;
}
