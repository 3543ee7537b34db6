/**
 * The hardened parser's limits are checked on the text, in one linear pass, before xmldom builds anything:
 * xmldom's own work grows faster than the text on some shapes (an unclosed root followed by a flood of
 * elements, one namespace declaration per level, many element names), so a limit checked on the finished DOM
 * came too late. Each shape below took xmldom between 10 and 45 seconds before this pass refused it.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_XML_DEPTH,
  MAX_XML_ELEMENT_NAMES,
  MAX_XML_NAMESPACES_IN_SCOPE,
  parseXmlStrictly,
} from "../../../src/core/saml/parseXml.js";

const parse = (xml: string) => parseXmlStrictly(xml, (message) => new Error(message));
const refusal = (xml: string): string => {
  try {
    parse(xml);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the document to be refused");
};
/**
 * Refused by the text pass, before xmldom (the shapes here cost xmldom 10 s and more): its messages are its
 * own, so the message shows where the refusal came from. No timing is asserted; bench/ measures speed.
 */
const quickRefusal = refusal;
const repeat = (unit: (i: number) => string, count: number) =>
  Array.from({ length: count }, (_, i) => unit(i)).join("");

describe("tag structure, checked before parsing", () => {
  it("refuses a root left open and followed by 18,000 elements (75 kB) at once", () => {
    expect(quickRefusal(`<r>${"<a/>".repeat(18_749)}`)).toBe("malformed XML (<r> is not closed)");
  });

  it("refuses 18,000 elements with no root at once", () => {
    expect(quickRefusal("<a/>".repeat(18_750))).toBe("malformed XML (more than one root element)");
  });

  it("refuses end tags that close nothing or the wrong element", () => {
    expect(refusal("<r></a></r>")).toBe("malformed XML (end tag </a> does not close <r>)");
    expect(refusal("<r/></r>")).toBe("malformed XML (end tag </r> closes no element)");
    expect(refusal("<r><!-- open")).toBe("malformed XML (unterminated comment)");
    expect(refusal("<r><a b='>")).toBe("malformed XML (unterminated start tag)");
  });

  it("reads > and / inside quoted attribute values, comments and CDATA as text, not markup", () => {
    const doc = parse(
      `<?xml version="1.0"?><r a='x>/' b="</q>"><!-- <c> --><![CDATA[<d></e>]]><f g="/"></f ></r>`,
    );
    expect(doc.documentElement.getAttribute("b")).toBe("</q>");
    expect(doc.documentElement.getElementsByTagName("f")).toHaveLength(1);
  });

  it(`refuses nesting deeper than ${MAX_XML_DEPTH} before parsing, however the levels are written`, () => {
    const deep = (levels: number, open: (i: number) => string) =>
      `<r>${repeat(open, levels)}${"</a>".repeat(levels)}</r>`;
    expect(() => parse(deep(MAX_XML_DEPTH - 1, () => "<a>"))).not.toThrow();
    const tooDeep = `elements are nested more than ${MAX_XML_DEPTH} levels deep`;
    expect(refusal(deep(MAX_XML_DEPTH, () => "<a>"))).toBe(tooDeep);
    // A self-closing element counts as a level too.
    expect(refusal(`<r>${"<a>".repeat(MAX_XML_DEPTH - 1)}<b/>${"</a>".repeat(MAX_XML_DEPTH - 1)}</r>`)).toBe(
      tooDeep,
    );
    // One namespace declaration per level: xmldom copies every declaration in scope at each level, 43 s
    // for 1 MB when the depth was only checked on the finished tree.
    expect(quickRefusal(deep(40_000, (i) => `<a xmlns:p${i}="u">`))).toBe(tooDeep);
  });

  it(`refuses more than ${MAX_XML_ELEMENT_NAMES} different element names (xmldom looks each one up from the end)`, () => {
    const named = (count: number) => `<r>${repeat((i) => `<e${i % count}></e${i % count}>`, 50_000)}</r>`;
    expect(() => parse(named(MAX_XML_ELEMENT_NAMES - 1))).not.toThrow(); // and r
    expect(quickRefusal(named(MAX_XML_ELEMENT_NAMES))).toBe(
      `more than ${MAX_XML_ELEMENT_NAMES} different element names`,
    );
  });

  it(`refuses more than ${MAX_XML_NAMESPACES_IN_SCOPE} namespace declarations in scope (xmldom copies them per element)`, () => {
    const declaring = (count: number) =>
      `<r ${repeat((i) => `xmlns:p${i}="u" `, count - 1)}>${'<a xmlns:z="u"/>'.repeat(20_000)}</r>`;
    expect(() => parse(declaring(MAX_XML_NAMESPACES_IN_SCOPE))).not.toThrow();
    expect(quickRefusal(declaring(MAX_XML_NAMESPACES_IN_SCOPE + 1))).toBe(
      `more than ${MAX_XML_NAMESPACES_IN_SCOPE} namespace declarations in scope`,
    );
    // Declarations leave scope with their element.
    const siblings = repeat((i) => `<a xmlns:q${i}="u" xmlns="v"></a>`, MAX_XML_NAMESPACES_IN_SCOPE * 2);
    expect(() => parse(`<r>${siblings}</r>`)).not.toThrow();
  });
});
