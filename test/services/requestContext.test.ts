import { describe, expect, it } from "vitest";
import type { Caller } from "../../src/auth/caller.js";
import { callerContextKeys } from "../../src/authz/contextKeys.js";
import type { SessionRow } from "../../src/store/sessions.js";

describe("condition keys of a federated session's requests", () => {
  it("adds the provider's keys, and never lets a stored key stand in for one of AWS's own", () => {
    const caller = {
      kind: "assumed-role",
      accountId: "123456789012",
      arn: "arn:aws:sts::123456789012:assumed-role/Reader/alice",
      userId: "AROAEXAMPLE:alice",
      accessKeyId: "ASIAEXAMPLE",
      session: {
        roleArn: "arn:aws:iam::123456789012:role/Reader",
        sessionName: "alice",
        issuedAt: 0,
        tags: [],
        federationKeys: { "SAML:sub": ["alice"], "aws:PrincipalArn": ["arn:aws:iam::123456789012:root"] },
      } as unknown as SessionRow,
    } as Caller;
    const keys = callerContextKeys(caller, {
      requestId: "r",
      door: "aws-api",
      now: new Date(0),
      region: "us-east-1",
      sourceIp: "127.0.0.1",
      secureTransport: false,
    });
    expect(keys["SAML:sub"]).toBe("alice");
    expect(keys["aws:PrincipalArn"]).toBe("arn:aws:iam::123456789012:role/Reader");
  });
});
