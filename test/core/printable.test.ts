import { describe, expect, it } from "vitest";
import { printableRecord } from "../../src/cli/commands/decisions.js";
import { printable } from "../../src/core/printable.js";

describe("printable", () => {
  it("shows control characters as escapes, so a client's text cannot drive a terminal or forge a log line", () => {
    expect(printable("a\u001b]0;owned\u0007\nb\r\u2028c\u0085")).toBe(
      "a\\u001b]0;owned\\u0007\\u000ab\\u000d\\u2028c\\u0085",
    );
    expect(printable("café ✓ arn:aws:iam::123456789012:role/x")).toBe(
      "café ✓ arn:aws:iam::123456789012:role/x",
    );
  });

  it("applies to every text of a decision record, nested ones included", () => {
    const record = printableRecord({
      id: "1",
      time: "t",
      requestId: "r",
      door: "aws-api",
      service: "sts",
      principal: "arn:aws:iam::1:role/x\nallow",
      action: "a",
      resource: "*",
      decision: "refused",
      reason: "r\u001b[2J",
      statements: [],
      context: { "aws:UserAgent": "ua\n" },
    });
    expect(record.principal).toBe("arn:aws:iam::1:role/x\\u000aallow");
    expect(record.reason).toBe("r\\u001b[2J");
    expect(record.context["aws:UserAgent"]).toBe("ua\\u000a");
  });
});
