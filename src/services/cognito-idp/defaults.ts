import type { ClientSettings, PoolSettings } from "../../store/userPools.js";

/** What CreateUserPool gives a pool that names no policy (AWS's API defaults). */
export const DEFAULT_PASSWORD_POLICY: PoolSettings["passwordPolicy"] = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/** The flows a client allows when CreateUserPoolClient names none. */
export const DEFAULT_AUTH_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

export const AUTH_FLOWS = new Set([
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_CUSTOM_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_USER_AUTH",
]);

export function defaultClientSettings(): ClientSettings {
  return {
    explicitAuthFlows: [...DEFAULT_AUTH_FLOWS],
    // The API's default (the console's is ENABLED).
    preventUserExistenceErrors: "LEGACY",
    refreshTokenValidity: 30,
    accessTokenValidity: 60,
    idTokenValidity: 60,
    tokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
  };
}

const UNIT_SECONDS = new Map([
  ["seconds", 1],
  ["minutes", 60],
  ["hours", 3600],
  ["days", 86_400],
]);

export function validitySeconds(value: number, unit: string): number {
  return value * (UNIT_SECONDS.get(unit) ?? 1);
}
