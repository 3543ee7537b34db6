import { describe, expect, it } from "vitest";
import { isPkceValue, pkceS256Matches } from "../../../src/core/oidc/pkce.js";

// RFC 7636 Appendix B.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE S256", () => {
  it("matches RFC 7636's example verifier to its challenge, and nothing else", () => {
    expect(pkceS256Matches(VERIFIER, CHALLENGE)).toBe(true);
    expect(pkceS256Matches(`${VERIFIER.slice(0, -1)}l`, CHALLENGE)).toBe(false);
    // plain (the verifier sent as its own challenge) is not S256.
    expect(pkceS256Matches(VERIFIER, VERIFIER)).toBe(false);
  });

  it("takes 43-128 unreserved characters only", () => {
    expect(isPkceValue("a".repeat(43))).toBe(true);
    expect(isPkceValue("a".repeat(128))).toBe(true);
    expect(isPkceValue("a".repeat(42))).toBe(false);
    expect(isPkceValue("a".repeat(129))).toBe(false);
    expect(isPkceValue(`${"a".repeat(42)}+`)).toBe(false);
    expect(pkceS256Matches("short", CHALLENGE)).toBe(false);
  });
});
