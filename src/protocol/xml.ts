/** Minimal XML writing for AWS Query responses: objects become elements, arrays become <member> lists. */
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type XmlValue = string | number | boolean | Date | null | undefined | XmlObject | readonly XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
}

/** AWS timestamps in Query responses are ISO 8601 UTC with milliseconds, e.g. 2026-11-25T05:00:00.000Z. */
export function writeXmlValue(value: XmlValue, out: string[]): void {
  if (value === null || value === undefined) return;
  if (value instanceof Date) out.push(value.toISOString());
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
