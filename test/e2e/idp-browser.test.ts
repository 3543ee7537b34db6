import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

const CHROMIUM = "/usr/bin/chromium";

/** A person's view: headless Chromium (Debian's) signs alice in, picks a role and reads her credentials. */
describe("signing in at the built-in IdP in a browser", () => {
  let fedsim: TestFedsim;
  let profile: string;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    profile = mkdtempSync(join(tmpdir(), "fedsim-chromium-"));
  });
  afterAll(async () => {
    await fedsim.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it("logs alice in, lets her pick PetStoreAdmin, and shows export lines", async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's chromium (scripts/system-deps.sh does)`,
    ).toBe(true);
    // A fresh, empty profile per run, as the machine notes advise for Debian's Chromium.
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
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
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      // The pages' Content-Security-Policy allows their own inline script and style by hash: a mismatch
      // would show here (and a blocked hand-off script would stall the sign-in below).
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${fedsim.url}/idp/login`);
      await page.fill("#username", "alice");
      await page.fill("#password", "alice-password");
      await Promise.all([page.waitForURL(`${fedsim.url}/saml`), page.click("button[type=submit]")]);
      await page.check('input[name="roleIndex"][value="0"]');
      await page.click("button[type=submit]");
      await page.waitForSelector("#exports");
      expect(await page.textContent("#assumed-role")).toBe(
        "arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice",
      );
      expect(await page.textContent("#exports")).toMatch(
        /export AWS_ACCESS_KEY_ID=ASIA[A-Z2-7]{16}\nexport AWS_SECRET_ACCESS_KEY=\S{40}\nexport AWS_SESSION_TOKEN=\S+/,
      );
      expect(await page.textContent("#exports")).toMatch(
        /\nexport AWS_REGION=us-east-1\nexport AWS_DEFAULT_REGION=us-east-1$/,
      );
      // The stylesheet applied (the body's max-width comes only from it), so its hash matched too.
      expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).not.toBe("none");
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
