// Attacks on the decision log and the edges an independent review found (each failed before its fix).
import { GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecisionLog } from "../../src/authz/decisionLog.js";
import { runCli } from "../helpers/cli.js";
import { startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { AUDITOR } from "../helpers/petstore.js";
import { queryError, rawRequest, signedQuery } from "../helpers/signedRequest.js";

describe("review: holes in the decision log and the edges", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const recordsFor = (requestId: string) => fedsim.decisions.query({ requestId, limit: 10 });

  it("an unsigned client cannot store a 250 KB username whole in a decision record", async () => {
    const username = "A".repeat(250_000);
    const res = await fetch(`${fedsim.url}/idp/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password: "x" }).toString(),
    });
    // No configured name is that long: refused before the lockout table or the log keep any of it.
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("A username is at most 128 printable characters.");
    for (const d of fedsim.decisions.query({ limit: 1000 }))
      expect(JSON.stringify(d).length).toBeLessThan(8 * 1024);
  });

  it("a session token with non-ASCII characters answers InvalidClientTokenId, not 500", async () => {
    const out = await stsClient(fedsim, AUDITOR).send(new GetSessionTokenCommand({}));
    const c = out.Credentials!;
    // Presigned: the query string decodes as UTF-8, so each \u00e9 is one character and two bytes.
    const q = new URLSearchParams({
      Action: "GetCallerIdentity",
      Version: "2011-06-15",
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `${c.AccessKeyId}/20260101/us-east-1/sts/aws4_request`,
      "X-Amz-Date": "20260101T000000Z",
      "X-Amz-Expires": "300",
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Signature": "0".repeat(64),
      "X-Amz-Security-Token": "\u00e9".repeat(c.SessionToken!.length),
    });
    const res = await rawRequest(fedsim.url, { method: "GET", path: `/?${q}` });
    expect(res.status).toBe(403);
    expect(queryError(res.body)).toEqual({
      code: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
    });
  });

  it("records a repeated Authorization field (IncompleteSignature) as a SigV4 refusal", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-amz-date": "20260101T000000Z",
        authorization: `AWS4-HMAC-SHA256 Credential=${AUDITOR.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=bogus, Signature=abcd`,
      },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(queryError(res.body).code).toBe("IncompleteSignature");
    expect(recordsFor(String(res.headers["x-amzn-requestid"]))).toHaveLength(1);
  });

  it("records a refusal made after authentication (GetSessionToken credentials calling IAM)", async () => {
    const out = await stsClient(fedsim, AUDITOR).send(new GetSessionTokenCommand({}));
    const c = out.Credentials!;
    const res = await signedQuery(
      fedsim.url,
      { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      "Action=ListUsers&Version=2010-05-08",
      "iam",
    );
    expect(queryError(res.body).code).toBe("InvalidClientTokenId");
    expect(recordsFor(String(res.headers["x-amzn-requestid"]))).toHaveLength(1);
  });

  it("records GetSessionToken, a signed STS call that was allowed", async () => {
    const out = await stsClient(fedsim, AUDITOR).send(new GetSessionTokenCommand({}));
    expect(recordsFor(out.$metadata.requestId!)).toHaveLength(1);
  });

  it("answers a signed S3 PUT / (virtual-hosted CreateBucket) with NotImplemented naming s3, not a 405", async () => {
    const res = await rawRequest(fedsim.url, {
      method: "PUT",
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${AUDITOR.accessKeyId}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00`,
      },
    });
    expect(res.status).toBe(501);
    expect(res.body).toContain("fedsim does not emulate the AWS service &apos;s3&apos;");
  });

  it("keeps a SimulateCustomPolicy answer by the auditor to a few megabytes", async () => {
    const p = new URLSearchParams({ Action: "SimulateCustomPolicy", Version: "2010-05-08" });
    p.set(
      "PolicyInputList.member.1",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      }),
    );
    for (let i = 1; i <= 22; i++) p.set(`ActionNames.member.${i}`, `s3:GetObject${i}`);
    for (let i = 1; i <= 450; i++) p.set(`ResourceArns.member.${i}`, `arn:aws:s3:::${"b".repeat(2000)}${i}`);
    const res = await signedQuery(fedsim.url, AUDITOR, p.toString(), "iam");
    // 22 actions x 450 ARNs of 2 KB would name 20 MB of ARNs: refused as a fedsim limit instead.
    expect(res.status).toBe(400);
    expect(queryError(res.body).code).toBe("InvalidInput");
    expect(queryError(res.body).message).toContain("a fedsim limit, not an AWS one");
    expect(res.body.length).toBeLessThan(5 * 1024 * 1024);
  });

  it("`fedsim decisions` does not pass a client's control characters to the terminal", async () => {
    const username =
      "x\u001b]0;owned\u0007\n2026-01-01T00:00:00.000Z allow sts:AssumeRole by arn:aws:iam::123456789012:root";
    await fetch(`${fedsim.url}/idp/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password: "x" }).toString(),
    });
    const out = await runCli(["decisions", "--limit", "1", "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain("\u001b");
    // Refused at the door: no configured username holds control characters.
    expect(out.stdout).not.toMatch(/^2026-01-01T00:00:00\.000Z allow/m);
  });

  it("a failed batched write does not throw out of the log (a timer flush would crash the server)", () => {
    // Two logs on one database, as two `fedsim start` on one --db file: both number from the same last id.
    const settings = { enabled: true, maxRecords: 100, maxAgeSeconds: 3600 };
    const a = new DecisionLog(fedsim.store.decisions, settings, fedsim.clock.now);
    const b = new DecisionLog(fedsim.store.decisions, settings, fedsim.clock.now);
    const d = {
      time: fedsim.clock.now(),
      requestId: "r",
      door: "aws-api" as const,
      service: "sts",
      principal: "anonymous",
      action: "sts:GetCallerIdentity",
      resource: "*",
      decision: "refused" as const,
      reason: "test",
      statements: [],
    };
    a.record(d);
    b.record(d);
    a.flush();
    expect(() => b.flush()).not.toThrow();
  });
});
