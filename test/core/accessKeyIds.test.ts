import { describe, expect, it } from "vitest";
import { accountOfAccessKeyId, newAccessKeyId } from "../../src/core/accessKeyIds.js";

describe("access key ids that carry their account, as AWS's do", () => {
  it("decodes the published example ASIAY34FZKBOKMUTVV7A to account 609629065308", () => {
    expect(accountOfAccessKeyId("ASIAY34FZKBOKMUTVV7A")).toBe("609629065308");
  });

  it("issues ids of AWS's shape that decode to their account, with a leading-zero account too", () => {
    for (const account of ["123456789012", "000000000042", "999999999999"]) {
      const id = newAccessKeyId("ASIA", account);
      expect(id).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(accountOfAccessKeyId(id)).toBe(account);
    }
  });

  it("finds no account in old-generation ids such as AWS's documentation example, or in other text", () => {
    expect(accountOfAccessKeyId("AKIAIOSFODNN7EXAMPLE")).toBeUndefined();
    expect(accountOfAccessKeyId("AKIA0000000000000000")).toBeUndefined();
    expect(accountOfAccessKeyId("AROAY34FZKBOKMUTVV7A")).toBeUndefined();
  });
});
