import { describe, expect, it } from "vitest";
import { connectionListed, refusedHeaders } from "../../src/gateway/headerChecks.js";

describe("header hard edges", () => {
  it("accepts ordinary headers, repeated ones that do not matter included", () => {
    expect(refusedHeaders(["Host", "a", "Accept", "x", "Accept", "y", "X-Amz-Date", "d"])).toBeUndefined();
    expect(refusedHeaders(["Host", "a", "Transfer-Encoding", "chunked"])).toBeUndefined();
  });

  it.each([
    [["Host", "a", "host", "b"], "The request has more than one host header"],
    [
      ["Host", "a", "Authorization", "x", "Authorization", "y"],
      "The request has more than one Authorization header",
    ],
    [["Host", "a", "X-Amz-Date", "1", "x-amz-date", "2"], "The request has more than one x-amz-date header"],
    [
      ["Host", "a", "X-Amz-Security-Token", "1", "X-Amz-Security-Token", "2"],
      "The request has more than one X-Amz-Security-Token header",
    ],
    [
      ["Host", "a", "Transfer-Encoding", "chunked", "Content-Length", "5"],
      "The request has both Transfer-Encoding and Content-Length",
    ],
    [
      ["Host", "a", "Content-Length", "5", "Transfer-Encoding", "chunked"],
      "The request has both Transfer-Encoding and Content-Length",
    ],
    [
      ["Host", "a", "Transfer-Encoding", "chunked, identity"],
      "The only Transfer-Encoding accepted is chunked",
    ],
    [
      ["Host", "a", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"],
      "The request has more than one Transfer-Encoding header",
    ],
  ])("refuses %j", (raw, reason) => {
    expect(refusedHeaders(raw)).toBe(reason);
  });

  it("reads the extra hop-by-hop names a Connection header lists", () => {
    expect(connectionListed(["Connection", "keep-alive, X-Secret", "connection", "Upgrade"])).toEqual(
      new Set(["keep-alive", "x-secret", "upgrade"]),
    );
    expect(connectionListed(["Host", "a"])).toBeUndefined();
  });
});
