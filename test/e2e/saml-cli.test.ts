import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AssumeRoleWithSAMLCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { PETSTORE_ADMIN_ROLE, PETSTORE_CUSTOMER_ROLE, REGION, SAML_PROVIDER } from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

const run = promisify(execFile);

/** `fedsim saml assertion` as a user runs it, feeding the real SDK and the AWS CLI. */
describe("fedsim saml assertion with the SDK and the AWS CLI", () => {
  let fedsim: TestFedsim;
  const cli = async (...args: string[]) =>
    (
      await run(process.execPath, [
        "--import",
        "tsx",
        "src/cli/index.ts",
        "saml",
        "assertion",
        "--certs",
        join(fedsim.dir, "certs"),
        ...args,
      ])
    ).stdout.trim();
  const sts = () => anonymousSts(fedsim.url);

  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("gives alice an assertion that assumes PetStoreAdmin", async () => {
    const SAMLAssertion = await cli("--user", "alice");
    const out = await sts().send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: PETSTORE_ADMIN_ROLE,
        PrincipalArn: SAML_PROVIDER,
        SAMLAssertion,
      }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice");
  });

  it("gives bob an assertion that cannot assume PetStoreAdmin", async () => {
    const SAMLAssertion = await cli("--user", "bob");
    const error = await awsError(() =>
      sts().send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: PETSTORE_ADMIN_ROLE,
          PrincipalArn: SAML_PROVIDER,
          SAMLAssertion,
        }),
      ),
    );
    expect(error.name).toBe("AccessDenied");
    const ok = await sts().send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: PETSTORE_CUSTOMER_ROLE,
        PrincipalArn: SAML_PROVIDER,
        SAMLAssertion,
      }),
    );
    expect(ok.AssumedRoleUser?.Arn).toContain("PetStoreCustomer/bob");
  });

  it("takes --role as a role name, as the config lists roles, and puts only that role in the assertion", async () => {
    const SAMLAssertion = await cli("--user", "alice", "--role", "PetStoreAdmin");
    const send = (RoleArn: string) =>
      sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: SAML_PROVIDER, SAMLAssertion }));
    expect((await send(PETSTORE_ADMIN_ROLE)).AssumedRoleUser?.Arn).toBe(
      "arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice",
    );
    const error = await awsError(() => send(PETSTORE_CUSTOMER_ROLE));
    expect(error.name).toBe("AccessDenied");
  });

  it("refuses a role the person may not take, by name, with exit code 1", async () => {
    const failure = await cli("--user", "bob", "--role", "PetStoreAdmin").catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(
      "bob may not assume PetStoreAdmin (allowed: arn:aws:iam::123456789012:role/PetStoreCustomer)",
    );
  });

  it("says in --help that the assertion must be redeemed within 5 minutes whatever --expires-in says", async () => {
    const help = (await cli("--help")).replace(/\s+/g, " ");
    expect(help).toContain("redeemed within 5 minutes of issuance");
    expect(help).toContain("--role <name-or-arn>");
  });

  it("refuses a person who is not configured (mallory) with exit code 1", async () => {
    const failure = await cli("--user", "mallory").catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("No person named mallory");
  });

  it("rejects mallory's self-signed forgery (keys not in the provider's metadata) with InvalidIdentityToken", async () => {
    // Mallory runs the same tool with her own freshly generated keys.
    const forged = (
      await run(process.execPath, [
        "--import",
        "tsx",
        "src/cli/index.ts",
        "saml",
        "assertion",
        "--user",
        "alice",
        "--certs",
        join(fedsim.dir, "mallory-certs"),
      ])
    ).stdout.trim();
    const error = await awsError(() =>
      sts().send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: PETSTORE_ADMIN_ROLE,
          PrincipalArn: SAML_PROVIDER,
          SAMLAssertion: forged,
        }),
      ),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
  });

  it("works with `aws sts assume-role-with-saml`", async () => {
    expect(
      existsSync("/usr/bin/aws"),
      "/usr/bin/aws is missing: install Debian's awscli (scripts/system-deps.sh does)",
    ).toBe(true);
    const assertion = await cli("--user", "alice", "--role", PETSTORE_ADMIN_ROLE);
    const { stdout } = await run(
      "/usr/bin/aws",
      [
        "sts",
        "assume-role-with-saml",
        "--role-arn",
        PETSTORE_ADMIN_ROLE,
        "--principal-arn",
        SAML_PROVIDER,
        "--saml-assertion",
        assertion,
        "--endpoint-url",
        fedsim.url,
        "--output",
        "json",
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: fedsim.dir,
          AWS_DEFAULT_REGION: REGION,
          AWS_ENDPOINT_URL: fedsim.url,
          AWS_PAGER: "",
          AWS_CONFIG_FILE: join(fedsim.dir, "none"),
          AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "none"),
        },
        timeout: 60_000,
      },
    );
    expect(JSON.parse(stdout).AssumedRoleUser.Arn).toBe(
      "arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice",
    );
  });
});
