import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginViaSaml } from "../../src/client/samlLogin.js";
import { signedFetchAt } from "../../src/testing/signedFetch.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, REGION } from "../helpers/petstore.js";

const CHROMIUM = "/usr/bin/chromium";
/** Screenshots land here (gitignored), for a person to look at after a run. */
const ARTIFACTS = "test-artifacts";
const PETS = "/restapis/petstore/prod/_user_request_/pets";
const AXE_SOURCE = (createRequire(import.meta.url)("axe-core") as { source: string }).source;
const BOB = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/bob`;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Deque's axe-core run in the page (evaluated over the DevTools protocol, which the page's CSP does not govern). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`,
    );
}

/** The person's view: headless Chromium (Debian's) with the console open while requests arrive. */
const missing = !existsSync(CHROMIUM);
describe.skipIf(missing)(
  missing
    ? `the browser test, skipped: ${CHROMIUM} is missing (scripts/system-deps.sh installs Debian's chromium)`
    : "the web console and the IdP pages in a browser",
  () => {
    let fedsim: TestFedsim;
    let profile: string;
    let browser: BrowserContext;
    const problems: string[] = [];

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      fedsim = await startTestFedsim();
      profile = mkdtempSync(join(tmpdir(), "fedsim-chromium-"));
      // A fresh, empty profile per run, as the machine notes advise for Debian's Chromium.
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        viewport: { width: 1280, height: 800 },
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await fedsim?.stop();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    /** A page whose CSP reports and script errors are collected: a hash that does not match shows here. */
    const open = async (): Promise<Page> => {
      const page = await browser.newPage();
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on("pageerror", (error) => problems.push(String(error)));
      return page;
    };

    it("shows Bob's denied POST /pets, with its reason, as it happens, without a reload", async () => {
      const page = await open();
      await page.goto(`${fedsim.url}/_fedsim/console`);
      await page.waitForSelector('#live-status[data-state="live"]');
      // Survives only if the page is never reloaded.
      await page.evaluate(() => {
        (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
      });

      const bob = await loginViaSaml({ endpoint: fedsim.url, username: "bob", password: "bob-password" });
      const res = await signedFetchAt(fedsim.clock.now, REGION, bob, `${fedsim.url}${PETS}`, {
        method: "POST",
        body: '{"name":"Rex","type":"dog","price":10}',
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(403);
      const requestId = res.headers.get("x-amzn-requestid")!;

      const row = page.locator("#decision-log tbody tr", { hasText: "Denied (no Allow)" }).filter({
        hasText: BOB,
      });
      await row.first().waitFor();
      const text = (await row.first().textContent()) ?? "";
      expect(text).toContain("execute-api:Invoke");
      expect(text).toContain(`arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:petstore/prod/POST/pets`);
      expect(text).toContain("No statement allows it");
      expect(text).toContain("because no identity-based policy allows the execute-api:Invoke action");
      expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(
        true,
      );
      // Screen readers hear it too.
      expect(await page.textContent("#live-announce")).toContain(
        `Denied (no Allow): execute-api:Invoke by ${BOB}`,
      );

      await page.screenshot({ path: join(ARTIFACTS, "console-1280x800.png") });
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: "dark" });
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, "console-1280x800-dark.png") });
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(ARTIFACTS, "console-390x844.png") });
      expect(await seriousViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 800 });

      // The explain view, through the row's link, shows every statement considered.
      await Promise.all([
        page.waitForURL(`${fedsim.url}/_fedsim/console/explain/${requestId}`),
        row
          .first()
          .getByRole("link", { name: /Explain/ })
          .click(),
      ]);
      expect(await page.textContent("main")).toContain("no match: the resource is not in its Resource list");
      await page.screenshot({ path: join(ARTIFACTS, "console-explain-1280x800.png"), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });

    it("renders a log entry a client chose (an IdP username with markup) as text, live too", async () => {
      const page = await open();
      await page.goto(`${fedsim.url}/_fedsim/console`);
      await page.waitForSelector('#live-status[data-state="live"]');
      const evil = `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`;
      const res = await fetch(`${fedsim.url}/idp/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: evil, password: "wrong" }).toString(),
      });
      expect(res.status).toBe(401);
      await page.locator("#decision-log tbody tr", { hasText: evil }).first().waitFor();
      await page.reload();
      await page.locator("#decision-log tbody tr", { hasText: evil }).first().waitFor();
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator("#decision-log img").count()).toBe(0);
      await page.close();
    });

    it("lets a keyboard skip to the content and see where focus is", async () => {
      const page = await open();
      await page.goto(`${fedsim.url}/_fedsim/console/roles`);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe("solid");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
      await page.screenshot({ path: join(ARTIFACTS, "console-roles-1280x800.png") });
      expect(await seriousViolations(page)).toEqual([]);
      for (const view of ["users", "identity-pools", "user-pools", "sessions", "apis"]) {
        await page.goto(`${fedsim.url}/_fedsim/console/${view}`);
        expect(await seriousViolations(page), view).toEqual([]);
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${fedsim.url}/_fedsim/console/roles`);
      await page.screenshot({ path: join(ARTIFACTS, "console-roles-390x844.png") });
      await page.close();
    });

    it("gives the IdP's pages the console's look: role descriptions, a copy button, a hint of what to try next", async () => {
      const page = await open();
      await browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: fedsim.url });
      await page.goto(`${fedsim.url}/idp/login`);
      await page.screenshot({ path: join(ARTIFACTS, "idp-login.png") });
      expect(await seriousViolations(page)).toEqual([]);

      await page.fill("#username", "alice");
      await page.fill("#password", "alice-password");
      await Promise.all([page.waitForURL(`${fedsim.url}/saml`), page.click("button[type=submit]")]);
      await page.waitForSelector('input[name="roleIndex"]');
      expect(await page.textContent("form")).toContain("Pet-store administrators (Alice)");
      expect(await page.textContent("form")).toContain("Pet-store customers (Bob)");
      await page.screenshot({ path: join(ARTIFACTS, "idp-role-picker.png") });
      expect(await seriousViolations(page)).toEqual([]);

      await page.check('input[name="roleIndex"][value="1"]');
      await page.click("button[type=submit]");
      await page.waitForSelector("#exports");
      const copy = page.getByRole("button", { name: "Copy the export lines" });
      await copy.click();
      await expect
        .poll(() => page.textContent("#exports-status"))
        .toMatch(/^(Copied to the clipboard\.|Selected: press Ctrl\+C)/);
      expect(await page.textContent("main")).toContain(`fedsim curl ${fedsim.url}${PETS}`);
      await page.screenshot({ path: join(ARTIFACTS, "idp-credentials.png"), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);

      // The error page, from a form a browser posts with a SAMLResponse nobody signed.
      await Promise.all([
        page.waitForURL(`${fedsim.url}/saml`),
        page.evaluate(() => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/saml";
          const field = document.createElement("input");
          field.name = "SAMLResponse";
          field.value = btoa("<not-an-assertion/>");
          form.append(field);
          document.body.append(form);
          form.submit();
        }),
      ]);
      await page.waitForSelector(".error");
      await page.screenshot({ path: join(ARTIFACTS, "idp-error.png") });
      expect(await seriousViolations(page)).toEqual([]);

      const authorize = new URLSearchParams({
        client_id: "petstore-web",
        redirect_uri: "http://127.0.0.1:8000/callback",
        response_type: "code",
        scope: "openid",
        state: "s",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
      });
      await page.goto(`${fedsim.url}/oidc/authorize?${authorize}`);
      await page.waitForSelector("#username");
      await page.screenshot({ path: join(ARTIFACTS, "oidc-login.png") });
      expect(await seriousViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${fedsim.url}/idp/login`);
      await page.screenshot({ path: join(ARTIFACTS, "idp-login-390x844.png") });
      await page.close();
    });

    it("met no Content-Security-Policy refusal and no script error on any page", () => {
      expect(problems).toEqual([]);
    });
  },
);
