import { newIdentityId } from "../../core/ids.js";
import type { CognitoIdentityRow } from "../../store/cognitoIdentities.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { RoomDeps } from "../deps.js";
import type { ProviderLogin, VerifiedLogin } from "./logins/types.js";
import { identityForbidden, loginsDontMatch, refusal } from "./refusal.js";

/** An identity can hold at most 20 linked logins (AWS documents the limit for MergeDeveloperIdentities). */
export const MAX_LINKED_LOGINS = 20;

function conflict(detail: string) {
  return refusal(
    "ResourceConflictException",
    "The logins are already linked to different identities.",
    detail,
  );
}

/**
 * Links provider logins to an identity, refusing a second login from a provider the identity already has
 * another user of (AWS throws for two users of one public provider on one identity), and more than 20.
 */
export function linkLogins(
  deps: RoomDeps,
  identity: CognitoIdentityRow,
  logins: readonly ProviderLogin[],
  now: number,
): void {
  const repo = deps.store.cognitoIdentities;
  const current = repo.logins(identity.id);
  // A developer provider may hold several of the app's users on one identity (MergeDeveloperIdentities).
  const developer = deps.store.identityPools.get(identity.poolId)?.developerProviderName;
  for (const login of logins) {
    if (current.some((l) => l.provider === login.provider && l.subject === login.subject)) continue;
    if (login.provider !== developer && current.some((l) => l.provider === login.provider))
      throw refusal(
        "ResourceConflictException",
        `Identity '${identity.id}' is already linked to another user of ${login.provider}.`,
        "an identity holds one login per provider",
      );
    if (current.length >= MAX_LINKED_LOGINS)
      throw refusal(
        "LimitExceededException",
        `An identity can have at most ${MAX_LINKED_LOGINS} linked logins.`,
      );
    const linked = {
      poolId: identity.poolId,
      provider: login.provider,
      subject: login.subject,
      identityId: identity.id,
      linkedAt: now,
    };
    repo.link(linked);
    current.push(linked);
  }
  if (identity.disabled) repo.setDisabled(identity.id, false, now);
}

/** A new identity of the pool: REGION:UUID, the region the pool's. */
export function createIdentity(deps: RoomDeps, pool: IdentityPoolRow, now: number): CognitoIdentityRow {
  return deps.store.cognitoIdentities.create(newIdentityId(pool.region), pool.id, now);
}

/**
 * GetId's identity for a set of verified logins: the one they are linked to (linking the rest of them), or a
 * new one. Logins linked to two different identities, or a Cognito token naming another identity than the
 * logins, are a conflict: GetId never merges identities behind the caller's back.
 */
export function identityForLogins(
  deps: RoomDeps,
  pool: IdentityPoolRow,
  logins: readonly VerifiedLogin[],
  now: number,
): CognitoIdentityRow {
  const repo = deps.store.cognitoIdentities;
  return deps.store.transaction(() => {
    const ids = new Set<string>();
    const unlinked: ProviderLogin[] = [];
    for (const login of logins) {
      if (login.kind === "cognito") {
        const identity = repo.get(login.identityId);
        if (!identity || identity.poolId !== pool.id)
          throw loginsDontMatch(
            `the Cognito token names identity ${login.identityId}, which is not an identity of ${pool.id}`,
          );
        ids.add(identity.id);
        continue;
      }
      const linked = repo.linked(pool.id, login.provider, login.subject);
      if (linked) ids.add(linked.identityId);
      else unlinked.push(login);
    }
    if (ids.size > 1) throw conflict(`the logins belong to ${ids.size} identities: ${[...ids].join(", ")}`);
    const identity = ids.size === 1 ? repo.get([...ids][0]!)! : createIdentity(deps, pool, now);
    linkLogins(deps, identity, unlinked, now);
    return identity;
  });
}

export type IdentityProof = { authenticated: false } | { authenticated: true };

/**
 * What a request with this identity id and these verified logins may act as. No logins: a guest, which an
 * identity with linked logins never is. With logins: at least one must be the identity's own (a login linked
 * to it, or a Cognito token for it), none may belong to another identity, and logins it does not have yet are
 * linked to it. An unauthenticated identity presented with new logins becomes authenticated, as AWS's
 * guest-to-signed-in upgrade does.
 */
export function proveIdentity(
  deps: RoomDeps,
  identity: CognitoIdentityRow,
  logins: readonly VerifiedLogin[],
  now: number,
): IdentityProof {
  const repo = deps.store.cognitoIdentities;
  const linked = repo.logins(identity.id);
  if (identity.disabled)
    throw identityForbidden(identity.id, "the identity is disabled: its last login was unlinked");
  if (logins.length === 0) {
    if (linked.length > 0)
      throw identityForbidden(
        identity.id,
        `the identity has ${linked.length} linked login(s) and the request gave none`,
      );
    return { authenticated: false };
  }
  let proven = false;
  const unlinked: ProviderLogin[] = [];
  for (const login of logins) {
    if (login.kind === "cognito") {
      if (login.identityId !== identity.id)
        throw loginsDontMatch(`the Cognito token is for identity ${login.identityId}, not ${identity.id}`);
      proven = true;
      continue;
    }
    const owner = repo.linked(identity.poolId, login.provider, login.subject);
    if (owner && owner.identityId !== identity.id)
      throw loginsDontMatch(`the ${login.provider} login is linked to another identity`);
    if (owner) proven = true;
    else unlinked.push(login);
  }
  if (!proven && linked.length > 0)
    throw loginsDontMatch(
      `none of the logins (${logins.map((l) => l.provider).join(", ")}) is linked to identity ${identity.id}`,
    );
  if (unlinked.length > 0) deps.store.transaction(() => linkLogins(deps, identity, unlinked, now));
  return { authenticated: true };
}
