import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSamlResponseBase64 } from "../../src/core/saml/buildResponse.js";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { BUILTIN_IDP_ENTITY_ID } from "../../src/idp/constants.js";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import {
  ACCOUNT_ID,
  ADMIN,
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  REGION,
  SAML_PROVIDER,
} from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

const ROLE_ATTR = "https://aws.amazon.com/SAML/Attributes/Role";
const SESSION_ATTR = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

/** Whole seconds: Expiration goes over the wire without milliseconds. */
const seconds = (date: Date | undefined) => Math.floor((date?.getTime() ?? Number.NaN) / 1000);

describe("AssumeRoleWithSAML through the real SDK", () => {
  let fedsim: TestFedsim;
  let keys: { privateKeyPem: string; certificatePem: string };
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    const certs = join(fedsim.dir, "certs");
    keys = {
      privateKeyPem: readFileSync(join(certs, "idp-signing.key"), "utf8"),
      certificatePem: readFileSync(join(certs, "idp-signing.pem"), "utf8"),
    };
  });
  afterAll(() => fedsim.stop());

  const assertion = (
    user: string,
    roles: string[],
    overrides: Partial<Parameters<typeof buildSamlResponseBase64>[0]> = {},
    /** Attributes besides the role pairs and session name. */
    extraAttributes: Record<string, string[]> = {},
  ) =>
    buildSamlResponseBase64({
      issuer: BUILTIN_IDP_ENTITY_ID,
      ...keys,
      nameId: `${user}@petstore.example`,
      recipient: "https://signin.aws.amazon.com/saml",
      attributes: {
        [ROLE_ATTR]: roles.map((r) => `${r},${SAML_PROVIDER}`),
        [SESSION_ATTR]: [user],
        ...extraAttributes,
      },
      now: fedsim.clock.now(),
      ...overrides,
    });
  const withSaml = (SAMLAssertion: string, RoleArn: string, client = anonymousSts(fedsim.url)) =>
    client.send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: SAML_PROVIDER, SAMLAssertion }));

  it("lets alice assume PetStoreAdmin with an assertion from the built-in IdP", async () => {
    const out = await withSaml(
      assertion("alice", [PETSTORE_ADMIN_ROLE, PETSTORE_CUSTOMER_ROLE]),
      PETSTORE_ADMIN_ROLE,
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/alice`);
    expect(out).toMatchObject({
      Subject: "alice@petstore.example",
      SubjectType: "persistent",
      Issuer: BUILTIN_IDP_ENTITY_ID,
      Audience: "https://signin.aws.amazon.com/saml",
    });
    expect(out.NameQualifier).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const identity = await stsClient(fedsim, {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(out.AssumedRoleUser?.Arn);
  });

  it("carries the SAML keys into the session's own requests, for the role's policies to use", async () => {
    const iamAsAdmin = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: ADMIN,
      maxAttempts: 1,
    });
    await iamAsAdmin.send(
      new PutRolePolicyCommand({
        RoleName: "PetStoreCustomer",
        PolicyName: "OnlyAliceReadsRoles",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "iam:GetRole",
              Resource: "arn:aws:iam::*:role/${saml:sub_type, 'none'}-*",
              Condition: { StringEquals: { "saml:sub": "alice@petstore.example" } },
            },
          ],
        }),
      }),
    );
    await iamAsAdmin.send(
      new CreateRoleCommand({
        RoleName: "persistent-reports",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: ACCOUNT_ID }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const sessionIam = async (user: string) => {
      const { Credentials } = await withSaml(
        assertion(user, [PETSTORE_CUSTOMER_ROLE]),
        PETSTORE_CUSTOMER_ROLE,
      );
      return new IAMClient({
        region: REGION,
        endpoint: fedsim.url,
        maxAttempts: 1,
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      });
    };
    // ${saml:sub_type} resolves in Resource ("persistent", the format of the assertion's NameID).
    const alice = await sessionIam("alice");
    expect((await alice.send(new GetRoleCommand({ RoleName: "persistent-reports" }))).Role?.RoleName).toBe(
      "persistent-reports",
    );
    const bob = await sessionIam("bob");
    const denied = await awsError(() => bob.send(new GetRoleCommand({ RoleName: "persistent-reports" })));
    expect(denied.name).toBe("AccessDenied");
  });

  it("carries only SAML:sub, SAML:sub_type and SAML:namequalifier: the trust policy's other SAML keys stay behind", async () => {
    // AWS documents these three for a SAML role's permission policies; SAML:iss, SAML:aud, SAML:doc and the
    // eduPerson keys are trust-policy keys, absent from the session's requests, so a condition on them fails.
    const iamAsAdmin = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: ADMIN,
      maxAttempts: 1,
    });
    const { Credentials, NameQualifier } = await withSaml(
      assertion("alice", [PETSTORE_CUSTOMER_ROLE], {}, { "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff"] }),
      PETSTORE_CUSTOMER_ROLE,
    );
    const alice = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      maxAttempts: 1,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
    const mayGetRoleWhen = async (name: string, condition: Record<string, string>) => {
      await iamAsAdmin.send(
        new PutRolePolicyCommand({
          RoleName: "PetStoreCustomer",
          PolicyName: "KeyProbe",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "iam:GetRole",
                Resource: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
                Condition: { StringEquals: condition },
              },
            ],
          }),
        }),
      );
      try {
        await alice.send(new GetRoleCommand({ RoleName: name }));
        return "allowed";
      } catch (error) {
        return (error as Error).name;
      }
    };
    // A role the customer policies do not already let alice read.
    await iamAsAdmin.send(
      new CreateRoleCommand({
        RoleName: "key-probe",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: ACCOUNT_ID }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    expect(await mayGetRoleWhen("key-probe", { "saml:sub": "alice@petstore.example" })).toBe("allowed");
    expect(await mayGetRoleWhen("key-probe", { "saml:sub_type": "persistent" })).toBe("allowed");
    expect(await mayGetRoleWhen("key-probe", { "saml:namequalifier": NameQualifier! })).toBe("allowed");
    for (const [key, value] of [
      ["saml:iss", BUILTIN_IDP_ENTITY_ID],
      ["saml:aud", "https://signin.aws.amazon.com/saml"],
      ["saml:doc", `${ACCOUNT_ID}/fedsim-idp`],
      ["saml:edupersonaffiliation", "staff"],
    ] as const) {
      expect(await mayGetRoleWhen("key-probe", { [key]: value }), key).toBe("AccessDenied");
    }
  });

  it("refuses bob PetStoreAdmin: the role is not in his assertion", async () => {
    const error = await awsError(() =>
      withSaml(assertion("bob", [PETSTORE_CUSTOMER_ROLE]), PETSTORE_ADMIN_ROLE),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toBe("Not authorized to perform sts:AssumeRoleWithSAML");
  });

  it("refuses managed session policies of another account before looking them up, as AssumeRole does", async () => {
    const arn = "arn:aws:iam::222222222222:policy/Anything";
    const error = await awsError(() =>
      anonymousSts(fedsim.url).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: PETSTORE_CUSTOMER_ROLE,
          PrincipalArn: SAML_PROVIDER,
          SAMLAssertion: assertion("alice", [PETSTORE_CUSTOMER_ROLE]),
          PolicyArns: [{ arn }],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toBe(
      `The policy ${arn} is not in account ${ACCOUNT_ID}: managed session policies must exist in the same account as the role.`,
    );
  });

  it("rejects mallory's assertion signed by a key the provider does not trust", async () => {
    const forged = await generateSigningCertificate({ commonName: "mallory" });
    const error = await awsError(() =>
      withSaml(assertion("mallory", [PETSTORE_ADMIN_ROLE], forged), PETSTORE_ADMIN_ROLE),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("rejects an expired assertion with ExpiredTokenException", async () => {
    const old = assertion("alice", [PETSTORE_ADMIN_ROLE], {
      now: new Date(fedsim.clock.now().getTime() - 3_600_000),
    });
    const error = await awsError(() => withSaml(old, PETSTORE_ADMIN_ROLE));
    expect(error.name).toBe("ExpiredTokenException");
  });

  it("rejects an assertion whose SessionNotOnOrAfter has passed, instead of issuing already-expired credentials", async () => {
    // ExpiredTokenException, STS's code for the assertion's time limits: the assertion is genuine (not an
    // InvalidIdentityToken), but the IdP session it grants is over.
    const ended = assertion("alice", [PETSTORE_ADMIN_ROLE], {
      sessionNotOnOrAfter: new Date(fedsim.clock.now().getTime() - 600_000),
    });
    const error = await awsError(() => withSaml(ended, PETSTORE_ADMIN_ROLE));
    expect(error.name).toBe("ExpiredTokenException");
    expect(error.message).toMatch(/^Response SessionNotOnOrAfter .* has passed/);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("ends the session at SessionNotOnOrAfter when it comes before DurationSeconds", async () => {
    const end = new Date(fedsim.clock.now().getTime() + 600_000);
    const out = await withSaml(
      assertion("alice", [PETSTORE_ADMIN_ROLE], { sessionNotOnOrAfter: end }),
      PETSTORE_ADMIN_ROLE,
    );
    expect(seconds(out.Credentials?.Expiration)).toBe(seconds(end));
  });

  it("ignores the SessionDuration attribute, as AWS's API does: DurationSeconds (default one hour) governs", async () => {
    const out = await withSaml(
      assertion(
        "alice",
        [PETSTORE_ADMIN_ROLE],
        {},
        { "https://aws.amazon.com/SAML/Attributes/SessionDuration": ["900"] },
      ),
      PETSTORE_ADMIN_ROLE,
    );
    expect(seconds(out.Credentials?.Expiration)).toBe(seconds(fedsim.clock.now()) + 3600);
  });

  it("takes fedsim's own /saml as Recipient and reports it as https://signin.aws.amazon.com/saml (SAML:aud)", async () => {
    // PetStoreAdmin's trust policy requires SAML:aud = https://signin.aws.amazon.com/saml; /saml is its twin.
    const out = await withSaml(
      assertion("alice", [PETSTORE_ADMIN_ROLE], { recipient: `${fedsim.url}/saml` }),
      PETSTORE_ADMIN_ROLE,
    );
    expect(out.Audience).toBe("https://signin.aws.amazon.com/saml");
  });

  it("rejects an assertion for another audience", async () => {
    const error = await awsError(() =>
      withSaml(
        assertion("alice", [PETSTORE_ADMIN_ROLE], { audience: "https://example.com/other-sp" }),
        PETSTORE_ADMIN_ROLE,
      ),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
  });

  it("refuses a SAML provider ARN that does not exist", async () => {
    const error = await awsError(() =>
      anonymousSts(fedsim.url).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: PETSTORE_ADMIN_ROLE,
          PrincipalArn: `arn:aws:iam::${ACCOUNT_ID}:saml-provider/nope`,
          SAMLAssertion: assertion("alice", [PETSTORE_ADMIN_ROLE]),
        }),
      ),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
  });

  it("rejects an assertion over 100,000 characters with ValidationError", async () => {
    const error = await awsError(() => withSaml("A".repeat(100_001), PETSTORE_ADMIN_ROLE));
    expect(error.name).toBe("ValidationError");
  });
});
