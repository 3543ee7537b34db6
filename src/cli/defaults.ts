import { InvalidArgumentError } from "commander";
import { portNumber } from "./startArguments.js";

export function port(value: string): number {
  const n = portNumber(value);
  if (n === undefined) throw new InvalidArgumentError("a port number 0-65535");
  return n;
}

/**
 * An option value that must not be empty, as an unset variable makes it (`--host "$HOST"`): an empty host
 * listens on every interface, an empty path is the working directory.
 */
export function nonEmpty(what: string): (value: string) => string {
  return (value) => {
    if (value === "") throw new InvalidArgumentError(what);
    return value;
  };
}

export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60 || n > 86_400)
    throw new InvalidArgumentError("a whole number of seconds from 60 to 86400");
  return n;
}
