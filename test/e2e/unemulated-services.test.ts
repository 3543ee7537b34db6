import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

/** Runs Debian's AWS CLI against fedsim; its exit code and output. */
function aws(fedsim: TestFedsim, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn("/usr/bin/aws", [...args, "--endpoint-url", fedsim.url, "--no-cli-pager"], {
    env: {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: join(fedsim.dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "none"),
      AWS_MAX_ATTEMPTS: "1",
    },
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c;
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out })));
}

describe("services fedsim does not emulate answer one clear error naming the service", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  // Each through the AWS CLI, which parses the answer with the service's own model and wire protocol.
  it.each([
    ["s3 (REST-XML, S3's error shape)", ["s3", "ls"], "s3"],
    ["S3 API", ["s3api", "list-buckets"], "s3"],
    ["Lambda (REST-JSON)", ["lambda", "list-functions"], "lambda"],
    ["DynamoDB (JSON 1.0)", ["dynamodb", "list-tables"], "dynamodb"],
    ["EC2 (Query)", ["ec2", "describe-instances"], "ec2"],
    ["SNS (Query)", ["sns", "list-topics"], "sns"],
  ])(
    "%s",
    async (_name, args, service) => {
      const { code, out } = await aws(fedsim, args);
      expect(code).not.toBe(0);
      expect(out).toContain("NotImplemented");
      expect(out).toContain(`fedsim does not emulate the AWS service '${service}'`);
      expect(out).not.toMatch(/MissingAction|MissingAuthenticationToken/);
    },
    30_000,
  );

  it("an unsigned request naming no service (aws s3 ls --no-sign-request) says fedsim cannot tell, not MissingAction", async () => {
    const { code, out } = await aws(fedsim, ["s3", "ls", "--no-sign-request"]);
    expect(code).not.toBe(0);
    expect(out).toContain("NotImplemented");
    expect(out).toContain("fedsim could not tell which AWS service this unsigned request is for");
    expect(out).not.toContain("MissingAction");
  }, 30_000);
});
