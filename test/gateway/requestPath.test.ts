import { describe, expect, it } from "vitest";
import { checkRequestPath } from "../../src/gateway/requestPath.js";

describe("request path hard edges", () => {
  it("decodes each segment once, for the route and the ARN", () => {
    expect(checkRequestPath("/")).toEqual({ segments: [] });
    expect(checkRequestPath("/pets/1")).toEqual({ segments: ["pets", "1"] });
    expect(checkRequestPath("/pets/hello%20world/%E2%82%AC")).toEqual({
      segments: ["pets", "hello world", "€"],
    });
    // Decoded once only: %2525 is the text %25, not %.
    expect(checkRequestPath("/a/%2525")).toEqual({ segments: ["a", "%25"] });
    expect(checkRequestPath("/a/.hidden/..x")).toEqual({ segments: ["a", ".hidden", "..x"] });
  });

  it.each([
    ["/pets/../admin", "The request path has a '..' segment"],
    ["/pets/./admin", "The request path has a '.' segment"],
    ["/pets/%2e%2e/admin", "The request path has a '..' segment"],
    ["/pets/%2E%2E/admin", "The request path has a '..' segment"],
    ["/pets/.%2e/admin", "The request path has a '..' segment"],
    ["/pets/%2e/admin", "The request path has a '.' segment"],
    ["/pets//admin", "The request path has an empty segment (// or a trailing /)"],
    ["//pets", "The request path has an empty segment (// or a trailing /)"],
    ["/pets/", "The request path has an empty segment (// or a trailing /)"],
    ["/pets%2Fadmin", "The request path holds an encoded slash (%2F)"],
    ["/pets%2fadmin", "The request path holds an encoded slash (%2F)"],
    ["/pets%5Cadmin", "The request path holds an encoded backslash (%5C)"],
    ["/pets\\admin", "The request path holds a backslash"],
    ["/pets%00", "The request path holds an encoded NUL (%00)"],
    ["/pets%0a", "The request path holds an encoded control character"],
    ["/pets%7F", "The request path holds an encoded control character"],
    ["/pets%C0%AF", "The request path is not valid UTF-8 once percent-decoded"],
    ["/pets%ff", "The request path is not valid UTF-8 once percent-decoded"],
    ["/pets%E2%82", "The request path is not valid UTF-8 once percent-decoded"],
    ["/pets%2", "The request path holds a malformed percent escape"],
    ["/pets%zz", "The request path holds a malformed percent escape"],
    ["/pets\u0000", "The request path holds a control or non-ASCII character"],
    ["/pets/\u00e9", "The request path holds a control or non-ASCII character"],
    ["pets", "The request path must start with /"],
  ])("refuses %j", (path, reason) => {
    expect(checkRequestPath(path)).toEqual({ refused: reason });
  });
});
