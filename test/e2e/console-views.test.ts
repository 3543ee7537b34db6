import { createHash } from "node:crypto";
import { GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginViaSaml } from "../../src/client/samlLogin.js";
import { userPoolRepository } from "../../src/store/userPools.js";
import { signedFetchAt } from "../../src/testing/signedFetch.js";
import { get } from "../console/http.js";
import { cognitoClient } from "../helpers/cognito.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, REGION } from "../helpers/petstore.js";

const PETS = "/restapis/petstore/prod/_user_request_/pets";
const POOL = "us-east-1:3f1c9a52-7b4e-4d8a-9c61-5e2f0a7d4b18";
const page = async (fedsim: TestFedsim, path: string) => {
  const answer = await get(fedsim.url, `/_fedsim/console${path}`);
  expect(answer.status, path).toBe(200);
  return answer.body;
};
/** The <script> elements of a page: only the console's own may be there, whatever the store holds. */
const scriptTags = (html: string) => html.match(/<script\b/gi)?.length ?? 0;

describe("the web console's views of the pet-store demo", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("shows each role's description, trust policy, and attached policies with their documents", async () => {
    const html = await page(fedsim, "/roles");
    expect(html).toContain('<h3 id="role-title-PetStoreAdmin">PetStoreAdmin</h3>');
    expect(html).toContain("Pet-store customers (Bob)");
    expect(html).toContain(`<code>arn:aws:iam::${ACCOUNT_ID}:role/PetStoreCustomer</code>`);
    expect(html).toContain("&quot;Sid&quot;: &quot;ViaBuiltInIdP&quot;");
    expect(html).toContain(`<summary>arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreWritePets</summary>`);
    expect(html).toContain("&quot;Sid&quot;: &quot;AddPets&quot;");
    expect(html).toContain("<caption>Roles of account 123456789012</caption>");
    expect(html).toContain('<th scope="col">Description</th>');
  });

  it("lists users with their access key ids, never their secrets", async () => {
    const html = await page(fedsim, "/users");
    expect(html).toContain("<code>AKIAIOSFODNN7EXAMPLE</code>");
    expect(html).toContain("arn:aws:iam::aws:policy/IAMReadOnlyAccess");
    expect(html).not.toContain("wJalrXUtnFEMI");
  });

  it("shows the identity pool, its providers and roles, and an identity once GetId made one", async () => {
    const before = await page(fedsim, "/identity-pools");
    expect(before).toContain(`<code>${POOL}</code>`);
    expect(before).toContain(`<code>arn:aws:iam::${ACCOUNT_ID}:role/PetStoreGuest</code>`);
    expect(before).toContain("login.petstore (developer provider)");
    expect(before).toContain("No identities yet");
    const { IdentityId } = await cognitoClient(fedsim).send(new GetIdCommand({ IdentityPoolId: POOL }));
    const after = await page(fedsim, "/identity-pools");
    expect(after).toContain(`<code>${IdentityId}</code>`);
    expect(after).toContain("none (a guest)");
  });

  it("shows user pools' clients, groups with their roles, and users, with no password material", async () => {
    const html = await page(fedsim, "/user-pools");
    expect(html).toContain("<code>us-east-1_PetStore1</code>");
    expect(html).toContain("<code>petstorewebclient000000001</code>");
    expect(html).toContain(`<code>arn:aws:iam::${ACCOUNT_ID}:role/PetStoreAdmin</code>`);
    expect(html).toContain("email=bob@petstore.example");
    const alice = userPoolRepository(fedsim.store).getUser("us-east-1_PetStore1", "alice")!;
    for (const secret of [alice.passwordHash, alice.srpSalt, alice.srpVerifier])
      if (secret) expect(html).not.toContain(secret);
  });

  it("lists a session while it lasts, with its expiry and never its secret or token, and drops it after", async () => {
    const bob = await loginViaSaml({ endpoint: fedsim.url, username: "bob", password: "bob-password" });
    const html = await page(fedsim, "/sessions");
    expect(html).toContain(`<code>arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/bob</code>`);
    expect(html).toContain(`<code>${bob.accessKeyId}</code>`);
    const expires = bob.expiration.toISOString();
    expect(html).toContain(
      `<time datetime="${expires}">${expires.slice(0, 19).replace("T", " ")} UTC</time>`,
    );
    expect(html).toContain("60 min");
    expect(html).not.toContain(bob.secretAccessKey);
    expect(html).not.toContain(bob.sessionToken);
    fedsim.clock.advance(3600_000 + 1000);
    expect(await page(fedsim, "/sessions")).not.toContain(bob.accessKeyId);
  });

  it("shows the gateway's APIs, each route's authorization and the URL to call it at", async () => {
    const html = await page(fedsim, "/apis");
    expect(html).toContain('<h2 id="api-0">petstore</h2>');
    expect(html).toContain(
      `<td data-label="Method"><code>POST</code></td><td data-label="Path"><code>/pets</code></td><td data-label="Authorization">AWS_IAM (SigV4, execute-api:Invoke)</td>`,
    );
    expect(html).toContain(`<code>${fedsim.url}${PETS}</code>`);
  });

  it("logs Bob's denied POST /pets with its reason and links to an explain view of every statement", async () => {
    const bob = await loginViaSaml({ endpoint: fedsim.url, username: "bob", password: "bob-password" });
    const res = await signedFetchAt(fedsim.clock.now, REGION, bob, `${fedsim.url}${PETS}`, {
      method: "POST",
      body: '{"name":"Rex"}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(403);
    const requestId = res.headers.get("x-amzn-requestid")!;
    const html = await page(fedsim, "?denied=true");
    const row = html.slice(html.indexOf("<tr data-id="), html.indexOf("</tr>", html.indexOf("<tr data-id=")));
    expect(row).toContain("Denied (no Allow)");
    expect(row).toContain(`<code>arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/bob</code>`);
    expect(row).toContain(`<code>arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:petstore/prod/POST/pets</code>`);
    expect(row).toContain("No statement allows it");
    expect(row).toContain(`href="/_fedsim/console/explain/${requestId}"`);
    const explain = await page(fedsim, `/explain/${requestId}`);
    expect(explain).toContain(
      `<caption>IAM Policy: arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreReadPets</caption>`,
    );
    expect(explain).toContain(
      '<td data-label="Statement"><code>ReadPets</code></td><td data-label="Effect">Allow</td><td data-label="Outcome">no match: the resource is not in its Resource list</td>',
    );
  });

  it("answers an explain link for a request it never saw with 404 and says why", async () => {
    const answer = await get(fedsim.url, "/_fedsim/console/explain/no-such-request");
    expect(answer.status).toBe(404);
    expect(answer.body).toContain("fedsim has no decision recorded for request <code>no-such-request</code>");
  });

  it("allows no script or style but its own, by hash, and connections only back to fedsim", async () => {
    const answer = await get(fedsim.url, "/_fedsim/console");
    const csp = String(answer.headers["content-security-policy"]);
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name!, sources];
      }),
    );
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const inline = (tag: string) =>
      [...answer.body.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1]!);
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("script-src")).toEqual(inline("script").map(hash));
    expect(directives.get("style-src")).toEqual(inline("style").map(hash));
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(answer.headers["x-frame-options"]).toBe("DENY");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("the web console's escaping of what the store holds", () => {
  let fedsim: TestFedsim;
  const EVIL = `<script>window.pwned=1</script>`;
  const BREAKOUT = `"></code></pre><img src=x onerror="window.pwned=2">`;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    // Straight into the store: whatever the IAM API or the config lets through today, the console must
    // show a name as text.
    const now = fedsim.clock.now().getTime();
    fedsim.store.roles.create({
      id: "AROAEVILEVILEVILEVIL1",
      accountId: ACCOUNT_ID,
      name: EVIL,
      path: "/",
      description: BREAKOUT,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: BREAKOUT }, Action: "sts:AssumeRole" }],
      }),
      maxSessionDuration: 3600,
      permissionsBoundaryArn: null,
      tags: [{ key: EVIL, value: BREAKOUT }],
      createdAt: now,
    });
    fedsim.store.policies.putInline("role", "AROAEVILEVILEVILEVIL1", EVIL, `not json ${BREAKOUT}`);
    fedsim.store.users.create({
      id: "AIDAEVILEVILEVILEVIL1",
      accountId: ACCOUNT_ID,
      name: EVIL,
      path: "/",
      permissionsBoundaryArn: null,
      tags: [{ key: "team", value: EVIL }],
      createdAt: now,
    });
  });
  afterAll(() => fedsim.stop());

  it("renders a role and a user named <script> as text", async () => {
    for (const path of ["/roles", "/users"]) {
      const html = await page(fedsim, path);
      expect(scriptTags(html), path).toBe(0);
      expect(html).not.toContain("<img");
      expect(html).toContain("&lt;script&gt;window.pwned=1&lt;/script&gt;");
    }
    const roles = await page(fedsim, "/roles");
    expect(roles).toContain(
      "&quot;&gt;&lt;/code&gt;&lt;/pre&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;",
    );
  });

  it("renders a decision whose resource a client chose (an IdP username) as text", async () => {
    const res = await fetch(`${fedsim.url}/idp/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: `${EVIL}${BREAKOUT}`, password: "x" }).toString(),
    });
    expect(res.status).toBe(401);
    const html = await page(fedsim, "");
    // The console's own live-log script, and nothing else.
    expect(scriptTags(html)).toBe(1);
    expect(html).not.toContain("<img");
    expect(html).toContain("<code>&lt;script&gt;window.pwned=1&lt;/script&gt;&quot;&gt;&lt;/code&gt;");
  });
});
