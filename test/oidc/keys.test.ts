import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtinIssuer } from "../../src/oidc/issuer.js";
import { loadOrCreateIssuerKeys } from "../../src/oidc/keys.js";

const dir = mkdtempSync(join(tmpdir(), "fedsim-oidc-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the built-in issuer's keys", () => {
  it("generates a PKCS#8 key readable only by its owner, and reads the same key (same kid) afterwards", async () => {
    const first = await loadOrCreateIssuerKeys(join(dir, "certs"));
    const file = join(dir, "certs", "oidc-signing.key");
    expect(readFileSync(file, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateIssuerKeys(join(dir, "certs"));
    expect(again.signing.kid).toBe(first.signing.kid);
    expect(again.jwks).toEqual({ keys: [first.signing.publicJwk] });
  });

  it("names the issuer {publicUrl}/oidc and loads its keys once, on first use", async () => {
    const issuer = builtinIssuer("http://127.0.0.1:4566/", join(dir, "lazy"));
    expect(issuer).toMatchObject({ url: "http://127.0.0.1:4566/oidc", name: "127.0.0.1:4566/oidc" });
    const [a, b] = await Promise.all([issuer.keys(), issuer.keys()]);
    expect(a).toBe(b);
    expect(await issuer.keys()).toBe(a);
  });
});
