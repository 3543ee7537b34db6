import { CreateRoleCommand, IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../src/authz/decisionRecord.js";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { findPerson, mintAssertion } from "../../src/idp/assertionForPerson.js";
import { runCli } from "../helpers/cli.js";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, ADMIN_ARN, AUDITOR, REGION } from "../helpers/petstore.js";
import { postSamlSignIn } from "../helpers/saml.js";

const GUARDED_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/PartnerAccess`;

/** The x-amzn-RequestId of an SDK call, from its output or its error's $metadata. */
const requestIdOf = (x: { $metadata: { requestId?: string } }) => x.$metadata.requestId!;

describe("the decision log records every decision and refusal, and says why", () => {
  let fedsim: TestFedsim;
  const ids: Record<"allowed" | "denied" | "trust" | "signature", string> = {
    allowed: "",
    denied: "",
    trust: "",
    signature: "",
  };
  let decisions: DecisionRecord[];

  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: "data/petstore.yaml" });
    const iam = (credentials = ADMIN) =>
      new IAMClient({ region: REGION, endpoint: fedsim.url, credentials, maxAttempts: 1 });
    await iam().send(
      new CreateRoleCommand({
        RoleName: "PartnerAccess",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "PartnerWithExternalId",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": "partner-7" } },
            },
          ],
        }),
      }),
    );
    ids.allowed = requestIdOf(await iam().send(new ListRolesCommand({})));
    ids.denied = requestIdOf(
      (await awsError(() =>
        iam(AUDITOR).send(
          new CreateRoleCommand({
            RoleName: "x",
            AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
          }),
        ),
      )) as never,
    );
    ids.trust = requestIdOf(
      (await awsError(() =>
        stsClient(fedsim, ADMIN).send(
          new AssumeRoleCommand({ RoleArn: GUARDED_ROLE, RoleSessionName: "partner", ExternalId: "wrong" }),
        ),
      )) as never,
    );
    ids.signature = requestIdOf(
      (await awsError(() =>
        stsClient(fedsim, { ...ADMIN, secretAccessKey: "not-the-secret-not-the-secret-not-the-sec" }).send(
          new AssumeRoleCommand({ RoleArn: GUARDED_ROLE, RoleSessionName: "partner" }),
        ),
      )) as never,
    );
    // A SAML sign-in at /saml with an assertion the built-in IdP never signed.
    const rogue = await generateSigningCertificate({
      commonName: "rogue",
      now: fedsim.clock.now(),
      validDays: 1,
    });
    const forged = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "bob"),
      keys: rogue,
      now: fedsim.clock.now(),
    });
    expect((await postSamlSignIn(fedsim.url, forged)).status).toBe(400);
    const res = await fetch(`${fedsim.url}/_fedsim/decisions?limit=50`);
    expect(res.status).toBe(200);
    decisions = ((await res.json()) as { decisions: DecisionRecord[] }).decisions;
  });
  afterAll(() => fedsim.stop());

  const one = (requestId: string) => {
    const found = decisions.filter((d) => d.requestId === requestId);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it("records an allowed call with the statement that allowed it", () => {
    const d = one(ids.allowed);
    expect(d).toMatchObject({
      door: "aws-api",
      service: "iam",
      principal: ADMIN_ARN,
      action: "iam:ListRoles",
      decision: "allow",
      statements: [{ policy: "arn:aws:iam::aws:policy/AdministratorAccess", index: 0, effect: "Allow" }],
    });
    expect(Date.parse(d.time)).toBe(fedsim.clock.now().getTime());
  });

  it("records a denied call with AWS's reason", () => {
    const d = one(ids.denied);
    expect(d.decision).toBe("implicit-deny");
    expect(d.principal).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/auditor`);
    expect(d.reason).toContain("because no identity-based policy allows the iam:CreateRole action");
    expect(d.trace?.map((p) => p.policy)).toEqual(["arn:aws:iam::aws:policy/IAMReadOnlyAccess"]);
  });

  it("records a refused AssumeRole with the trust condition that failed, its key and both values", () => {
    const d = one(ids.trust);
    expect(d).toMatchObject({ action: "sts:AssumeRole", resource: GUARDED_ROLE, decision: "implicit-deny" });
    expect(d.context["sts:ExternalId"]).toBe("wrong");
    expect(d.reason).toContain(
      'statement PartnerWithExternalId: condition StringEquals sts:ExternalId "partner-7" does not hold, the request has "wrong"',
    );
    const trust = d.trace!.find((p) => p.policy === `${GUARDED_ROLE} (trust policy)`)!;
    expect(trust.statements[0]).toMatchObject({
      sid: "PartnerWithExternalId",
      outcome: "condition",
      failedCondition: {
        operator: "StringEquals",
        key: "sts:ExternalId",
        values: ["partner-7"],
        actual: ["wrong"],
      },
    });
  });

  it("records a signature failure as a refusal, naming the key", () => {
    const d = one(ids.signature);
    expect(d).toMatchObject({ decision: "refused", principal: "anonymous", action: "sts:AssumeRole" });
    expect(d.reason).toMatch(/^SignatureDoesNotMatch: The request signature we calculated does not match/);
    expect(d.context).toEqual({ accessKeyId: ADMIN.accessKeyId });
  });

  it("records a refused SAML sign-in with the precise reason", () => {
    const d = decisions.find((r) => r.door === "saml")!;
    expect(d).toMatchObject({ decision: "refused", action: "sts:AssumeRoleWithSAML", service: "sts" });
    expect(d.reason).toBe(
      "InvalidIdentityToken: Response signature invalid: the Assertion is signed by a certificate that is not in the provider's metadata",
    );
  });

  it("answers newest first, and filters by denied, principal, since and limit", async () => {
    const seqs = decisions.map((d) => Number(d.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const get = async (q: string) =>
      (
        (await (await fetch(`${fedsim.url}/_fedsim/decisions?${q}`)).json()) as {
          decisions: DecisionRecord[];
        }
      ).decisions;
    expect((await get("denied=true")).every((d) => d.decision !== "allow")).toBe(true);
    expect((await get("denied=true")).length).toBe(4);
    expect(
      (await get(`principal=${encodeURIComponent(ADMIN_ARN)}`)).every((d) => d.principal === ADMIN_ARN),
    ).toBe(true);
    expect(await get("limit=1")).toHaveLength(1);
    expect(await get(`since=${fedsim.clock.now().getTime() + 1}`)).toEqual([]);
    expect((await get(`since=${fedsim.clock.now().toISOString()}`)).length).toBe(decisions.length);
  });

  it("refuses a malformed filter with a 400 that says which", async () => {
    for (const [q, message] of [
      ["limit=0", "limit must be a whole number from 1 to 1000"],
      ["limit=1001", "limit must be a whole number from 1 to 1000"],
      ["since=yesterday", "since must be an ISO 8601 time or epoch milliseconds"],
      ["denied=yes", "denied must be true or false"],
      ["toString=1", "Unknown filter 'toString': use denied, principal, requestId, since, limit or follow"],
      ["limit=1&limit=2", "Each filter may be given once"],
    ] as const) {
      const res = await fetch(`${fedsim.url}/_fedsim/decisions?${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toEqual({ __type: "ValidationException", message });
    }
  });

  it("streams new decisions as Server-Sent Events with follow=true", async () => {
    const controller = new AbortController();
    const res = await fetch(
      `${fedsim.url}/_fedsim/decisions?follow=true&principal=${encodeURIComponent(ADMIN_ARN)}&since=${fedsim.clock.now().getTime() + 1000}`,
      {
        signal: controller.signal,
      },
    );
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    fedsim.clock.advance(2000);
    const call = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: ADMIN,
      maxAttempts: 1,
    }).send(new ListRolesCommand({}));
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    const requestId = requestIdOf(await call);
    controller.abort();
    const record = JSON.parse(/data: (.*)\n/.exec(text)![1]!) as DecisionRecord;
    expect(record).toMatchObject({ requestId, action: "iam:ListRoles", decision: "allow" });
  });

  it("`fedsim decisions --json` prints the same records", async () => {
    const out = await runCli(["decisions", "--json", "--denied", "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    const printed = (JSON.parse(out.stdout) as { decisions: DecisionRecord[] }).decisions;
    expect(printed.map((d) => d.requestId)).toEqual(
      expect.arrayContaining([ids.denied, ids.trust, ids.signature]),
    );
    expect(printed.find((d) => d.requestId === ids.trust)!.context["sts:ExternalId"]).toBe("wrong");
    expect(printed.find((d) => d.door === "saml")!.reason).toBe(
      "InvalidIdentityToken: Response signature invalid: the Assertion is signed by a certificate that is not in the provider's metadata",
    );
  });

  it("`fedsim decisions` prints one readable entry per decision", async () => {
    const out = await runCli(["decisions", "--denied", "--limit", "2"], {
      env: { AWS_ENDPOINT_URL: fedsim.url },
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /refused +sts:AssumeRoleWithSAML by anonymous\n {4}InvalidIdentityToken: Response signature invalid/,
    );
  });

  it("`fedsim explain` prints every policy considered and the condition key and value that failed", async () => {
    const out = await runCli(["explain", ids.trust, "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`sts:AssumeRole on ${GUARDED_ROLE} by ${ADMIN_ARN}`);
    expect(out.stdout).toContain("decision: implicit-deny");
    expect(out.stdout).toContain(`Resource Policy: ${GUARDED_ROLE} (trust policy)`);
    expect(out.stdout).toContain(
      'no match   Allow PartnerWithExternalId: condition StringEquals sts:ExternalId "partner-7" does not hold (the request has "wrong")',
    );
    expect(out.stdout).toContain("IAM Policy: arn:aws:iam::aws:policy/AdministratorAccess");
    expect(out.stdout).toContain('sts:ExternalId = "wrong"');
  });

  it("`fedsim explain` prints a SAML refusal's precise reason", async () => {
    const saml = decisions.find((r) => r.door === "saml")!;
    const out = await runCli(["explain", saml.requestId, "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain("decision: refused");
    expect(out.stdout).toContain(
      "reason:   InvalidIdentityToken: Response signature invalid: the Assertion is signed by a certificate that is not in the provider's metadata",
    );
    expect(out.stdout).toContain("refused before any policy was evaluated");
  });

  it("`fedsim explain` exits 1 for a request it has no record of, and says so", async () => {
    const out = await runCli(["explain", "00000000-0000-0000-0000-000000000000", "--endpoint", fedsim.url]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("no decision recorded for request 00000000-0000-0000-0000-000000000000");
  });

  it("client commands exit 1 with a clear line when no fedsim answers", async () => {
    const out = await runCli(["decisions", "--endpoint", "http://127.0.0.1:9"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^fedsim: cannot reach fedsim at http:\/\/127\.0\.0\.1:9( \(\w+\))?: is it running \(fedsim start\)\?/,
    );
  });
});
