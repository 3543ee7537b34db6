/**
 * Review of issue 9 (failing on purpose until fixed): refusals after the trust policy allowed the call are
 * logged only as "allowed", and IDPRejectedClaim answers 400 where STS's API reference says 403.
 */
import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { builtinToken } from "../helpers/oidc.js";
import { PETSTORE_CUSTOMER_ROLE } from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

describe("AssumeRoleWithWebIdentity refusals the review found", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("logs a DurationSeconds beyond MaxSessionDuration as refused, not only as an allowed trust decision", async () => {
    const token = await builtinToken(fedsim.url, "bob", "bob-password");
    const error = await awsError(() =>
      anonymousSts(fedsim.url).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: PETSTORE_CUSTOMER_ROLE,
          RoleSessionName: "web",
          WebIdentityToken: token,
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(error.name).toBe("ValidationError");
    const records = fedsim.decisions.query({
      limit: 10,
      requestId: (error as unknown as { $metadata: { requestId: string } }).$metadata.requestId,
    });
    expect(records.map((r) => r.decision)).toContain("refused");
  });

  it("answers IDPRejectedClaim with HTTP 403", async () => {
    const error = await awsError(() =>
      anonymousSts(fedsim.url).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: PETSTORE_CUSTOMER_ROLE,
          RoleSessionName: "web",
          WebIdentityToken: "Atza|IQEBLjAsAhRFiXuWpUXuRvQ9PZL3GMFcYevydwIUFAHZwXZXX",
          ProviderId: "www.amazon.com",
        }),
      ),
    );
    expect(error.name).toBe("IDPRejectedClaimException");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});
