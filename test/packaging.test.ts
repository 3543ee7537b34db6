import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// semver is npm's own range reader (here through the dev tools' dependencies): engines fields are its ranges.
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
};

interface LockEntry {
  version?: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  engines: { node: string };
  allowScripts: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, LockEntry>;
};
const SUPPORTED = ["20.19.0", "22.0.0", "24.0.0"];

describe("the Node versions fedsim runs on", () => {
  it("engines, the README and the image agree: 20.19+, 22 and 24; the image on 22 or 24 (20 is past its end of life)", () => {
    expect(pkg.engines.node).toBe(">=20.19");
    for (const v of SUPPORTED) expect(semver.satisfies(v, pkg.engines.node), v).toBe(true);
    expect(semver.satisfies("20.18.0", pkg.engines.node)).toBe(false);
    expect(readFileSync("README.md", "utf8")).toContain("Node.js 20.19 or newer");
    const from = [...readFileSync("Dockerfile", "utf8").matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from.length).toBeGreaterThan(1);
    for (const image of from) expect(image).toMatch(/^node:(22|24)[.-]/);
  });

  it("depends at run time on no package that has dropped any of them", () => {
    const dropped = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && !entry.dev)
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range === undefined
          ? []
          : SUPPORTED.filter((v) => !semver.satisfies(v, range)).map(
              (v) => `${path}@${entry.version} (${range}) drops ${v}`,
            );
      });
    expect(dropped).toEqual([]);
  });
});

describe("installing under npm 12", () => {
  it("approves the install scripts of exactly the locked packages that have them", () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ""))
      .sort();
    expect(Object.keys(pkg.allowScripts).sort()).toEqual(withScripts);
    expect(Object.values(pkg.allowScripts).every((v) => v === true)).toBe(true);
  });

  it("fails .ci/run on npm's report of unreviewed install scripts, and not on a clean install", () => {
    const pattern = /grep -Eiq "([^"]+)" \/tmp\/fedsim-npm-ci\.log/.exec(
      readFileSync(".ci/run", "utf8"),
    )?.[1];
    expect(pattern).toBeDefined();
    const matches = (log: string) => {
      try {
        execFileSync("grep", ["-Eiq", pattern!], { input: log });
        return true;
      } catch {
        return false;
      }
    };
    // npm 11's advisory, as npm prints it (the wording npm 12 keeps for what it skipped).
    expect(
      matches(
        "npm warn allow-scripts 1 package has install scripts not yet covered by allowScripts:\nnpm warn allow-scripts   core-js@3.49.0 (postinstall: node -e ...)\n",
      ),
    ).toBe(true);
    expect(matches("added 412 packages in 9s\n")).toBe(false);
  });
});
