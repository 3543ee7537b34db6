import { iamArn, parseArn } from "../../core/arn.js";
import { oidcProviderName, oidcProviderUrlProblem } from "../../core/oidc/providerName.js";
import { AwsError } from "../../errors.js";
import type { AnyQueryOperation, SignedContext } from "../../protocol/operation.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { RoomDeps } from "../deps.js";
import { validationError } from "../validation.js";
import { alreadyExists, iamOperation, mergeTags, noSuchEntity, tagsParam, tagsXml } from "./common.js";

/** The metadata parameter's shape; what it says is read (`checkMetadata`) once the caller is authorised. */
function metadataParam(p: QueryParams): string {
  const xml = p.required("SAMLMetadataDocument", "sAMLMetadataDocument");
  if (xml.length > 10_000_000)
    throw validationError(
      "sAMLMetadataDocument",
      "[document]",
      "Member must have length less than or equal to 10000000",
    );
  return xml;
}

// The metadata parser (xmldom) loads on the first SAML-provider call: start-up does not read XML.
const parseIdpMetadata = async (xml: string) =>
  (await import("../../core/saml/metadata.js")).parseIdpMetadata(xml);
const checkMetadata = async (xml: string) => void (await parseIdpMetadata(xml));

/**
 * AWS takes https://HOST[/PATH] only; fedsim also takes http://127.0.0.1:PORT[/PATH] (and localhost, [::1]) for
 * local issuers, a documented deviation (src/core/oidc/providerName.ts).
 */
function oidcUrl(p: QueryParams): string {
  const url = p.required("Url", "url");
  const problem = oidcProviderUrlProblem(url);
  if (problem) throw new AwsError("ValidationError", problem);
  return url;
}

function thumbprints(p: QueryParams): string[] {
  const list = p.list("ThumbprintList");
  if (list.length > 5)
    throw new AwsError("LimitExceeded", "Thumbprint list must contain fewer than 5 entries.", {
      status: 409,
    });
  for (const t of list)
    if (!/^[0-9a-fA-F]{40}$/.test(t))
      throw validationError("thumbprintList", t, "Member must have length 40 and be hexadecimal");
  return list;
}

export function identityProviderOperations(deps: RoomDeps): AnyQueryOperation[] {
  const { store } = deps;
  const samlArnParam = (p: QueryParams) => p.required("SAMLProviderArn", "sAMLProviderArn");
  const oidcArnParam = (p: QueryParams) => p.required("OpenIDConnectProviderArn", "openIDConnectProviderArn");
  const saml = (ctx: SignedContext, arn: string) => {
    const provider = store.identityProviders.getSaml(arn);
    if (provider?.accountId !== ctx.caller.accountId) throw noSuchEntity(`Manifest not found for arn ${arn}`);
    return provider;
  };
  const oidc = (ctx: SignedContext, arn: string) => {
    const provider = store.identityProviders.getOidc(arn);
    if (provider?.accountId !== ctx.caller.accountId)
      throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
    return provider;
  };
  const byArn = (_ctx: SignedContext, i: { arn: string }) => i.arn;
  return [
    iamOperation(deps, "CreateSAMLProvider", {
      input: (p) => {
        const name = p.required("Name", "name");
        if (!/^[\w._-]{1,128}$/.test(name))
          throw validationError("name", name, "Member must satisfy regular expression pattern: [\\w._-]+");
        return { name, metadata: metadataParam(p), tags: tagsParam(p) };
      },
      resource: (ctx, i) => iamArn(ctx.caller.accountId, "saml-provider", i.name),
      validate: (i) => checkMetadata(i.metadata),
      run: (ctx, i) => {
        const arn = iamArn(ctx.caller.accountId, "saml-provider", i.name);
        if (store.identityProviders.getSaml(arn))
          throw alreadyExists(`SAMLProvider named ${i.name} already exists`);
        const tags = mergeTags([], i.tags);
        store.identityProviders.putSaml({
          arn,
          accountId: ctx.caller.accountId,
          name: i.name,
          metadata: i.metadata,
          validUntil: null,
          tags,
          createdAt: ctx.now.getTime(),
        });
        return { SAMLProviderArn: arn, Tags: tags.length ? tagsXml(tags) : undefined };
      },
    }),
    iamOperation(deps, "GetSAMLProvider", {
      input: (p) => ({ arn: samlArnParam(p) }),
      resource: byArn,
      run: async (ctx, i) => {
        const provider = saml(ctx, i.arn);
        const validUntil = (await parseIdpMetadata(provider.metadata)).validUntil;
        return {
          SAMLMetadataDocument: provider.metadata,
          CreateDate: new Date(provider.createdAt),
          ValidUntil: validUntil,
          Tags: provider.tags.length ? tagsXml(provider.tags) : undefined,
        };
      },
    }),
    iamOperation(deps, "ListSAMLProviders", {
      input: () => ({}),
      resource: () => "*",
      run: (ctx) => ({
        SAMLProviderList: store.identityProviders
          .listSaml(ctx.caller.accountId)
          .map((p) => ({ Arn: p.arn, CreateDate: new Date(p.createdAt) })),
      }),
    }),
    iamOperation(deps, "UpdateSAMLProvider", {
      input: (p) => ({ arn: samlArnParam(p), metadata: metadataParam(p) }),
      resource: byArn,
      validate: (i) => checkMetadata(i.metadata),
      run: (ctx, i) => {
        store.identityProviders.putSaml({ ...saml(ctx, i.arn), metadata: i.metadata });
        return { SAMLProviderArn: i.arn };
      },
    }),
    iamOperation(deps, "DeleteSAMLProvider", {
      input: (p) => ({ arn: samlArnParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        saml(ctx, i.arn);
        store.identityProviders.deleteSaml(i.arn);
        return undefined;
      },
    }),
    iamOperation(deps, "CreateOpenIDConnectProvider", {
      input: (p) => ({
        url: oidcUrl(p),
        clientIds: p.list("ClientIDList"),
        thumbprints: thumbprints(p),
        tags: tagsParam(p),
      }),
      resource: (ctx, i) => iamArn(ctx.caller.accountId, "oidc-provider", oidcProviderName(i.url)),
      run: (ctx, i) => {
        const arn = iamArn(ctx.caller.accountId, "oidc-provider", oidcProviderName(i.url));
        if (store.identityProviders.getOidc(arn))
          throw alreadyExists(`Provider with url ${i.url} already exists.`);
        const tags = mergeTags([], i.tags);
        store.identityProviders.putOidc({
          arn,
          accountId: ctx.caller.accountId,
          url: i.url,
          clientIds: [...new Set(i.clientIds)],
          thumbprints: i.thumbprints,
          tags,
          createdAt: ctx.now.getTime(),
        });
        return { OpenIDConnectProviderArn: arn, Tags: tags.length ? tagsXml(tags) : undefined };
      },
    }),
    iamOperation(deps, "GetOpenIDConnectProvider", {
      input: (p) => ({ arn: oidcArnParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        const provider = oidc(ctx, i.arn);
        return {
          // IAM answers the URL without its scheme.
          Url: parseArn(provider.arn)!.resource.slice("oidc-provider/".length),
          ClientIDList: provider.clientIds,
          ThumbprintList: provider.thumbprints,
          CreateDate: new Date(provider.createdAt),
          Tags: provider.tags.length ? tagsXml(provider.tags) : undefined,
        };
      },
    }),
    iamOperation(deps, "ListOpenIDConnectProviders", {
      input: () => ({}),
      resource: () => "*",
      run: (ctx) => ({
        OpenIDConnectProviderList: store.identityProviders
          .listOidc(ctx.caller.accountId)
          .map((p) => ({ Arn: p.arn })),
      }),
    }),
    iamOperation(deps, "DeleteOpenIDConnectProvider", {
      input: (p) => ({ arn: oidcArnParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        oidc(ctx, i.arn);
        store.identityProviders.deleteOidc(i.arn);
        return undefined;
      },
    }),
    iamOperation(deps, "AddClientIDToOpenIDConnectProvider", {
      input: (p) => ({ arn: oidcArnParam(p), clientId: p.required("ClientID", "clientID") }),
      resource: byArn,
      run: (ctx, i) => {
        const provider = oidc(ctx, i.arn);
        if (!provider.clientIds.includes(i.clientId))
          store.identityProviders.putOidc({ ...provider, clientIds: [...provider.clientIds, i.clientId] });
        return undefined;
      },
    }),
    iamOperation(deps, "RemoveClientIDFromOpenIDConnectProvider", {
      input: (p) => ({ arn: oidcArnParam(p), clientId: p.required("ClientID", "clientID") }),
      resource: byArn,
      run: (ctx, i) => {
        const provider = oidc(ctx, i.arn);
        store.identityProviders.putOidc({
          ...provider,
          clientIds: provider.clientIds.filter((c) => c !== i.clientId),
        });
        return undefined;
      },
    }),
    iamOperation(deps, "UpdateOpenIDConnectProviderThumbprint", {
      input: (p) => ({ arn: oidcArnParam(p), thumbprints: thumbprints(p) }),
      resource: byArn,
      run: (ctx, i) => {
        store.identityProviders.putOidc({ ...oidc(ctx, i.arn), thumbprints: i.thumbprints });
        return undefined;
      },
    }),
  ];
}
