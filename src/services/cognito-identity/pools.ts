import { randomUUID } from "node:crypto";
import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import type { CognitoIdentityProviderEntry, IdentityPoolRow } from "../../store/identityPools.js";
import type { RoomDeps } from "../deps.js";
import {
  ARN,
  type Body,
  checkString,
  DEVELOPER_PROVIDER,
  identityPoolId,
  optionalBoolean,
  optionalList,
  optionalString,
  PAGINATION_KEY,
  POOL_NAME,
  requiredBoolean,
  requiredInteger,
  requiredString,
  stringList,
  stringMap,
  TAG_KEY,
  TAG_VALUE,
} from "./input.js";
import { ownPool, poolResource, signedOperation } from "./operation.js";
import { decodePageToken, encodePageToken } from "./paging.js";
import { requestTagContext } from "./tags.js";

/** The IdentityPool shape without its id: what CreateIdentityPool and UpdateIdentityPool take. */
interface PoolSettings {
  name: string;
  allowUnauthenticated: boolean;
  allowClassicFlow: boolean | undefined;
  supportedLoginProviders: Record<string, string> | undefined;
  developerProviderName: string | undefined;
  openIdConnectProviderArns: string[] | undefined;
  cognitoIdentityProviders: CognitoIdentityProviderEntry[] | undefined;
  samlProviderArns: string[] | undefined;
  tags: Record<string, string> | undefined;
}

function poolSettings(body: Body): PoolSettings {
  return {
    name: requiredString(body, "IdentityPoolName", POOL_NAME),
    allowUnauthenticated: requiredBoolean(body, "AllowUnauthenticatedIdentities"),
    allowClassicFlow: optionalBoolean(body, "AllowClassicFlow"),
    supportedLoginProviders: stringMap(body, "SupportedLoginProviders", {
      maxEntries: 10,
      key: { min: 1, max: 128 },
      value: { min: 1, max: 128, pattern: [/^[\w.;_/-]+$/, "[\\w.;_/-]+"] },
    }),
    developerProviderName: optionalString(body, "DeveloperProviderName", DEVELOPER_PROVIDER),
    openIdConnectProviderArns: stringList(body, "OpenIdConnectProviderARNs", { member: ARN }),
    cognitoIdentityProviders: optionalList(body, "CognitoIdentityProviders")?.map((entry) => {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry))
        throw new AwsError("SerializationException", "Start of list found where not expected");
      const e = entry as Body;
      const out: CognitoIdentityProviderEntry = {
        ProviderName: checkString("cognitoIdentityProviders.member.providerName", e.ProviderName, {
          min: 1,
          max: 128,
          pattern: [/^[\w._:/-]+$/, "[\\w._:/-]+"],
        }),
      };
      if (e.ClientId !== undefined && e.ClientId !== null)
        out.ClientId = checkString("cognitoIdentityProviders.member.clientId", e.ClientId, {
          min: 1,
          max: 128,
          pattern: [/^[\w_]+$/, "[\\w_]+"],
        });
      const check = optionalBoolean(e, "ServerSideTokenCheck");
      out.ServerSideTokenCheck = check ?? false;
      return out;
    }),
    samlProviderArns: stringList(body, "SamlProviderARNs", { member: ARN }),
    tags: stringMap(body, "IdentityPoolTags", { key: TAG_KEY, value: TAG_VALUE }),
  };
}

/**
 * The providers a pool names must exist in the pool's account, as IAM resources: a pool trusting an OIDC or
 * SAML provider that is not there could never verify a login from it. (AWS's wording is a guess.)
 */
function checkProviders(deps: RoomDeps, accountId: string, s: PoolSettings): void {
  for (const arn of s.openIdConnectProviderArns ?? []) {
    const provider = deps.store.identityProviders.getOidc(arn);
    if (!provider || provider.accountId !== accountId)
      throw new AwsError(
        "InvalidParameterException",
        `Invalid OpenIdConnectProviderARN: ${arn} does not exist.`,
      );
  }
  for (const arn of s.samlProviderArns ?? []) {
    const provider = deps.store.identityProviders.getSaml(arn);
    if (!provider || provider.accountId !== accountId)
      throw new AwsError("InvalidParameterException", `Invalid SamlProviderARN: ${arn} does not exist.`);
  }
  const tags = Object.keys(s.tags ?? {});
  if (tags.length > 50)
    throw new AwsError("InvalidParameterException", "An identity pool can have at most 50 tags.");
}

/** The IdentityPool shape of responses. */
export function poolJson(pool: IdentityPoolRow) {
  const out: Record<string, unknown> = {
    IdentityPoolId: pool.id,
    IdentityPoolName: pool.name,
    AllowUnauthenticatedIdentities: pool.allowUnauthenticated,
    AllowClassicFlow: pool.allowClassicFlow,
    SupportedLoginProviders: pool.supportedLoginProviders,
    OpenIdConnectProviderARNs: pool.openIdConnectProviderArns,
    CognitoIdentityProviders: pool.cognitoIdentityProviders,
    SamlProviderARNs: pool.samlProviderArns,
    IdentityPoolTags: pool.tags,
  };
  if (pool.developerProviderName !== null) out.DeveloperProviderName = pool.developerProviderName;
  return out;
}

export function poolOperations(deps: RoomDeps): AnyJsonOperation[] {
  return [
    signedOperation(deps, "CreateIdentityPool", {
      input: poolSettings,
      resource: () => "*",
      context: (i) => requestTagContext(i.tags ?? {}),
      run: (ctx, i) => {
        checkProviders(deps, ctx.caller.accountId, i);
        const pool: IdentityPoolRow = {
          id: `${ctx.region}:${randomUUID()}`,
          accountId: ctx.caller.accountId,
          region: ctx.region,
          name: i.name,
          allowUnauthenticated: i.allowUnauthenticated,
          allowClassicFlow: i.allowClassicFlow ?? false,
          supportedLoginProviders: i.supportedLoginProviders ?? {},
          developerProviderName: i.developerProviderName ?? null,
          openIdConnectProviderArns: i.openIdConnectProviderArns ?? [],
          cognitoIdentityProviders: i.cognitoIdentityProviders ?? [],
          samlProviderArns: i.samlProviderArns ?? [],
          roles: {},
          roleMappings: {},
          tags: i.tags ?? {},
          fromConfig: false,
          createdAt: ctx.now.getTime(),
        };
        deps.store.identityPools.create(pool);
        return poolJson(pool);
      },
    }),
    signedOperation(deps, "DescribeIdentityPool", {
      input: (body) => ({ id: identityPoolId(body) }),
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, i) => poolJson(ownPool(deps, ctx, i.id)),
    }),
    signedOperation(deps, "ListIdentityPools", {
      input: (body) => ({
        maxResults: requiredInteger(body, "MaxResults", 1, 60),
        nextToken: optionalString(body, "NextToken", PAGINATION_KEY),
      }),
      resource: () => "*",
      run: (ctx, i) => {
        const after = i.nextToken === undefined ? "" : decodePageToken(i.nextToken);
        const page = deps.store.identityPools.list(ctx.caller.accountId, ctx.region, after, i.maxResults + 1);
        const shown = page.slice(0, i.maxResults);
        const out: Record<string, unknown> = {
          IdentityPools: shown.map((p) => ({ IdentityPoolId: p.id, IdentityPoolName: p.name })),
        };
        if (page.length > i.maxResults) out.NextToken = encodePageToken(shown.at(-1)!.id);
        return out;
      },
    }),
    signedOperation(deps, "UpdateIdentityPool", {
      input: (body) => ({ id: identityPoolId(body), settings: poolSettings(body) }),
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, { id, settings: s }) => {
        const pool = ownPool(deps, ctx, id);
        checkProviders(deps, pool.accountId, s);
        // AWS: a developer provider name, once set, is the domain of every developer identity in the pool.
        if (pool.developerProviderName !== null && s.developerProviderName !== pool.developerProviderName)
          throw new AwsError(
            "InvalidParameterException",
            "The developer provider name of an identity pool cannot be changed once set.",
          );
        const next: IdentityPoolRow = {
          ...pool,
          name: s.name,
          allowUnauthenticated: s.allowUnauthenticated,
          allowClassicFlow: s.allowClassicFlow ?? false,
          supportedLoginProviders: s.supportedLoginProviders ?? {},
          developerProviderName: s.developerProviderName ?? null,
          openIdConnectProviderArns: s.openIdConnectProviderArns ?? [],
          cognitoIdentityProviders: s.cognitoIdentityProviders ?? [],
          samlProviderArns: s.samlProviderArns ?? [],
          tags: s.tags ?? pool.tags,
        };
        deps.store.identityPools.save(next);
        return poolJson(next);
      },
    }),
    signedOperation(deps, "DeleteIdentityPool", {
      input: (body) => ({ id: identityPoolId(body) }),
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, i) => {
        ownPool(deps, ctx, i.id);
        deps.store.transaction(() => deps.store.identityPools.delete(i.id));
        return {};
      },
    }),
  ];
}
