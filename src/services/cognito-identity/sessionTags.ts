import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { Tag } from "../../store/tags.js";
import type { RoomDeps } from "../deps.js";
import type { VerifiedLogin } from "./logins/types.js";

const MAX_TAG_VALUE = 256;

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * The session tags of an identity's credentials: for each login, the pool's principal tag map for its
 * provider (tag key -> claim; with UseDefaults also username from the subject and client from aud), and the
 * PrincipalTags a developer provider put in its token. A claim the login lacks adds no tag; a later login's
 * tag of the same key wins over an earlier one's.
 */
export function sessionTags(deps: RoomDeps, pool: IdentityPoolRow, logins: readonly VerifiedLogin[]): Tag[] {
  const byKey = new Map<string, string>();
  for (const login of logins) {
    if (login.kind === "cognito") {
      for (const t of login.principalTags) byKey.set(t.key, t.value);
      continue;
    }
    const map = deps.store.identityPools.principalTagMap(pool.id, login.provider);
    if (!map) continue;
    if (map.useDefaults) {
      byKey.set("username", login.subject);
      const client = scalar(login.claims.get("aud"));
      if (client !== undefined) byKey.set("client", client);
    }
    for (const [key, claim] of Object.entries(map.principalTags)) {
      const value = login.claims.has(claim) ? scalar(login.claims.get(claim)) : undefined;
      if (value !== undefined) byKey.set(key, value.slice(0, MAX_TAG_VALUE));
    }
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}
