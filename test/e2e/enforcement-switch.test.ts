import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { AUDITOR, REGION } from "../helpers/petstore.js";

/** settings.enforcePolicies: false gives LocalStack-like permissiveness; signatures are still checked. */
describe("with enforcePolicies off", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    const text = readFileSync("data/petstore.yaml", "utf8").replace(
      "enforcePolicies: true",
      "enforcePolicies: false",
    );
    fedsim = await startTestFedsim({
      config: { file: join(process.cwd(), "data/petstore.yaml"), config: parseConfigText(text) },
    });
  });
  afterAll(() => fedsim.stop());

  it("lets a user without iam:CreateRole create a role", async () => {
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: AUDITOR, maxAttempts: 1 });
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "123456789012" }, Action: "sts:AssumeRole" }],
    });
    expect(
      (await iam.send(new CreateRoleCommand({ RoleName: "Permissive", AssumeRolePolicyDocument: trust })))
        .Role?.RoleName,
    ).toBe("Permissive");
  });

  it("still checks signatures", async () => {
    const iam = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: { ...AUDITOR, secretAccessKey: "x".repeat(40) },
      maxAttempts: 1,
    });
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: "Nope", AssumeRolePolicyDocument: "{}" })),
    ).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
  });
});
