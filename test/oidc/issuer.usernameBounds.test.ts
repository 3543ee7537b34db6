/**
 * Review of issue 9 (failing on purpose until fixed): /idp/login refuses usernames over 128 characters or with
 * control characters before its lockout table and the decision log keep them; the /oidc issuer's two sign-in
 * doors (the password grant and the sign-in form) do not, so an unsigned client can park ~64 KB per made-up
 * username in the throttle (10,000 entries: ~640 MB) and evict real lockouts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

describe("the built-in OpenID issuer bounds usernames as /idp/login does", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("refuses a 60,000-character username at POST /oidc/token with invalid_request, not a counted wrong password", async () => {
    const res = await fetch(`${fedsim.url}/oidc/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", username: "x".repeat(60_000), password: "p" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_request");
  });

  it("refuses a username with a control character at POST /oidc/token with invalid_request", async () => {
    const res = await fetch(`${fedsim.url}/oidc/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", username: "bob\n", password: "p" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_request");
  });
});
