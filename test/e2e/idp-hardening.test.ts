import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Posts a form from a chosen loopback address (127.0.0.2 is another client to the server). */
function post(
  url: string,
  path: string,
  fields: Record<string, string>,
  localAddress = "127.0.0.1",
): Promise<Answer> {
  return send(url, "POST", path, new URLSearchParams(fields).toString(), localAddress);
}

function send(
  url: string,
  method: string,
  path: string,
  body = "",
  localAddress = "127.0.0.1",
): Promise<Answer> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        localAddress,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const samlResponseIn = (html: string) => /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1];

describe("every HTML answer of the built-in IdP and /saml carries the security headers", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  /** The pages a sign-in shows, in order, plus the error and wrong-password answers. */
  async function everyPage(): Promise<[string, Answer][]> {
    const login = await send(fedsim.url, "GET", "/idp/login");
    const wrong = await post(fedsim.url, "/idp/login", { username: "bob", password: "nope" });
    const autoPost = await post(fedsim.url, "/idp/login", { username: "alice", password: "alice-password" });
    const SAMLResponse = samlResponseIn(autoPost.body)!;
    const picker = await post(fedsim.url, "/saml", { SAMLResponse });
    const credentials = await post(fedsim.url, "/saml", { SAMLResponse, roleIndex: "0" });
    const error = await post(fedsim.url, "/saml", {});
    return [
      ["login form", login],
      ["wrong password", wrong],
      ["auto-post hand-off", autoPost],
      ["role picker", picker],
      ["credentials", credentials],
      ["error page", error],
    ];
  }

  it("forbids framing, sniffing and referrers, and allows no script or style but the pages' own", async () => {
    const pages = await everyPage();
    expect(pages.map(([, a]) => a.status)).toEqual([200, 401, 200, 200, 200, 400]);
    for (const [name, answer] of pages) {
      expect(answer.headers["x-frame-options"], name).toBe("DENY");
      expect(answer.headers["x-content-type-options"], name).toBe("nosniff");
      expect(answer.headers["referrer-policy"], name).toBe("no-referrer");
      const csp = String(answer.headers["content-security-policy"]);
      const directives = new Map(
        csp.split(";").map((d) => {
          const [directive, ...sources] = d.trim().split(/\s+/);
          return [directive!, sources];
        }),
      );
      expect(directives.get("default-src"), name).toEqual(["'none'"]);
      expect(directives.get("frame-ancestors"), name).toEqual(["'none'"]);
      expect(directives.get("form-action"), name).toEqual(["'self'"]);
      expect(directives.get("base-uri"), name).toEqual(["'none'"]);
      expect(csp, name).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      // Every inline script and style the page holds is allowed by its hash, and nothing else is.
      for (const [tag, directive] of [
        ["script", "script-src"],
        ["style", "style-src"],
      ] as const) {
        const inline = [...answer.body.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map(
          (m) => m[1]!,
        );
        for (const text of inline)
          expect(directives.get(directive), `${name} ${tag}`).toContain(sha256(text));
        expect(directives.get(directive)?.length, `${name} ${directive}`).toBe(1);
      }
    }
    // The hand-off page does run its script: the SAMLResponse reaches /saml only through it.
    expect(pages[2]![1].body).toMatch(/<script>[^<]+\.submit\(\)<\/script>/);
  });
});

describe("wrong passwords lock a username out from an address", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  // Each test signs in from its own loopback address, so that none inherits another's failures.
  const client = (from: string) => {
    const login = (password: string, username = "alice") =>
      post(fedsim.url, "/idp/login", { username, password }, from);
    const wrongTimes = async (n: number, username = "alice") => {
      for (let i = 0; i < n; i++) expect((await login("nope", username)).status).toBe(401);
    };
    return { login, wrongTimes };
  };

  it("answers the sixth try after five wrong passwords with 429 and Retry-After 1, then doubles", async () => {
    const { login, wrongTimes } = client("127.0.0.11");
    await wrongTimes(5);
    // Refused before the password is looked at: the right one fares no better.
    const sixth = await login("alice-password");
    expect(sixth.status).toBe(429);
    expect(sixth.headers["retry-after"]).toBe("1");
    expect(sixth.headers["x-frame-options"]).toBe("DENY");
    expect(sixth.body).toContain(
      "Too many wrong passwords for this username from your address: try again in 1 second.",
    );
    expect(sixth.body).not.toContain("SAMLResponse");

    fedsim.clock.advance(1_000);
    await wrongTimes(1);
    const second = await login("alice-password");
    expect(second.status).toBe(429);
    expect(second.headers["retry-after"]).toBe("2");
    fedsim.clock.advance(1_000);
    expect((await login("alice-password")).headers["retry-after"]).toBe("1");

    fedsim.clock.advance(1_000);
    await wrongTimes(1);
    const third = await login("nope");
    expect(third.status).toBe(429);
    expect(third.headers["retry-after"]).toBe("4");
    expect(third.body).toContain("try again in 4 seconds.");
  });

  it("lets the right password in once the lockout ends, and the success forgets failures and doubling", async () => {
    const { login, wrongTimes } = client("127.0.0.12");
    await wrongTimes(5);
    fedsim.clock.advance(1_000);
    await wrongTimes(1);
    expect((await login("alice-password")).headers["retry-after"]).toBe("2");
    fedsim.clock.advance(2_000);
    const ok = await login("alice-password");
    expect(ok.status).toBe(200);
    expect(samlResponseIn(ok.body)).toBeDefined();
    // Counting starts again: four wrong passwords pass, the fifth locks for one second, not four.
    await wrongTimes(4);
    expect((await login("alice-password")).status).toBe(200);
    await wrongTimes(5);
    expect((await login("alice-password")).headers["retry-after"]).toBe("1");
    fedsim.clock.advance(1_000);
    expect((await login("alice-password")).status).toBe(200);
  });

  it("does not lock the same username out from another address, nor another username", async () => {
    const here = client("127.0.0.13");
    await here.wrongTimes(5, "bob");
    expect((await here.login("bob-password", "bob")).status).toBe(429);
    expect((await client("127.0.0.14").login("bob-password", "bob")).status).toBe(200);
    expect((await here.login("alice-password", "alice")).status).toBe(200);
  });

  it("locks out usernames nobody has as well, so a lockout says nothing about who exists", async () => {
    const { login, wrongTimes } = client("127.0.0.15");
    await wrongTimes(5, "mallory");
    expect((await login("x", "mallory")).status).toBe(429);
  });
});

describe("settings.loginLockout: false (a workshop room on one address with one demo password)", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    const text = readFileSync("data/petstore.yaml", "utf8").replace(
      "rejectReplayedAssertions: false",
      "rejectReplayedAssertions: false\n  loginLockout: false",
    );
    const config = parseConfigText(text);
    expect(config.settings.loginLockout).toBe(false);
    fedsim = await startTestFedsim({ config: { file: join(process.cwd(), "data/petstore.yaml"), config } });
  });
  afterAll(() => fedsim.stop());

  it("never locks, however many wrong passwords come from one address", async () => {
    for (let i = 0; i < 20; i++) {
      expect((await post(fedsim.url, "/idp/login", { username: "alice", password: "nope" })).status).toBe(
        401,
      );
    }
    const ok = await post(fedsim.url, "/idp/login", { username: "alice", password: "alice-password" });
    expect(ok.status).toBe(200);
    expect(ok.headers["retry-after"]).toBeUndefined();
  });
});
