import { describe, expect, it } from "vitest";
import { buildContext } from "../../../src/core/policy/context.js";
import { type EvalPrincipal, evaluate } from "../../../src/core/policy/evaluate.js";
import { allow, decide, named, USER } from "./helpers.js";

const all = allow({ Action: "*", Resource: "*" });
const denyDelete = {
  Version: "2012-10-17",
  Statement: [{ Sid: "NoDeletes", Effect: "Deny", Action: "s3:Delete*", Resource: "*" }],
};

describe("AWS evaluation logic", () => {
  it("denies implicitly when nothing allows", () => {
    expect(decide(allow({ Action: "ec2:*", Resource: "*" }))).toBe("implicitDeny");
  });

  it("lets an explicit deny beat any allow, and names the statement", () => {
    const result = evaluate({
      principal: USER,
      action: "s3:DeleteObject",
      resource: "arn:aws:s3:::b/k",
      context: buildContext({}),
      identityPolicies: [named(all, "identity", "AllowAll"), named(denyDelete, "identity", "NoDeletes")],
    });
    expect(result.decision).toBe("explicitDeny");
    expect(result.deniedBy).toBe("identity-based");
    expect(result.statements).toMatchObject([
      { sourcePolicyId: "NoDeletes", sourcePolicyType: "IAM Policy", sid: "NoDeletes", effect: "Deny" },
    ]);
  });

  it("returns the allowing statements with their positions", () => {
    const result = evaluate({
      principal: USER,
      action: "s3:GetObject",
      resource: "*",
      context: buildContext({}),
      identityPolicies: [named(all, "identity", "AllowAll")],
    });
    expect(result.statements[0]).toMatchObject({ sourcePolicyId: "AllowAll", index: 0, start: { line: 4 } });
  });

  it("intersects with a permissions boundary", () => {
    const boundary = named(allow({ Action: "s3:*", Resource: "*" }), "boundary", "Boundary");
    expect(decide(all, { action: "s3:GetObject" }, { permissionsBoundary: boundary })).toBe("allowed");
    const outside = evaluate({
      principal: USER,
      action: "iam:CreateUser",
      resource: "*",
      context: buildContext({}),
      identityPolicies: [named(all)],
      permissionsBoundary: boundary,
    });
    expect(outside).toMatchObject({ decision: "implicitDeny", deniedBy: "permissions boundary" });
  });

  it("does not let a boundary grant what identity policies do not", () => {
    const boundary = named(all, "boundary");
    expect(
      decide(
        allow({ Action: "s3:GetObject", Resource: "*" }),
        { action: "s3:PutObject" },
        { permissionsBoundary: boundary },
      ),
    ).toBe("implicitDeny");
  });

  it("intersects with session policies; an empty session list allows nothing", () => {
    const session = [named(allow({ Action: "s3:GetObject", Resource: "*" }), "session")];
    expect(decide(all, { action: "s3:GetObject" }, { sessionPolicies: session })).toBe("allowed");
    const denied = evaluate({
      principal: USER,
      action: "s3:PutObject",
      resource: "*",
      context: buildContext({}),
      identityPolicies: [named(all)],
      sessionPolicies: session,
    });
    expect(denied).toMatchObject({ decision: "implicitDeny", deniedBy: "session" });
    expect(decide(all, {}, { sessionPolicies: [] })).toBe("implicitDeny");
  });

  it("lets an explicit deny in a session policy or boundary win", () => {
    expect(
      decide(all, { action: "s3:DeleteObject" }, { sessionPolicies: [named(denyDelete, "session")] }),
    ).toBe("explicitDeny");
    expect(
      decide(all, { action: "s3:DeleteObject" }, { permissionsBoundary: named(denyDelete, "boundary") }),
    ).toBe("explicitDeny");
  });

  it("lets the root user do anything in its account unless denied", () => {
    const root: EvalPrincipal = {
      kind: "root",
      arn: "arn:aws:iam::111122223333:root",
      accountId: "111122223333",
    };
    expect(
      evaluate({
        principal: root,
        action: "iam:CreateUser",
        resource: "*",
        context: buildContext({}),
        identityPolicies: [],
        rootAllowsAll: true,
      }).decision,
    ).toBe("allowed");
  });
});

describe("resource-based and trust policies", () => {
  const bucket = (principal: unknown) => ({
    ...named(
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: "*" }],
      },
      "resource",
      "BucketPolicy",
    ),
    accountId: "111122223333",
  });
  const run = (principal: unknown, identity: object[] = [], who: EvalPrincipal = USER) =>
    evaluate({
      principal: who,
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/k",
      context: buildContext({}),
      identityPolicies: identity.map((d) => named(d)),
      resourcePolicy: bucket(principal),
    });

  it("grants on its own within the account when it names the principal", () => {
    expect(run({ AWS: USER.arn }).decision).toBe("allowed");
    expect(run("*").decision).toBe("allowed");
  });

  it("delegates to identity policies when it names only the account", () => {
    expect(run({ AWS: "111122223333" }).decision).toBe("implicitDeny");
    expect(
      run({ AWS: "arn:aws:iam::111122223333:root" }, [allow({ Action: "s3:GetObject", Resource: "*" })])
        .decision,
    ).toBe("allowed");
  });

  it("needs both sides across accounts", () => {
    const other: EvalPrincipal = {
      kind: "user",
      arn: "arn:aws:iam::444455556666:user/eve",
      accountId: "444455556666",
    };
    expect(run({ AWS: other.arn }, [], other)).toMatchObject({
      decision: "implicitDeny",
      deniedBy: "identity-based",
    });
    expect(run({ AWS: other.arn }, [allow({ Action: "s3:*", Resource: "*" })], other).decision).toBe(
      "allowed",
    );
    expect(run({ AWS: USER.arn }, [allow({ Action: "s3:*", Resource: "*" })], other)).toMatchObject({
      decision: "implicitDeny",
      deniedBy: "resource-based",
    });
  });

  describe("NotPrincipal, as AWS documents it (a Deny that spares only the principals it names)", () => {
    const ACCOUNT = "111122223333";
    const denyAllBut = (...names: string[]) => ({
      ...named(
        {
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", NotPrincipal: { AWS: names }, Action: "s3:*", Resource: "*" }],
        },
        "resource",
      ),
      accountId: ACCOUNT,
    });
    const session: EvalPrincipal = {
      kind: "assumed-role",
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/s1`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Reader`,
      accountId: ACCOUNT,
    };
    const dave: EvalPrincipal = {
      kind: "user",
      arn: `arn:aws:iam::${ACCOUNT}:user/dave`,
      accountId: ACCOUNT,
    };
    const run = (policy: ReturnType<typeof denyAllBut>, principal: EvalPrincipal, boundary = false) =>
      evaluate({
        principal,
        action: "s3:GetObject",
        resource: "*",
        context: buildContext({}),
        identityPolicies: [named(all)],
        resourcePolicy: policy,
        ...(boundary ? { permissionsBoundary: named(all, "boundary") } : {}),
      }).decision;

    it("spares a user named together with its account, and denies everyone else", () => {
      const policy = denyAllBut(USER.arn, `arn:aws:iam::${ACCOUNT}:root`);
      expect(run(policy, USER)).toBe("allowed");
      expect(run(policy, dave)).toBe("explicitDeny");
    });

    it("denies even the named user when its account is not listed too", () => {
      expect(run(denyAllBut(USER.arn), USER)).toBe("explicitDeny");
    });

    it("spares a role session only when the account, the role and the session are all named", () => {
      const root = `arn:aws:iam::${ACCOUNT}:root`;
      expect(run(denyAllBut(root, session.roleArn!, session.arn), session)).toBe("allowed");
      expect(run(denyAllBut(root, session.arn), session)).toBe("explicitDeny");
      expect(run(denyAllBut(session.roleArn!, session.arn), session)).toBe("explicitDeny");
    });

    it("always denies a principal that has a permissions boundary", () => {
      expect(run(denyAllBut(USER.arn, `arn:aws:iam::${ACCOUNT}:root`), USER, true)).toBe("explicitDeny");
    });

    it("is rejected with Allow and in role trust policies", () => {
      const statement = { NotPrincipal: { AWS: USER.arn }, Action: "sts:AssumeRole" };
      expect(() =>
        named(
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement, Resource: "*" }] },
          "resource",
        ),
      ).toThrow('NotPrincipal must be used with "Effect": "Deny".');
      expect(() =>
        named({ Version: "2012-10-17", Statement: [{ Effect: "Deny", ...statement }] }, "trust"),
      ).toThrow("NotPrincipal is not supported in a role trust policy.");
    });
  });

  const trust = (statement: object) => ({
    ...named(
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }] },
      "trust",
      "trust",
    ),
    accountId: "111122223333",
  });
  const assume = (
    t: ReturnType<typeof trust>,
    who: EvalPrincipal,
    identity: object[] = [],
    action = "sts:AssumeRole",
  ) =>
    evaluate({
      principal: who,
      action,
      resource: "arn:aws:iam::111122223333:role/R",
      context: buildContext({}),
      identityPolicies: identity.map((d) => named(d)),
      resourcePolicy: t,
    }).decision;

  it("a trust policy must allow even when identity policies allow", () => {
    expect(assume(trust({ Principal: { AWS: "arn:aws:iam::111122223333:user/dave" } }), USER, [all])).toBe(
      "implicitDeny",
    );
  });

  it("a trust policy naming the role lets that role's sessions in (role chaining)", () => {
    const session: EvalPrincipal = {
      kind: "assumed-role",
      arn: "arn:aws:sts::111122223333:assumed-role/First/s",
      accountId: "111122223333",
      roleArn: "arn:aws:iam::111122223333:role/First",
    };
    expect(assume(trust({ Principal: { AWS: "arn:aws:iam::111122223333:role/First" } }), session)).toBe(
      "allowed",
    );
    expect(
      assume(trust({ Principal: { AWS: "arn:aws:iam::111122223333:role/Other" } }), session, [all]),
    ).toBe("implicitDeny");
  });

  it("matches Federated principals for SAML and web identity, and nothing else", () => {
    const saml: EvalPrincipal = {
      kind: "saml",
      arn: "arn:aws:iam::111122223333:saml-provider/idp",
      accountId: "111122223333",
      federatedProvider: "arn:aws:iam::111122223333:saml-provider/idp",
    };
    const t = trust({
      Principal: { Federated: "arn:aws:iam::111122223333:saml-provider/idp" },
      Action: "sts:AssumeRoleWithSAML",
    });
    expect(assume(t, saml, [], "sts:AssumeRoleWithSAML")).toBe("allowed");
    expect(
      assume(
        t,
        { ...saml, federatedProvider: "arn:aws:iam::111122223333:saml-provider/evil" },
        [],
        "sts:AssumeRoleWithSAML",
      ),
    ).toBe("implicitDeny");
    expect(
      assume(
        trust({ Principal: { AWS: "111122223333" }, Action: "sts:AssumeRoleWithSAML" }),
        saml,
        [],
        "sts:AssumeRoleWithSAML",
      ),
    ).toBe("implicitDeny");
  });

  it("checks trust policy conditions such as sts:ExternalId", () => {
    const t = trust({
      Principal: { AWS: USER.arn },
      Condition: { StringEquals: { "sts:ExternalId": "abc" } },
    });
    const run2 = (externalId?: string) =>
      evaluate({
        principal: USER,
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::111122223333:role/R",
        context: buildContext(externalId ? { "sts:ExternalId": externalId } : {}),
        identityPolicies: [],
        resourcePolicy: t,
      }).decision;
    expect(run2("abc")).toBe("allowed");
    expect(run2("xyz")).toBe("implicitDeny");
    expect(run2()).toBe("implicitDeny");
  });
});

describe("missing context keys (the simulator's MissingContextValues)", () => {
  const missing = (statements: object[], context = {}) =>
    evaluate({
      principal: USER,
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/carol/1",
      context: buildContext(context),
      identityPolicies: [named({ Version: "2012-10-17", Statement: statements })],
      collectMissingKeys: true,
    }).missingContextKeys;

  it("names a key as the policy writes it, and only once however the statements spell it", () => {
    expect(
      missing([
        { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/${aws:username}/*" },
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: "*",
          Condition: { StringEquals: { "AWS:UserName": "carol", "aws:PrincipalTag/Team": "x" } },
        },
      ]),
    ).toEqual(["aws:username", "aws:PrincipalTag/Team"]);
  });

  it("does not name a key the request has, in any case", () => {
    expect(
      missing(
        [
          {
            Effect: "Allow",
            Action: "s3:*",
            Resource: "arn:aws:s3:::b/${aws:UserName}/*",
            Condition: { StringEquals: { "AWS:USERNAME": "carol" } },
          },
        ],
        { "aws:username": "carol" },
      ),
    ).toEqual([]);
  });
});
