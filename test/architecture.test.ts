/** The house as DESIGN.md draws it, checked on the source: which rooms may import which. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Each file's import specifiers (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

const importing = (room: string, target: RegExp) =>
  sources(`src/${room}`).flatMap((file) =>
    importsOf(file)
      .filter((s) => target.test(s))
      .map((s) => `${file}: ${s}`),
  );

describe("the rooms' imports", () => {
  it("protocol never imports services", () => {
    expect(importing("protocol", /\/services\//)).toEqual([]);
  });

  it("services import protocol's types only, never its code", () => {
    const offending = sources("src/services").flatMap((file) =>
      [
        ...readFileSync(file, "utf8").matchAll(
          /^import (?!type )[^;]*from "[^"]*\/protocol\/(?!operation\.js)[^"]*";/gm,
        ),
      ].map((m) => `${file}: ${m[0]}`),
    );
    expect(offending).toEqual([]);
  });

  it("authz imports no service", () => {
    expect(importing("authz", /\/services\//)).toEqual([]);
  });

  it("the gateway imports neither services nor the AWS endpoint", () => {
    expect(importing("gateway", /\/services\/|protocol\/awsEndpoint/)).toEqual([]);
  });

  it("core reads no HTTP, storage or server code", () => {
    expect(
      importing("core", /\/(store|server|protocol|services|auth|authz)\/|^express$|better-sqlite3/),
    ).toEqual([]);
  });

  it("one builder makes request facts for every door: nothing else reads the socket's address", () => {
    const readers = sources("src").filter(
      (file) =>
        file !== join("src", "auth", "requestContext.ts") &&
        /socket\.remoteAddress/.test(readFileSync(file, "utf8")),
    );
    expect(readers).toEqual([]);
  });
});
