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
 * The one guard of every admin surface (/_fedsim/* but health): loopback clients that name a loopback host,
 * or a request carrying the admin token (`Authorization: Bearer TOKEN` or `X-Fedsim-Admin-Token: TOKEN`),
 * which start-up prints.
 */
export function adminGuard(token: string) {
  const expected = Buffer.from(token, "utf8");
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((isLoopback(clientAddress(req)) && namesLoopback(req.headers.host)) || carriesToken(req, expected)) {
      next();
      return;
    }
    res.status(403).set("Cache-Control", "no-store").json({
      __type: "AccessDenied",
      message:
        "fedsim's admin endpoints answer loopback clients only, or requests with the admin token printed at start-up (Authorization: Bearer TOKEN)",
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
