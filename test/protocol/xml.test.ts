import { describe, expect, it } from "vitest";
import { escapeXml, writeXmlValue, xmlTimestamp } from "../../src/protocol/xml.js";

describe("XML escaping keeps every document well-formed XML 1.0", () => {
  it("escapes markup characters", () => {
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  });

  it("keeps TAB and LF literal and sends CR as a reference, so parsers do not turn it into LF", () => {
    expect(escapeXml("a\tb\nc\r\nd")).toBe("a\tb\nc&#xD;\nd");
  });

  it("references C1 controls, NEL and LINE SEPARATOR, which XML 1.1 parsers would treat as line ends", () => {
    expect(escapeXml("\u007F\u0085\u009F\u2028")).toBe("&#x7F;&#x85;&#x9F;&#x2028;");
  });

  it("replaces characters XML 1.0 forbids even as references with U+FFFD", () => {
    expect(escapeXml("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg")).toBe(
      "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg",
    );
    expect(escapeXml("\uFFFE\uFFFF")).toBe("\uFFFD\uFFFD");
    expect(escapeXml("lone \uD800 and \uDC00 end\uD83D")).toBe("lone \uFFFD and \uFFFD end\uFFFD");
  });

  it("leaves ordinary text, Latin-1 and astral characters alone", () => {
    const text = "Café 東京 ☕ 😀 \u00A0";
    expect(escapeXml(text)).toBe(text);
  });

  it("writes timestamps to the second, as AWS Query responses do", () => {
    expect(xmlTimestamp(new Date(Date.UTC(2026, 10, 25, 22, 0, 0, 670)))).toBe("2026-11-25T22:00:00Z");
    const out: string[] = [];
    writeXmlValue({ Expiration: new Date(Date.UTC(2026, 10, 25, 22, 0, 0, 5)) }, out);
    expect(out.join("")).toBe("<Expiration>2026-11-25T22:00:00Z</Expiration>");
  });
});
