import { timingSafeEqual } from "node:crypto";
import { decodeJwt } from "jose";
import { AwsError } from "../../errors.js";
import { type Body, requireClient, str, type UserPoolDeps } from "./common.js";
import { refreshTokenHash } from "./tokens.js";

function isJwt(token: string): boolean {
  try {
    return typeof decodeJwt(token).token_use === "string";
  } catch {
    return false;
  }
}

function sameSecret(expected: string, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(sent, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * RevokeToken: a refresh token, revoked with every ID and access token issued from it, by the client it was
 * issued to (with that client's secret when it has one). An ID or access token is not revocable
 * (UnsupportedTokenTypeException); a token fedsim never issued is answered as revoked, as RFC 7009 asks.
 */
export function revokeToken(deps: UserPoolDeps, body: Body): unknown {
  const token = str(body, "Token", true);
  const client = requireClient(deps, str(body, "ClientId", true));
  if (client.secret !== null && !sameSecret(client.secret, str(body, "ClientSecret")))
    throw new AwsError("UnauthorizedException", "Client authentication failed.");
  if (isJwt(token)) throw new AwsError("UnsupportedTokenTypeException", "Unsupported token type.");
  const row = deps.repo.getRefreshToken(refreshTokenHash(token));
  if (!row) return {};
  if (row.clientId !== client.id)
    throw new AwsError("UnauthorizedException", "The token was not issued to this client.");
  deps.repo.revokeRefreshToken(row.tokenHash);
  return {};
}
