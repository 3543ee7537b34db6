/** Minimal XML writing for AWS Query responses: objects become elements, arrays become <member> lists. */
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A literal CR reaches the client as LF (XML end-of-line handling); the reference keeps it.
  "\r": "&#xD;",
};

/**
 * What text needs: markup characters and CR; characters XML 1.0 allows only as references or discourages
 * (C1 controls, NEL, LINE SEPARATOR, which XML 1.1 parsers treat as line ends); and characters XML 1.0
 * forbids outright even as references (C0 controls but TAB/LF/CR, U+FFFE/U+FFFF, lone surrogates).
 */
const NEEDS_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[&<>"'\r\u007F-\u009F\u2028\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for element content and attribute values so that every document fedsim renders is
 * well-formed XML 1.0, whatever was stored or echoed. Characters XML cannot carry at all become U+FFFD,
 * as a decoder does with bytes it cannot map: lossy, but a client can always parse the answer.
 */
export function escapeXml(text: string): string {
  return text.replace(NEEDS_ESCAPE, (c) => {
    const named = ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    if (c.length === 1 && (code === 0x2028 || (code >= 0x7f && code <= 0x9f)))
      return `&#x${code.toString(16).toUpperCase()};`;
    return "\uFFFD";
  });
}

export type XmlValue = string | number | boolean | Date | null | undefined | XmlObject | readonly XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
}

/** AWS Query timestamps are ISO 8601 UTC to the second, e.g. 2026-11-25T05:00:00Z (no milliseconds). */
export function xmlTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function writeXmlValue(value: XmlValue, out: string[]): void {
  if (value === null || value === undefined) return;
  if (value instanceof Date) out.push(xmlTimestamp(value));
  else if (Array.isArray(value)) {
    for (const item of value) {
      out.push("<member>");
      writeXmlValue(item, out);
      out.push("</member>");
    }
  } else if (typeof value === "object") {
    for (const [name, child] of Object.entries(value as XmlObject)) {
      if (child === undefined || child === null) continue;
      out.push(`<${name}>`);
      writeXmlValue(child, out);
      out.push(`</${name}>`);
    }
  } else out.push(escapeXml(String(value)));
}
