import { CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

/**
 * A page on another site, open in a browser on fedsim's machine, can send a simple POST to
 * http://127.0.0.1:4566/_fedsim/reset: the browser is a loopback client and names a loopback Host, so the
 * loopback rule alone lets it wipe fedsim's store (a CSRF). Browsers say where such a request comes from
 * (Origin, Sec-Fetch-Site); the CLI's fetch sends neither.
 */
describe("the admin API against cross-site browser requests", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());
  const iam = () =>
    new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });

  it("refuses a cross-site form POST to /_fedsim/reset from a loopback browser, and resets nothing", async () => {
    await iam().send(new CreateUserCommand({ UserName: "survivor" }));
    for (const headers of <Record<string, string>[]>[
      { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "http://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const res = await fetch(`${fedsim.url}/_fedsim/reset`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "",
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toEqual({
        __type: "AccessDenied",
        message:
          "fedsim's admin endpoints answer loopback clients only, or requests with the admin token printed at start-up (Authorization: Bearer TOKEN); a browser page of another origin is neither",
      });
    }
    expect((await iam().send(new GetUserCommand({ UserName: "survivor" }))).User?.UserName).toBe("survivor");
  });

  it("still answers the CLI (no Origin) and a same-origin page", async () => {
    const same = await fetch(`${fedsim.url}/_fedsim/status`, {
      headers: { origin: fedsim.url, "sec-fetch-site": "same-origin" },
    });
    expect(same.status).toBe(200);
    const cli = await fetch(`${fedsim.url}/_fedsim/reset`, { method: "POST" });
    expect(cli.status).toBe(200);
  });
});
