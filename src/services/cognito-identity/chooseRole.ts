import { chooseMappedRole } from "../../core/cognito/roleMapping.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { VerifiedLogin } from "./logins/types.js";
import { invalidPoolConfiguration, refusal } from "./refusal.js";

export interface ChosenRole {
  roleArn: string;
  /** Which login's mapping (or which default) chose it, for the decision log. */
  why: string;
}

function defaultRole(
  pool: IdentityPoolRow,
  kind: "authenticated" | "unauthenticated",
  why: string,
): ChosenRole {
  const roleArn = Object.hasOwn(pool.roles, kind) ? pool.roles[kind] : undefined;
  if (roleArn === undefined)
    throw invalidPoolConfiguration(`${why}, and identity pool ${pool.id} has no ${kind} role`);
  return { roleArn, why: `${why}: the pool's ${kind} role` };
}

/**
 * The role the enhanced flow assumes. Guests get the unauthenticated role. For a signed-in identity the
 * first login (in Logins order) whose provider has a role mapping decides by it (Token or Rules, with
 * AmbiguousRoleResolution); without one, a SAML login's assertion may grant the role (CustomRoleArn chooses
 * among several); otherwise the pool's authenticated role.
 */
export function chooseRole(
  pool: IdentityPoolRow,
  logins: readonly VerifiedLogin[],
  customRoleArn: string | undefined,
): ChosenRole {
  if (logins.length === 0) return defaultRole(pool, "unauthenticated", "an unauthenticated identity");
  for (const login of logins) {
    if (login.kind !== "provider") continue;
    const key = mappingKey(pool, login.provider, login.claims);
    if (key === undefined) continue;
    const choice = chooseMappedRole(pool.roleMappings[key]!, login.claims, customRoleArn);
    const by = `the role mapping for ${key}`;
    switch (choice.kind) {
      case "role":
        return { roleArn: choice.roleArn, why: `${by}: ${choice.why}` };
      case "default":
        return defaultRole(pool, "authenticated", `${by}: ${choice.why}`);
      case "deny":
        throw refusal(
          "NotAuthorizedException",
          `The ambiguous role mapping rules for: ${login.provider} denied this request.`,
          `${by}: ${choice.why}`,
        );
      case "refuse":
        throw refusal(
          "NotAuthorizedException",
          "Invalid CustomRoleArn for this login.",
          `${by}: ${choice.why}`,
        );
    }
  }
  for (const login of logins) {
    if (login.kind !== "provider" || login.samlRoles === undefined || login.samlRoles.length === 0) continue;
    const roles = login.samlRoles;
    if (customRoleArn !== undefined) {
      if (roles.includes(customRoleArn))
        return { roleArn: customRoleArn, why: `CustomRoleArn, granted by the ${login.provider} assertion` };
      throw refusal(
        "NotAuthorizedException",
        "Invalid CustomRoleArn for this login.",
        `the ${login.provider} assertion grants ${roles.join(", ")}, not ${customRoleArn}`,
      );
    }
    if (roles.length === 1)
      return { roleArn: roles[0]!, why: `the only role the ${login.provider} assertion grants` };
    return defaultRole(
      pool,
      "authenticated",
      `the ${login.provider} assertion grants ${roles.length} roles and no CustomRoleArn chose one`,
    );
  }
  return defaultRole(pool, "authenticated", "no role mapping applies to the logins");
}

/**
 * cognito-identity.amazonaws.com:amr: `unauthenticated` for guests; `authenticated` and each login's
 * providers (and, for developer identities, provider:pool:user) for signed-in identities.
 */
export function amrOf(logins: readonly VerifiedLogin[]): string[] {
  if (logins.length === 0) return ["unauthenticated"];
  const out = new Set<string>(["authenticated"]);
  for (const login of logins) for (const value of login.amr) out.add(value);
  return [...out];
}

/**
 * A user pool's logins are mapped per app client, as AWS keys them (cognito-idp.REGION.amazonaws.com/POOL:CLIENT),
 * else for the whole provider; every other login by its Logins key.
 */
function mappingKey(
  pool: IdentityPoolRow,
  provider: string,
  claims: ReadonlyMap<string, unknown>,
): string | undefined {
  const aud = claims.get("aud");
  if (typeof aud === "string" && Object.hasOwn(pool.roleMappings, `${provider}:${aud}`))
    return `${provider}:${aud}`;
  return Object.hasOwn(pool.roleMappings, provider) ? provider : undefined;
}
