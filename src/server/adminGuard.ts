import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { clientAddress } from "../auth/requestContext.js";

/** Loopback clients: 127.0.0.0/8 and ::1 (IPv4-mapped forms already stripped by clientAddress). */
export function isLoopback(address: string): boolean {
  return address === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/**
 * Whether the Host header names this machine's loopback: an IP in 127/8, [::1], localhost or *.localhost
 * (which RFC 6761 keeps from resolving anywhere else). A page that rebinds its own domain to 127.0.0.1 sends
 * its domain here, and a local reverse proxy forwards the public host name: neither is taken for loopback.
 */
export function namesLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.replace(/:\d+$/, "");
  const lower = name.toLowerCase();
  return isLoopback(lower) || lower === "localhost" || lower.endsWith(".localhost");
}

/**
 * Whether a browser says the request comes from a page of another origin. A page elsewhere, open in a
 * browser on this machine, is a loopback client naming a loopback Host, and a simple POST (a form) needs no
 * preflight: without this, any web page could POST /_fedsim/reset. Browsers send Origin on such requests and
 * Sec-Fetch-Site on all; the CLI's fetch sends neither.
 */
export function fromAnotherOrigin(req: Request): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host?.toLowerCase();
  } catch {
    // "null" (a sandboxed frame, a data: page) or garbage: not this origin.
    return true;
  }
}

/**
 * The one guard of every admin surface (/_fedsim/* but health): loopback clients that name a loopback host
 * and are not a browser page of another origin, or a request carrying the admin token (`Authorization: Bearer
 * TOKEN` or `X-Fedsim-Admin-Token: TOKEN`, which a page elsewhere cannot add without a preflight fedsim never
 * answers), which start-up prints.
 */
export function adminGuard(token: string) {
  const expected = Buffer.from(token, "utf8");
  return (req: Request, res: Response, next: NextFunction): void => {
    if (
      (isLoopback(clientAddress(req)) && namesLoopback(req.headers.host) && !fromAnotherOrigin(req)) ||
      carriesToken(req, expected)
    ) {
      next();
      return;
    }
    res.status(403).set("Cache-Control", "no-store").json({
      __type: "AccessDenied",
      message:
        "fedsim's admin endpoints answer loopback clients only, or requests with the admin token printed at start-up (Authorization: Bearer TOKEN); a browser page of another origin is neither",
    });
  };
}

function carriesToken(req: Request, expected: Buffer): boolean {
  const header = req.headers["x-fedsim-admin-token"];
  const auth = req.headers.authorization;
  const presented =
    typeof header === "string"
      ? header
      : typeof auth === "string" && auth.startsWith("Bearer ")
        ? auth.slice(7)
        : undefined;
  if (presented === undefined) return false;
  const given = Buffer.from(presented, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
