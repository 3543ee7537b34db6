import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { installationDir, stateFolder } from "../../src/cli/home.js";

describe("the state folder", () => {
  it("is --home when given, whatever FEDSIM_HOME says", () => {
    expect(stateFolder({ home: "/tmp/h" }, { FEDSIM_HOME: "/tmp/other" })).toEqual({
      db: "/tmp/h/fedsim.sqlite",
      certs: "/tmp/h/certs",
      cache: "/tmp/h/cache",
      source: "--home",
    });
  });

  it("reads a leading ~ in --home or FEDSIM_HOME as the home folder (a quoted or env-file ~ is not expanded by a shell)", () => {
    expect(stateFolder({ home: "~/fedsim-state" }, {}).db).toBe(
      join(homedir(), "fedsim-state", "fedsim.sqlite"),
    );
    expect(stateFolder({}, { FEDSIM_HOME: "~" }).certs).toBe(join(homedir(), "certs"));
    // Only a leading ~ alone or before a slash: ~user and a ~ inside a path are names like any other.
    expect(stateFolder({ home: "~other/x" }, {}).db).toBe(resolve("~other/x", "fedsim.sqlite"));
    expect(stateFolder({ home: "/tmp/~/x" }, {}).db).toBe("/tmp/~/x/fedsim.sqlite");
  });

  it("is FEDSIM_HOME without --home", () => {
    expect(stateFolder({}, { FEDSIM_HOME: "/tmp/e" })).toMatchObject({
      db: "/tmp/e/fedsim.sqlite",
      source: "FEDSIM_HOME",
    });
  });

  it("is the installation's data/ and certs/ when it can write there (a clone)", () => {
    const install = installationDir();
    expect(resolve(install, "package.json")).toBe(resolve("package.json"));
    expect(stateFolder({}, {})).toEqual({
      db: join(install, "data", "fedsim.sqlite"),
      certs: join(install, "certs"),
      cache: join(install, "data", "cache"),
      source: "installation",
    });
  });

  it("lets --db and --certs override each part, resolved against the working directory", () => {
    expect(stateFolder({ home: "/tmp/h", db: "x.sqlite", certs: "k" }, {})).toEqual({
      db: resolve("x.sqlite"),
      certs: resolve("k"),
      cache: "/tmp/h/cache",
      source: "--home",
    });
    expect(stateFolder({ db: ":memory:" }, {}).db).toBe(":memory:");
  });

  it("falls back to XDG_DATA_HOME/fedsim, else ~/.local/share/fedsim, when the installation is not writable", () => {
    const readOnly = "/nonexistent/fedsim-install";
    expect(stateFolder({}, { XDG_DATA_HOME: "/tmp/xdg" }, readOnly)).toEqual({
      db: "/tmp/xdg/fedsim/fedsim.sqlite",
      certs: "/tmp/xdg/fedsim/certs",
      cache: "/tmp/xdg/fedsim/cache",
      source: "user data",
    });
    expect(stateFolder({}, {}, readOnly).db).toBe(
      join(homedir(), ".local", "share", "fedsim", "fedsim.sqlite"),
    );
  });
});
