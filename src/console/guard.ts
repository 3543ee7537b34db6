import { createHmac, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { clientAddress } from "../auth/requestContext.js";
import { isLoopback, namesLoopback } from "../server/adminGuard.js";
import { type ConsoleHtml, refusedPage, signedInPage } from "./layout.js";

export const CONSOLE_PATH = "/_fedsim/console";
export const COOKIE_NAME = "fedsim_console";

/**
 * The console's guard: the admin guard's rule (loopback clients naming a loopback host, or the admin token
 * as `Authorization: Bearer` / `X-Fedsim-Admin-Token`), plus what a browser can carry. A browser cannot send
 * a header on navigation, so the token is taken once as `?token=` and swapped for an HttpOnly,
 * SameSite=Strict cookie scoped to the console's path. The cookie holds an HMAC of the token, not the token:
 * it opens the console, never the rest of /_fedsim (reset included).
 */
export function consoleGuard(token: string, html: ConsoleHtml) {
  const expected = Buffer.from(token, "utf8");
  const cookieValue = createHmac("sha256", token).update("fedsim console cookie").digest("base64url");
  const cookieBytes = Buffer.from(cookieValue, "utf8");
  return (req: Request, res: Response, next: NextFunction): void => {
    const query = typeof req.query.token === "string" ? req.query.token : undefined;
    if (query !== undefined) {
      if (!same(query, expected)) {
        html(res, 403, refusedPage("The token in this link is not the one fedsim printed at start-up."));
        return;
      }
      // Answered with a page that moves on by itself rather than a redirect: a SameSite=Strict cookie set
      // on a navigation that came from elsewhere would not be sent on a redirect of that same navigation.
      res.cookie(COOKIE_NAME, cookieValue, {
        httpOnly: true,
        sameSite: "strict",
        secure: req.secure,
        path: CONSOLE_PATH,
      });
      html(res, 200, signedInPage(req.baseUrl + req.path));
      return;
    }
    if (
      (isLoopback(clientAddress(req)) && namesLoopback(req.headers.host)) ||
      same(headerToken(req), expected) ||
      same(cookieOf(req.headers.cookie), cookieBytes)
    ) {
      next();
      return;
    }
    html(
      res,
      403,
      refusedPage(
        "fedsim's console answers loopback clients only, or a browser that opened the console link with the admin token fedsim printed at start-up (/_fedsim/console?token=TOKEN).",
      ),
    );
  };
}

function headerToken(req: Request): string | undefined {
  const header = req.headers["x-fedsim-admin-token"];
  if (typeof header === "string") return header;
  const auth = req.headers.authorization;
  return typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
}

/** The console cookie's value, if the Cookie header carries exactly one. */
function cookieOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const values = header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${COOKIE_NAME}=`))
    .map((part) => part.slice(COOKIE_NAME.length + 1));
  return values.length === 1 ? values[0] : undefined;
}

function same(presented: string | undefined, expected: Buffer): boolean {
  if (presented === undefined) return false;
  const given = Buffer.from(presented, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
