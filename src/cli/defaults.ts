import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "commander";

/**
 * The demo config: `data/petstore.yaml` in the current directory when there is one (a clone of fedsim), else
 * the copy shipped with the package, so `fedsim start` works from any directory.
 */
export function defaultConfig(): string {
  const local = "data/petstore.yaml";
  return existsSync(local) ? local : fileURLToPath(new URL("../../data/petstore.yaml", import.meta.url));
}

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port number 0-65535");
  return n;
}

export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60 || n > 86_400)
    throw new InvalidArgumentError("a whole number of seconds from 60 to 86400");
  return n;
}
