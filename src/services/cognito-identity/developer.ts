import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import type { CognitoIdentityRow } from "../../store/cognitoIdentities.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import { createIdentity, linkLogins } from "./identityLinks.js";
import {
  DEVELOPER_PROVIDER,
  DEVELOPER_USER,
  IDENTITY_ID,
  identityPoolId,
  logins,
  optionalInteger,
  optionalString,
  PAGINATION_KEY,
  requiredString,
  stringMap,
  validation,
} from "./input.js";
import type { ProviderLogin } from "./logins/types.js";
import {
  DEVELOPER_TOKEN_DEFAULT_SECONDS,
  DEVELOPER_TOKEN_MAX_SECONDS,
  issueCognitoToken,
} from "./openIdToken.js";
import { identityNotFound, ownPool, poolResource, signedOperation } from "./operation.js";
import { decodePageToken, encodePageToken } from "./paging.js";
import type { CognitoRoom } from "./room.js";

/** The pool's developer provider, which the request must name (the wording of the refusals is fedsim's). */
function developerProvider(pool: IdentityPoolRow, named?: string): string {
  const name = pool.developerProviderName;
  if (name === null)
    throw new AwsError("InvalidParameterException", `Identity pool ${pool.id} has no developer provider.`);
  if (named !== undefined && named !== name)
    throw new AwsError(
      "InvalidParameterException",
      `${named} is not the developer provider of identity pool ${pool.id}.`,
    );
  return name;
}

function developerLogin(pool: IdentityPoolRow, provider: string, user: string): ProviderLogin {
  return {
    kind: "provider",
    provider,
    subject: user,
    claims: new Map(),
    amr: [provider, `${provider}:${pool.id}:${user}`],
  };
}

/** The developer flow: the app's server vouches for its own users with signed calls. */
export function developerOperations(room: CognitoRoom): AnyJsonOperation[] {
  const { deps } = room;
  const repo = deps.store.cognitoIdentities;
  const identityIn = (pool: IdentityPoolRow, id: string) => {
    const identity = repo.get(id);
    if (!identity || identity.poolId !== pool.id) throw identityNotFound(id);
    return identity;
  };
  return [
    signedOperation(deps, "GetOpenIdTokenForDeveloperIdentity", {
      input: (body) => {
        if (!Object.hasOwn(body, "Logins") || body.Logins === null)
          throw validation("logins", null, "Member must not be null");
        return {
          poolId: identityPoolId(body),
          identityId: optionalString(body, "IdentityId", IDENTITY_ID),
          logins: logins(body),
          principalTags: stringMap(body, "PrincipalTags", {
            maxEntries: 50,
            key: { min: 1, max: 128 },
            value: { min: 1, max: 256 },
          }),
          tokenDuration: optionalInteger(body, "TokenDuration", 1, DEVELOPER_TOKEN_MAX_SECONDS),
        };
      },
      resource: (ctx, i) => poolResource(ctx, i.poolId),
      run: async (ctx, i) => {
        const pool = ownPool(deps, ctx, i.poolId);
        const provider = developerProvider(pool);
        const user = i.logins.get(provider);
        if (user === undefined)
          throw new AwsError(
            "InvalidParameterException",
            `Logins must name the developer provider ${provider} of identity pool ${pool.id}.`,
          );
        if (user.length > 1024)
          throw validation("logins", user, "Member must have length less than or equal to 1024");
        // Other logins (a public provider's token) are verified and linked to the same identity.
        const others = new Map([...i.logins].filter(([key]) => key !== provider));
        const verified = others.size === 0 ? [] : await room.verifyLogins(pool, others, ctx.now);
        const now = ctx.now.getTime();
        const login = developerLogin(pool, provider, user);
        const identity = deps.store.transaction(() => {
          const linked = repo.linked(pool.id, provider, user);
          let identity: CognitoIdentityRow;
          if (i.identityId !== undefined) {
            identity = identityIn(pool, i.identityId);
            if (linked && linked.identityId !== identity.id)
              throw new AwsError(
                "DeveloperUserAlreadyRegisteredException",
                "The provided developer user identifier is already registered with Cognito under a different identity ID.",
              );
          } else identity = linked ? repo.get(linked.identityId)! : createIdentity(deps, pool, now);
          const providerLogins = verified.filter((l): l is ProviderLogin => l.kind === "provider");
          linkLogins(deps, identity, [login, ...providerLogins], now);
          return identity;
        });
        const amr = ["authenticated", ...login.amr, ...verified.flatMap((l) => l.amr)];
        const token = await issueCognitoToken(room.signingKey, {
          poolId: pool.id,
          identityId: identity.id,
          amr: [...new Set(amr)],
          now: ctx.now,
          lifetimeSeconds: i.tokenDuration ?? DEVELOPER_TOKEN_DEFAULT_SECONDS,
          principalTags: Object.entries(i.principalTags ?? {}).map(([key, value]) => ({ key, value })),
        });
        return { IdentityId: identity.id, Token: token };
      },
    }),
    signedOperation(deps, "LookupDeveloperIdentity", {
      input: (body) => ({
        poolId: identityPoolId(body),
        identityId: optionalString(body, "IdentityId", IDENTITY_ID),
        user: optionalString(body, "DeveloperUserIdentifier", DEVELOPER_USER),
        maxResults: optionalInteger(body, "MaxResults", 1, 60),
        nextToken: optionalString(body, "NextToken", PAGINATION_KEY),
      }),
      resource: (ctx, i) => poolResource(ctx, i.poolId),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.poolId);
        const provider = developerProvider(pool);
        if (i.identityId === undefined && i.user === undefined)
          throw new AwsError(
            "InvalidParameterException",
            "Either IdentityId or DeveloperUserIdentifier must be specified.",
          );
        let identityId = i.identityId;
        if (i.user !== undefined) {
          const linked = repo.linked(pool.id, provider, i.user);
          if (!linked || (identityId !== undefined && linked.identityId !== identityId))
            throw new AwsError(
              "ResourceNotFoundException",
              `Developer user identifier '${i.user}' not found.`,
            );
          identityId = linked.identityId;
        }
        const identity = identityIn(pool, identityId!);
        const users = repo
          .logins(identity.id)
          .filter((l) => l.provider === provider)
          .map((l) => l.subject)
          .sort();
        const after = i.nextToken === undefined ? undefined : decodePageToken(i.nextToken);
        const rest = after === undefined ? users : users.filter((u) => u > after);
        const limit = i.maxResults ?? 60;
        const page = rest.slice(0, limit);
        const out: Record<string, unknown> = { IdentityId: identity.id, DeveloperUserIdentifierList: page };
        if (rest.length > limit) out.NextToken = encodePageToken(page.at(-1)!);
        return out;
      },
    }),
    signedOperation(deps, "MergeDeveloperIdentities", {
      input: (body) => ({
        source: requiredString(body, "SourceUserIdentifier", DEVELOPER_USER),
        destination: requiredString(body, "DestinationUserIdentifier", DEVELOPER_USER),
        provider: requiredString(body, "DeveloperProviderName", DEVELOPER_PROVIDER),
        poolId: identityPoolId(body),
      }),
      resource: (ctx, i) => poolResource(ctx, i.poolId),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.poolId);
        const provider = developerProvider(pool, i.provider);
        return deps.store.transaction(() => {
          const find = (user: string) => {
            const linked = repo.linked(pool.id, provider, user);
            if (!linked)
              throw new AwsError(
                "ResourceNotFoundException",
                `Developer user identifier '${user}' not found.`,
              );
            return linked.identityId;
          };
          const from = find(i.source);
          const to = find(i.destination);
          if (from === to) return { IdentityId: to };
          const source = repo.logins(from);
          const destination = repo.logins(to);
          for (const login of source) {
            if (login.provider === provider) continue;
            if (destination.some((d) => d.provider === login.provider && d.subject !== login.subject))
              throw new AwsError(
                "ResourceConflictException",
                `The identities are linked to different users of ${login.provider} and cannot be merged.`,
              );
          }
          if (source.length + destination.length > 20)
            throw new AwsError(
              "LimitExceededException",
              "The merged identity would have more than 20 linked logins.",
            );
          repo.moveLogins(from, to);
          repo.delete(from);
          return { IdentityId: to };
        });
      },
    }),
    signedOperation(deps, "UnlinkDeveloperIdentity", {
      input: (body) => ({
        identityId: requiredString(body, "IdentityId", IDENTITY_ID),
        poolId: identityPoolId(body),
        provider: requiredString(body, "DeveloperProviderName", DEVELOPER_PROVIDER),
        user: requiredString(body, "DeveloperUserIdentifier", DEVELOPER_USER),
      }),
      resource: (ctx, i) => poolResource(ctx, i.poolId),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.poolId);
        const provider = developerProvider(pool, i.provider);
        const identity = identityIn(pool, i.identityId);
        deps.store.transaction(() => {
          const linked = repo.linked(pool.id, provider, i.user);
          if (!linked || linked.identityId !== identity.id)
            throw new AwsError(
              "ResourceNotFoundException",
              `Developer user identifier '${i.user}' is not linked to identity '${identity.id}'.`,
            );
          repo.unlink(pool.id, provider, i.user);
          if (repo.logins(identity.id).length === 0) repo.setDisabled(identity.id, true, ctx.now.getTime());
        });
        return {};
      },
    }),
  ];
}
