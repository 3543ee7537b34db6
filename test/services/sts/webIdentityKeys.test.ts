import { describe, expect, it } from "vitest";
import { AwsError } from "../../../src/errors.js";
import { KEY_RETRIEVAL_FAILED, webIdentityKeys } from "../../../src/services/sts/webIdentityKeys.js";
import { TestClock } from "../../helpers/fedsim.js";

const ISSUER = "https://issuer.example";
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/issuer.example";

/** A fake issuer: its discovery document and JWKS, each request counted. */
function fakeIssuer(overrides: { discovery?: unknown; status?: number; jwks?: () => unknown } = {}) {
  const calls: string[] = [];
  let generation = 0;
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    if (url === `${ISSUER}/.well-known/openid-configuration`)
      return Response.json(overrides.discovery ?? { issuer: ISSUER, jwks_uri: `${ISSUER}/keys` }, {
        status: overrides.status ?? 200,
      });
    if (url === `${ISSUER}/keys`)
      return Response.json(overrides.jwks?.() ?? { keys: [{ kid: `k${++generation}` }] });
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; cause: unknown }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    const e = error as AwsError;
    return { code: e.code, message: e.message, cause: e.cause };
  }
  throw new Error("expected an AwsError");
}

describe("where AssumeRoleWithWebIdentity gets an issuer's keys", () => {
  it("fetches discovery then jwks_uri once, and hands back the same JWKS object until it is 10 minutes old", async () => {
    const clock = new TestClock();
    const issuer = fakeIssuer();
    const keys = webIdentityKeys({ clock: clock.now, fetch: issuer.fetchImpl });
    const first = await keys.jwksFor(ISSUER, PROVIDER);
    expect(first).toEqual({ jwks: { keys: [{ kid: "k1" }] }, refetchable: false });
    clock.advance(9 * 60_000);
    const cached = await keys.jwksFor(ISSUER, PROVIDER);
    expect(cached.jwks).toBe(first.jwks);
    expect(cached.refetchable).toBe(true);
    expect(issuer.calls).toEqual([`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/keys`]);
    clock.advance(60_000);
    expect((await keys.jwksFor(ISSUER, PROVIDER)).jwks).toEqual({ keys: [{ kid: "k2" }] });
  });

  it("refetches for an unknown kid only keys at least 10 seconds old", async () => {
    const clock = new TestClock();
    const issuer = fakeIssuer();
    const keys = webIdentityKeys({ clock: clock.now, fetch: issuer.fetchImpl });
    await keys.jwksFor(ISSUER, PROVIDER);
    expect(await keys.jwksFor(ISSUER, PROVIDER, { refresh: true })).toEqual({
      jwks: { keys: [{ kid: "k1" }] },
      refetchable: false,
    });
    clock.advance(10_000);
    expect((await keys.jwksFor(ISSUER, PROVIDER, { refresh: true })).jwks).toEqual({ keys: [{ kid: "k2" }] });
  });

  it("shares one fetch among requests that arrive together", async () => {
    const issuer = fakeIssuer();
    const keys = webIdentityKeys({ clock: new TestClock().now, fetch: issuer.fetchImpl });
    const [a, b] = await Promise.all([keys.jwksFor(ISSUER, PROVIDER), keys.jwksFor(ISSUER, PROVIDER)]);
    expect(a.jwks).toBe(b.jwks);
    expect(issuer.calls).toHaveLength(2);
  });

  it("serves the built-in issuer's keys and config-given ones without any request", async () => {
    const issuer = fakeIssuer();
    const builtinJwks = { keys: [{ kid: "builtin" }] };
    const inlineJwks = { keys: [{ kid: "inline" }] };
    const keys = webIdentityKeys({
      clock: new TestClock().now,
      fetch: issuer.fetchImpl,
      builtin: { url: "http://127.0.0.1:4566/oidc", keys: async () => ({ jwks: builtinJwks }) },
      inline: new Map([[PROVIDER, inlineJwks]]),
    });
    expect((await keys.jwksFor("http://127.0.0.1:4566/oidc", "arn:any")).jwks).toBe(builtinJwks);
    expect((await keys.jwksFor(ISSUER, PROVIDER)).jwks).toBe(inlineJwks);
    expect(issuer.calls).toEqual([]);
  });

  it("answers IDPCommunicationError when the issuer does not answer within the timeout", async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason));
      })) as typeof fetch;
    const keys = webIdentityKeys({ clock: new TestClock().now, fetch: hanging, timeoutMs: 20 });
    expect(await refusal(keys.jwksFor(ISSUER, PROVIDER))).toEqual({
      code: "IDPCommunicationError",
      message: `The identity provider ${ISSUER} could not be reached (${ISSUER}/.well-known/openid-configuration: no answer within 0.02 s); retry, or give the provider's keys inline (jwks) in the config.`,
      cause: undefined,
    });
  });

  it("answers AWS's key-retrieval failure, with fedsim's reason as the cause, for documents it cannot use", async () => {
    const cases: [Parameters<typeof fakeIssuer>[0], string][] = [
      [{ status: 500 }, `${ISSUER}/.well-known/openid-configuration answered HTTP 500.`],
      [
        { discovery: { issuer: "https://other.example", jwks_uri: `${ISSUER}/keys` } },
        `The discovery document at ${ISSUER}/.well-known/openid-configuration names the issuer "https://other.example", not ${ISSUER} (OpenID Connect Discovery requires them to be equal).`,
      ],
      [
        { discovery: { issuer: ISSUER } },
        `The discovery document at ${ISSUER}/.well-known/openid-configuration has no http(s) jwks_uri.`,
      ],
      [{ jwks: () => ({ not: "a jwks" }) }, `${ISSUER}/keys is not a JWKS document ({"keys": [...]}).`],
    ];
    for (const [overrides, cause] of cases) {
      const keys = webIdentityKeys({ clock: new TestClock().now, fetch: fakeIssuer(overrides).fetchImpl });
      expect(await refusal(keys.jwksFor(ISSUER, PROVIDER))).toEqual({
        code: "InvalidIdentityToken",
        message: KEY_RETRIEVAL_FAILED,
        cause,
      });
    }
  });
});
