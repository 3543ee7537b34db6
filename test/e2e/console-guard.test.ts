import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, openStream } from "../console/http.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

/**
 * Who may open the console. A loopback client naming a non-loopback Host stands for a browser reaching
 * fedsim at another address (fedsim --host 0.0.0.0) or through a proxy: the admin guard's rule refuses both.
 */
describe("the web console's guard", () => {
  let fedsim: TestFedsim;
  const ELSEWHERE = { host: "fedsim.example:4566" };
  beforeAll(async () => {
    fedsim = await startTestFedsim({ adminToken: "console-test-token-0123456789" });
  });
  afterAll(() => fedsim.stop());

  const cookieFrom = (setCookie: string | string[] | undefined): string => {
    const line = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ""]).find((c) =>
      c.startsWith("fedsim_console="),
    );
    return line!.split(";")[0]!;
  };
  const signIn = async () =>
    cookieFrom(
      (await get(fedsim.url, "/_fedsim/console?token=console-test-token-0123456789", ELSEWHERE)).headers[
        "set-cookie"
      ],
    );

  it("opens to a loopback client naming a loopback host, with no token", async () => {
    const page = await get(fedsim.url, "/_fedsim/console");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("<h1>Decisions</h1>");
  });

  it("refuses a client elsewhere without the token, with a page that says how to get in and shows nothing else", async () => {
    for (const path of ["/_fedsim/console", "/_fedsim/console/roles", "/_fedsim/console/sessions"]) {
      const page = await get(fedsim.url, path, ELSEWHERE);
      expect(page.status, path).toBe(403);
      expect(page.headers["cache-control"]).toBe("no-store");
      expect(page.body).toContain(
        "fedsim's console answers loopback clients only, or a browser that opened the console link with the admin token fedsim printed at start-up (/_fedsim/console?token=TOKEN).",
      );
      expect(page.body).not.toContain("PetStoreAdmin");
    }
    const stream = await openStream(fedsim.url, "/_fedsim/console/decisions?follow=true", ELSEWHERE);
    expect(stream.status).toBe(403);
  });

  it("refuses a wrong token in the link, and sets no cookie", async () => {
    for (const token of ["console-test-token-012345678", "CONSOLE-TEST-TOKEN-0123456789", "x", ""]) {
      const page = await get(fedsim.url, `/_fedsim/console?token=${encodeURIComponent(token)}`, ELSEWHERE);
      expect(page.status, token).toBe(403);
      expect(page.body).toContain("The token in this link is not the one fedsim printed at start-up.");
      expect(page.headers["set-cookie"]).toBeUndefined();
    }
  });

  it("swaps the right token for an HttpOnly SameSite=Strict cookie that is not the token, and moves on without it in the address", async () => {
    const page = await get(
      fedsim.url,
      "/_fedsim/console/roles?token=console-test-token-0123456789",
      ELSEWHERE,
    );
    expect(page.status).toBe(200);
    const setCookie = (page.headers["set-cookie"] as string[])[0]!;
    expect(setCookie).toMatch(
      /^fedsim_console=[\w-]{43}; Path=\/_fedsim\/console; HttpOnly; SameSite=Strict$/,
    );
    expect(setCookie).not.toContain("console-test-token-0123456789");
    expect(page.body).toContain('<meta http-equiv="refresh" content="0; url=/_fedsim/console/roles">');
    expect(page.body).not.toContain("console-test-token");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
  });

  it("lets that cookie open every view and the live log's stream from elsewhere", async () => {
    const cookie = await signIn();
    for (const path of ["/_fedsim/console", "/_fedsim/console/roles", "/_fedsim/console/apis"]) {
      const page = await get(fedsim.url, path, { ...ELSEWHERE, cookie });
      expect(page.status, path).toBe(200);
    }
    const stream = await openStream(fedsim.url, "/_fedsim/console/decisions?follow=true", {
      ...ELSEWHERE,
      cookie,
    });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe("text/event-stream");
  });

  it("refuses a tampered or doubled cookie", async () => {
    const cookie = await signIn();
    const tampered = `${cookie.slice(0, -1)}${cookie.endsWith("A") ? "B" : "A"}`;
    expect((await get(fedsim.url, "/_fedsim/console", { ...ELSEWHERE, cookie: tampered })).status).toBe(403);
    expect(
      (await get(fedsim.url, "/_fedsim/console", { ...ELSEWHERE, cookie: `${cookie}; ${tampered}` })).status,
    ).toBe(403);
  });

  it("does not let the console's cookie open the rest of /_fedsim (status, reset, the decision log's JSON)", async () => {
    const cookie = await signIn();
    for (const path of ["/_fedsim/status", "/_fedsim/decisions"]) {
      const answer = await get(fedsim.url, path, { ...ELSEWHERE, cookie });
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ __type: "AccessDenied" });
    }
  });

  it("takes the admin token as a Bearer header too, as the other admin routes do", async () => {
    const page = await get(fedsim.url, "/_fedsim/console/users", {
      ...ELSEWHERE,
      authorization: "Bearer console-test-token-0123456789",
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain("<h1>Users</h1>");
  });
});
