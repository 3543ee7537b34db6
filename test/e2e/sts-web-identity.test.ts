import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asCreds, awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { builtinToken, closedPort, IndependentIssuer } from "../helpers/oidc.js";
import {
  ACCOUNT_ID,
  ADMIN,
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  REGION,
} from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

const requestIdOf = (x: { $metadata: { requestId?: string } }) => x.$metadata.requestId!;

describe("AssumeRoleWithWebIdentity through the real SDK", () => {
  let fedsim: TestFedsim;
  let iam: IAMClient;
  let issuerName: string;
  const withToken = (RoleArn: string, WebIdentityToken: string, extra: Record<string, unknown> = {}) =>
    anonymousSts(fedsim.url).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: "web", WebIdentityToken, ...extra }),
    );
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    issuerName = `${fedsim.url.slice("http://".length)}/oidc`;
  });
  afterAll(() => fedsim.stop());

  describe("with a token from the built-in issuer", () => {
    it("lets alice assume PetStoreAdmin, answering every field AWS answers", async () => {
      const out = await withToken(
        PETSTORE_ADMIN_ROLE,
        await builtinToken(fedsim.url, "alice", "alice-password"),
        {
          RoleSessionName: "alice-web",
        },
      );
      expect(out).toMatchObject({
        SubjectFromWebIdentityToken: "alice",
        Provider: `${fedsim.url}/oidc`,
        Audience: "petstore-web",
        AssumedRoleUser: {
          Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/alice-web`,
          AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]+:alice-web$/),
        },
      });
      // The team session tag comes from the token's https://aws.amazon.com/tags claim.
      expect(out.PackedPolicySize).toBeGreaterThan(0);
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
      const identity = await stsClient(fedsim, asCreds(out.Credentials)).send(
        new GetCallerIdentityCommand({}),
      );
      expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/alice-web`);
    });

    it("refuses bob PetStoreAdmin, whose trust policy names alice's sub, and logs the condition that failed", async () => {
      const denied = await awsError(async () =>
        withToken(PETSTORE_ADMIN_ROLE, await builtinToken(fedsim.url, "bob", "bob-password")),
      );
      expect(denied.name).toBe("AccessDenied");
      expect(denied.message).toBe("Not authorized to perform sts:AssumeRoleWithWebIdentity");
      expect(denied.$metadata.httpStatusCode).toBe(403);
      const [record] = fedsim.decisions.query({ limit: 1, requestId: requestIdOf(denied as never) });
      expect(record).toMatchObject({
        door: "aws-api",
        decision: "implicit-deny",
        action: "sts:AssumeRoleWithWebIdentity",
        principal: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${issuerName}`,
        resource: PETSTORE_ADMIN_ROLE,
      });
      expect(record!.reason).toContain(`${issuerName}:sub "alice" does not hold, the request has "bob"`);
    });

    it("carries the session tags and the provider's sub and aud into the session's own requests", async () => {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: "PetStoreCustomer",
          PolicyName: "CustomersReadTheirRole",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "iam:GetRole",
                Resource: PETSTORE_CUSTOMER_ROLE,
                Condition: {
                  StringEquals: {
                    "aws:PrincipalTag/team": "customers",
                    [`${issuerName}:sub`]: "bob",
                    [`${issuerName}:aud`]: "petstore-web",
                  },
                },
              },
            ],
          }),
        }),
      );
      const getRole = async (user: string) => {
        const out = await withToken(
          PETSTORE_CUSTOMER_ROLE,
          await builtinToken(fedsim.url, user, `${user}-password`),
        );
        return new IAMClient({
          region: REGION,
          endpoint: fedsim.url,
          credentials: asCreds(out.Credentials),
          maxAttempts: 1,
        }).send(new GetRoleCommand({ RoleName: "PetStoreCustomer" }));
      };
      expect((await getRole("bob")).Role?.RoleName).toBe("PetStoreCustomer");
      // alice's token carries team=admins, so the same role's policy does not let her.
      expect((await awsError(() => getRole("alice"))).name).toBe("AccessDenied");
    });

    it("takes DurationSeconds within the role's MaxSessionDuration and refuses beyond it", async () => {
      const token = await builtinToken(fedsim.url, "bob", "bob-password");
      const out = await withToken(PETSTORE_CUSTOMER_ROLE, token, { DurationSeconds: 900 });
      expect(out.Credentials!.Expiration!.getTime()).toBe(fedsim.clock.now().getTime() + 900_000);
      const tooLong = await awsError(() =>
        withToken(PETSTORE_CUSTOMER_ROLE, token, { DurationSeconds: 7200 }),
      );
      expect(tooLong.name).toBe("ValidationError");
      expect(tooLong.message).toBe(
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      );
    });

    it("refuses an OAuth access token for a ProviderId, which fedsim cannot check offline", async () => {
      const error = await awsError(() =>
        withToken(PETSTORE_CUSTOMER_ROLE, "Atza|IQEBLjAsAhRFiXuWpUXuRvQ9PZL3GMFcYevydwIUFAHZwXZXX", {
          ProviderId: "www.amazon.com",
        }),
      );
      // The SDK names modeled STS errors by their exception shape: code IDPRejectedClaim on the wire.
      expect(error.name).toBe("IDPRejectedClaimException");
      expect(error.message).toBe(
        "www.amazon.com: fedsim cannot ask www.amazon.com to check an OAuth 2.0 access token offline, so it accepts none; send an OpenID Connect ID token from a provider your account defines, without ProviderId.",
      );
    });
  });

  describe("with a token from an independent issuer on 127.0.0.1", () => {
    let issuer: IndependentIssuer;
    const role = `arn:aws:iam::${ACCOUNT_ID}:role/CiDeploy`;
    beforeAll(async () => {
      issuer = await IndependentIssuer.start();
      const created = await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: issuer.url,
          ClientIDList: ["ci-app"],
          ThumbprintList: [],
        }),
      );
      expect(created.OpenIDConnectProviderArn).toBe(
        `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${issuer.name}`,
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: "CiDeploy",
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Federated: created.OpenIDConnectProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                  StringEquals: { [`${issuer.name}:aud`]: "ci-app" },
                  StringLike: { [`${issuer.name}:sub`]: "repo:petstore/*" },
                },
              },
            ],
          }),
        }),
      );
    });
    afterAll(() => issuer.stop());

    it("verifies its token against the JWKS it serves, and GetCallerIdentity names the session", async () => {
      const token = await issuer.mint(
        { sub: "repo:petstore/api:ref:refs/heads/main", aud: "ci-app" },
        fedsim.clock.now(),
      );
      const out = await withToken(role, token, { RoleSessionName: "ci-run" });
      expect(out).toMatchObject({
        SubjectFromWebIdentityToken: "repo:petstore/api:ref:refs/heads/main",
        Provider: issuer.url,
        Audience: "ci-app",
      });
      const identity = await stsClient(fedsim, asCreds(out.Credentials)).send(
        new GetCallerIdentityCommand({}),
      );
      expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/CiDeploy/ci-run`);
    });

    it("fetches the JWKS once and verifies every later token against the cached keys", async () => {
      const before = issuer.jwksRequests;
      for (const n of [1, 2, 3]) {
        const token = await issuer.mint({ sub: `repo:petstore/job-${n}`, aud: "ci-app" }, fedsim.clock.now());
        await withToken(role, token);
      }
      expect(issuer.jwksRequests).toBe(before);
    });

    it("refuses a subject the trust policy does not name", async () => {
      const token = await issuer.mint({ sub: "repo:mallory/fork", aud: "ci-app" }, fedsim.clock.now());
      const error = await awsError(() => withToken(role, token));
      expect(error.name).toBe("AccessDenied");
      expect(error.message).toBe("Not authorized to perform sts:AssumeRoleWithWebIdentity");
    });

    it("fetches the keys again once for an unknown kid, so a rotated key is taken", async () => {
      await issuer.rotate("key-2");
      const before = issuer.jwksRequests;
      // Keys younger than 10 s are not refetched for an unknown kid (a flood of made-up kids costs one fetch).
      fedsim.clock.advance(11_000);
      const token = await issuer.mint({ sub: "repo:petstore/rotated", aud: "ci-app" }, fedsim.clock.now());
      const out = await withToken(role, token);
      expect(out.SubjectFromWebIdentityToken).toBe("repo:petstore/rotated");
      expect(issuer.jwksRequests).toBe(before + 1);
    });

    it("answers IDPCommunicationError when the issuer cannot be reached", async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      await iam.send(
        new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ["ci-app"], ThumbprintList: [] }),
      );
      const token = await issuer.mint(
        { iss: url, sub: "repo:petstore/x", aud: "ci-app" },
        fedsim.clock.now(),
      );
      const error = await awsError(() => withToken(role, token));
      expect(error.name).toBe("IDPCommunicationErrorException");
      expect(error.message).toBe(
        `The identity provider ${url} could not be reached (${url}/.well-known/openid-configuration: ECONNREFUSED); retry, or give the provider's keys inline (jwks) in the config.`,
      );
    });
  });
});
