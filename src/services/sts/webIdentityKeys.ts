import type { FedsimConfig } from "../../config/schema.js";
import { iamArn } from "../../core/arn.js";
import type { JsonWebKeySet } from "../../core/oidc/jwks.js";
import { oidcProviderName } from "../../core/oidc/providerName.js";
import { AwsError } from "../../errors.js";

/** AWS's words when it reached the issuer but could not get a key from it. */
export const KEY_RETRIEVAL_FAILED =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

export interface IssuerJwks {
  jwks: JsonWebKeySet;
  /** Whether asking again can give newer keys (fetched over HTTP), so an unknown kid is worth one refetch. */
  refetchable: boolean;
}

/** Where AssumeRoleWithWebIdentity gets an issuer's signing keys. Failures are AwsErrors (with a `cause` sentence). */
export interface WebIdentityKeySource {
  jwksFor(issuer: string, providerArn: string, options?: { refresh?: boolean }): Promise<IssuerJwks>;
}

export interface WebIdentityKeyOptions {
  /** fedsim's own issuer: its keys are handed over in-process, never fetched from itself over HTTP. */
  builtin?: { url: string; keys(): Promise<{ jwks: JsonWebKeySet }> };
  /** JWKS given in the config, by provider ARN, for issuers that cannot be reached offline. */
  inline?: ReadonlyMap<string, JsonWebKeySet>;
  /** Keys fedsim holds itself but loads on first use (Cognito Identity's), by provider ARN. */
  inProcess?: ReadonlyMap<string, () => Promise<JsonWebKeySet>>;
  clock: () => Date;
  fetch?: typeof fetch;
  /** For discovery and JWKS together; default 3 s. */
  timeoutMs?: number;
  /** How long fetched keys are used; default 10 minutes. */
  ttlMs?: number;
  /** An unknown kid refetches only keys at least this old, so a flood of made-up kids is one request; default 10 s. */
  minRefetchMs?: number;
}

const MAX_DOCUMENT_BYTES = 1_000_000;

/**
 * Keys by source: the built-in issuer's from memory, a config-given JWKS as written, anyone else's from its
 * discovery document and jwks_uri, fetched with a timeout and cached. Each source hands back the same JWKS
 * object until it changes, so verifyToken imports each key once and verifies every token afresh.
 */
export function webIdentityKeys(options: WebIdentityKeyOptions): WebIdentityKeySource {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3000;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const minRefetchMs = options.minRefetchMs ?? 10_000;
  const cache = new Map<string, { jwks: JsonWebKeySet; fetchedAt: number }>();
  const inFlight = new Map<string, Promise<JsonWebKeySet>>();

  const fetchJwks = (issuer: string): Promise<JsonWebKeySet> => {
    let pending = inFlight.get(issuer);
    if (!pending) {
      pending = discoverJwks(fetchImpl, issuer, timeoutMs).then((jwks) => {
        cache.set(issuer, { jwks, fetchedAt: options.clock().getTime() });
        return jwks;
      });
      const settled = () => inFlight.delete(issuer);
      pending.then(settled, settled);
      inFlight.set(issuer, pending);
    }
    return pending;
  };

  return {
    async jwksFor(issuer, providerArn, { refresh = false } = {}) {
      if (options.builtin && issuer === options.builtin.url)
        return { jwks: (await options.builtin.keys()).jwks, refetchable: false };
      const inline = options.inline?.get(providerArn);
      if (inline) return { jwks: inline, refetchable: false };
      const own = options.inProcess?.get(providerArn);
      if (own) return { jwks: await own(), refetchable: false };
      const now = options.clock().getTime();
      const cached = cache.get(issuer);
      const stale = !cached || now - cached.fetchedAt >= ttlMs || now < cached.fetchedAt;
      if (cached && !stale && !(refresh && now - cached.fetchedAt >= minRefetchMs))
        return { jwks: cached.jwks, refetchable: !refresh };
      return { jwks: await fetchJwks(issuer), refetchable: false };
    },
  };
}

/** OpenID Connect Discovery 1.0 §4: the issuer's configuration document, then the JWKS it names. */
async function discoverJwks(
  fetchImpl: typeof fetch,
  issuer: string,
  timeoutMs: number,
): Promise<JsonWebKeySet> {
  const signal = AbortSignal.timeout(timeoutMs);
  const discoveryUrl = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const discovery = await getJson(fetchImpl, discoveryUrl, signal, issuer, timeoutMs);
  if (discovery.issuer !== issuer)
    throw retrievalFailed(
      `The discovery document at ${discoveryUrl} names the issuer ${JSON.stringify(discovery.issuer)}, not ${issuer} (OpenID Connect Discovery requires them to be equal).`,
    );
  const jwksUri = discovery.jwks_uri;
  if (typeof jwksUri !== "string" || !/^https?:\/\//i.test(jwksUri))
    throw retrievalFailed(`The discovery document at ${discoveryUrl} has no http(s) jwks_uri.`);
  // An issuer chooses where fedsim fetches: a local one only on its own origin, a remote one only over https,
  // so a discovery document cannot aim fedsim at another machine (a metadata service, a private host).
  const issuerUrl = new URL(issuer);
  const keysUrl = new URL(jwksUri);
  const local = issuerUrl.protocol === "http:";
  if ((local && keysUrl.origin !== issuerUrl.origin) || (!local && keysUrl.protocol !== "https:"))
    throw retrievalFailed(
      `The discovery document at ${discoveryUrl} names jwks_uri ${jwksUri}, ${local ? "not on the issuer's own origin" : "not https"}: fedsim fetches keys only from there.`,
    );
  const jwks = await getJson(fetchImpl, jwksUri, signal, issuer, timeoutMs);
  if (!Array.isArray(jwks.keys))
    throw retrievalFailed(`${jwksUri} is not a JWKS document ({"keys": [...]}).`);
  return { keys: jwks.keys };
}

async function getJson(
  fetchImpl: typeof fetch,
  url: string,
  signal: AbortSignal,
  issuer: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    // No redirects: the origin checked above is the one fetched.
    const res = await fetchImpl(url, { signal, redirect: "error", headers: { accept: "application/json" } });
    if (!res.ok) {
      await res.body?.cancel();
      throw retrievalFailed(`${url} answered HTTP ${res.status}.`);
    }
    text = await readBounded(res, url);
  } catch (error) {
    if (error instanceof AwsError) throw error;
    const reason = signal.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    throw new AwsError(
      "IDPCommunicationError",
      `The identity provider ${issuer} could not be reached (${url}: ${reason}); retry, or give the provider's keys inline (jwks) in the config.`,
    );
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {}
  throw retrievalFailed(`${url} did not answer a JSON object.`);
}

async function readBounded(res: Response, url: string): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > MAX_DOCUMENT_BYTES) {
    await res.body?.cancel();
    throw retrievalFailed(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes.`);
  }
  // Read as it streams, and stop at the limit: a chunked answer declares no length.
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (reader)
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_DOCUMENT_BYTES) {
        await reader.cancel();
        throw retrievalFailed(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes.`);
      }
      chunks.push(Buffer.from(value));
    }
  return Buffer.concat(chunks).toString("utf8");
}

function retrievalFailed(detail: string): AwsError {
  return new AwsError("InvalidIdentityToken", KEY_RETRIEVAL_FAILED, { cause: detail });
}

/** The JWKS the config gives its OIDC providers, by provider ARN: the same objects for as long as fedsim runs. */
export function configuredJwks(config: FedsimConfig): Map<string, JsonWebKeySet> {
  const byArn = new Map<string, JsonWebKeySet>();
  for (const account of config.accounts)
    for (const provider of account.oidcProviders)
      if (provider.jwks)
        byArn.set(iamArn(account.id, "oidc-provider", oidcProviderName(provider.url)), provider.jwks);
  return byArn;
}
