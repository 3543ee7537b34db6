import {
  AssumeRoleCommand,
  type Credentials,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asCreds, awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR } from "../helpers/petstore.js";

const role = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
const denialOf = (who: string, action: string, target: string, by: string) =>
  new RegExp(
    `^User: ${who.replace(/[/.]/g, "\\$&")} is not authorized to perform: ${action} on resource: ${role(target).replace(/[/.]/g, "\\$&")} because no ${by} policy allows the ${action} action\\. Encoded authorization failure message: \\S+$`,
  );
const ADMIN_USER = `arn:aws:iam::${ACCOUNT_ID}:user/admin`;
const session = (roleName: string, name: string) =>
  `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/${name}`;

describe("AssumeRole trust conditions, source identity and session tags through the real SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: "test/fixtures/sts-roles.yaml" });
  });
  afterAll(() => fedsim.stop());

  const assume = (
    creds: Parameters<typeof stsClient>[1],
    input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> & { RoleArn: string },
  ) => stsClient(fedsim, creds).send(new AssumeRoleCommand({ RoleSessionName: "s1", ...input }));
  /** Decoding junk reaches the decoder only if the session may call DecodeAuthorizationMessage. */
  const mayDecode = async (c: Credentials | undefined) => {
    const error = await awsError(() =>
      stsClient(fedsim, asCreds(c)).send(
        new DecodeAuthorizationMessageCommand({ EncodedMessage: "x".repeat(60) }),
      ),
    );
    return error.name === "InvalidAuthorizationMessageException";
  };

  describe("SourceIdentity", () => {
    it("sets the source identity a trust policy allows (sts:SetSourceIdentity) and answers it back", async () => {
      const out = await assume(ADMIN, { RoleArn: role("AliceOnly"), SourceIdentity: "alice" });
      expect(out.SourceIdentity).toBe("alice");
      expect(out.AssumedRoleUser?.Arn).toBe(session("AliceOnly", "s1"));
    });

    it("denies a source identity other than the one the trust policy's sts:SourceIdentity condition names", async () => {
      for (const SourceIdentity of ["bob", undefined]) {
        const error = await awsError(() => assume(ADMIN, { RoleArn: role("AliceOnly"), SourceIdentity }));
        expect(error.name).toBe("AccessDenied");
        expect(error.message).toMatch(denialOf(ADMIN_USER, "sts:AssumeRole", "AliceOnly", "resource-based"));
      }
    });

    it("refuses a source identity when the trust policy does not allow sts:SetSourceIdentity", async () => {
      const error = await awsError(() =>
        assume(ADMIN, { RoleArn: role("PlainTrust"), SourceIdentity: "alice" }),
      );
      expect(error.name).toBe("AccessDenied");
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toMatch(
        denialOf(ADMIN_USER, "sts:SetSourceIdentity", "PlainTrust", "resource-based"),
      );
    });

    it("rejects a malformed source identity with ValidationError", async () => {
      const error = await awsError(() =>
        assume(ADMIN, { RoleArn: role("Probes"), SourceIdentity: "aws:alice" }),
      );
      expect(error.name).toBe("ValidationError");
      expect(error.message).toBe(
        "1 validation error detected: Value 'aws:alice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    });

    describe("when chaining roles", () => {
      const firstHop = async (SourceIdentity: string) =>
        asCreds(
          (await assume(ADMIN, { RoleArn: role("Probes"), RoleSessionName: "hop1", SourceIdentity }))
            .Credentials,
        );

      it("carries the source identity into the next session, where trust conditions on sts:SourceIdentity see it", async () => {
        const out = await assume(await firstHop("alice"), {
          RoleArn: role("AliceOnly"),
          RoleSessionName: "hop2",
        });
        expect(out.SourceIdentity).toBe("alice");
        expect(out.AssumedRoleUser?.Arn).toBe(session("AliceOnly", "hop2"));
      });

      it("denies the next hop when the inherited source identity fails the trust policy's condition", async () => {
        const error = await awsError(async () =>
          assume(await firstHop("bob"), { RoleArn: role("AliceOnly") }),
        );
        expect(error.name).toBe("AccessDenied");
        expect(error.message).toMatch(
          denialOf(session("Probes", "hop1"), "sts:AssumeRole", "AliceOnly", "resource-based"),
        );
      });

      it("needs sts:SetSourceIdentity on the next role even when the caller passes nothing", async () => {
        // ChainTarget trusts Probes for sts:AssumeRole and sts:TagSession only: the inherited identity cannot be set.
        const caller = await firstHop("alice");
        const error = await awsError(() => assume(caller, { RoleArn: role("ChainTarget") }));
        expect(error.name).toBe("AccessDenied");
        expect(error.message).toMatch(
          denialOf(session("Probes", "hop1"), "sts:SetSourceIdentity", "ChainTarget", "resource-based"),
        );
        // Without a source identity to carry, the same hop is allowed.
        const plain = await assume(ADMIN, { RoleArn: role("Probes"), RoleSessionName: "hop1" });
        expect(
          (await assume(asCreds(plain.Credentials), { RoleArn: role("ChainTarget") })).AssumedRoleUser?.Arn,
        ).toBe(session("ChainTarget", "s1"));
      });

      it("refuses to change the source identity of a chained session", async () => {
        const error = await awsError(async () =>
          assume(await firstHop("alice"), { RoleArn: role("AliceOnly"), SourceIdentity: "bob" }),
        );
        expect(error.name).toBe("InvalidParameterValue");
        expect(error.message).toBe("The source identity of a chained role session cannot be changed.");
      });
    });
  });

  it("holds the session name to a trust condition on sts:RoleSessionName (here: the caller's user name)", async () => {
    const out = await assume(ADMIN, { RoleArn: role("SessionNamedAfterUser"), RoleSessionName: "admin" });
    expect(out.AssumedRoleUser?.Arn).toBe(session("SessionNamedAfterUser", "admin"));
    const error = await awsError(() =>
      assume(ADMIN, { RoleArn: role("SessionNamedAfterUser"), RoleSessionName: "someone-else" }),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toMatch(
      denialOf(ADMIN_USER, "sts:AssumeRole", "SessionNamedAfterUser", "resource-based"),
    );
  });

  it("holds the caller to a trust condition on aws:PrincipalTag (the IAM user's own tags)", async () => {
    // Both users are named in the trust policy; only the auditor carries team=audit.
    const out = await assume(AUDITOR, { RoleArn: role("AuditTeam") });
    expect(out.AssumedRoleUser?.Arn).toBe(session("AuditTeam", "s1"));
    const error = await awsError(() => assume(ADMIN, { RoleArn: role("AuditTeam") }));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toMatch(denialOf(ADMIN_USER, "sts:AssumeRole", "AuditTeam", "resource-based"));
  });

  it("refuses session tags when the trust policy does not allow sts:TagSession", async () => {
    const error = await awsError(() =>
      assume(ADMIN, { RoleArn: role("PlainTrust"), Tags: [{ Key: "team", Value: "admins" }] }),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toMatch(denialOf(ADMIN_USER, "sts:TagSession", "PlainTrust", "resource-based"));
    // The same call without tags is allowed.
    expect((await assume(ADMIN, { RoleArn: role("PlainTrust") })).AssumedRoleUser?.Arn).toBe(
      session("PlainTrust", "s1"),
    );
  });

  it("makes a transitive session tag an aws:PrincipalTag of the chained session, and a plain one not", async () => {
    const hop1 = async (TransitiveTagKeys: string[]) =>
      asCreds(
        (
          await assume(ADMIN, {
            RoleArn: role("Probes"),
            Tags: [{ Key: "project", Value: "pets" }],
            TransitiveTagKeys,
          })
        ).Credentials,
      );
    // PetsProject allows DecodeAuthorizationMessage only to sessions tagged project=pets.
    const carried = await assume(await hop1(["project"]), { RoleArn: role("PetsProject") });
    expect(await mayDecode(carried.Credentials)).toBe(true);
    const dropped = await assume(await hop1([]), { RoleArn: role("PetsProject") });
    expect(await mayDecode(dropped.Credentials)).toBe(false);
    expect(
      (await stsClient(fedsim, asCreds(carried.Credentials)).send(new GetCallerIdentityCommand({}))).Arn,
    ).toBe(session("PetsProject", "s1"));
  });
});
