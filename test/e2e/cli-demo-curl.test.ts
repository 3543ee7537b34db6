import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { runCli } from "../helpers/cli.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

const STEPS = [
  /^1 +Alice \(admin\) +POST \/pets +200 +200 OK +Allow PetStoreWritePets#AddPets +ok$/m,
  /^2 +Bob \(customer\) +GET \/pets +200 +200 OK +Allow PetStoreReadPets#ReadPets +ok$/m,
  /^3 +Bob \(customer\) +POST \/pets +403 .+ 403 User: .+implicit-deny: no identity-based policy allows .+ok$/m,
  /^4 +Bob \(customer\) +GET \/accounts\/AROA.+ 403 .+implicit-deny: .+ok$/m,
  /^5 +Bob \(customer\) +PUT \/accounts\/AROA.+ 403 .+implicit-deny: .+ok$/m,
  /^6 +Alice \(admin\) +GET \/accounts\/AROA.+ 200 OK +Allow PetStoreOwnAccount#OwnAccountBySession +ok$/m,
  /^7 +Alice \(admin\) +PUT \/accounts\/AROA.+ 200 OK +Allow PetStoreOwnAccount#OwnAccountBySession +ok$/m,
  /^8 +Mallory \(unsigned\) +POST \/pets +403 Missing Authentication Token +403 Missing Authentication Token +The route's authorization is AWS_IAM and the request is not signed +ok$/m,
  /^9 +Mallory \(forged key\) +POST \/pets .+ 403 The security token included in the req\.\.\. +InvalidClientTokenId: .+ok$/m,
  /^10 +Mallory \(tampered\) +POST \/pets \(body changed\) .+ 403 The request signature we calculated do\.\.\. +SignatureDoesNotMatch: .+ok$/m,
];

describe("fedsim demo", () => {
  let fedsim: TestFedsim;
  let home: string;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    home = mkdtempSync(join(tmpdir(), "fedsim-demo-home-"));
  });
  afterAll(async () => {
    await fedsim.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("runs the pet-store story against a running fedsim, every step as expected, and exits 0", async () => {
    const out = await runCli(["demo", "--endpoint", fedsim.url]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    for (const step of STEPS) expect(out.stdout).toMatch(step);
    expect(out.stdout).not.toMatch(/MISMATCH/);
    expect(out.stdout).toMatch(/Every step answered as expected\.\n$/);
  });

  it("starts a temporary in-memory fedsim of its own without --endpoint", async () => {
    const out = await runCli(["demo"], { env: { FEDSIM_HOME: home, AWS_ENDPOINT_URL: undefined } });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^A temporary fedsim at http:\/\/127\.0\.0\.1:\d+ \(in-memory database\)\n/);
    for (const step of STEPS) expect(out.stdout).toMatch(step);
  });

  it("exits 1 and marks the mismatch when fedsim's policies differ from the story", async () => {
    // Customers allowed to add pets: Bob's POST, which the story expects refused, succeeds.
    const file = resolve("data/petstore.yaml");
    const text = readFileSync(file, "utf8").replace(
      "          - arn:aws:iam::123456789012:policy/PetStoreReadPets\n          - arn:aws:iam::123456789012:policy/PetStoreOwnAccount\n        tags: { app: petstore, tier: customer }",
      "          - arn:aws:iam::123456789012:policy/PetStoreReadPets\n          - arn:aws:iam::123456789012:policy/PetStoreWritePets\n          - arn:aws:iam::123456789012:policy/PetStoreOwnAccount\n        tags: { app: petstore, tier: customer }",
    );
    expect(text).not.toBe(readFileSync(file, "utf8"));
    const lenient = await startTestFedsim({ config: { file, config: parseConfigText(text, file) } });
    try {
      const out = await runCli(["demo", "--endpoint", lenient.url]);
      expect(out.code).toBe(1);
      expect(out.stdout).toMatch(
        /^3 +Bob \(customer\) +POST \/pets +403 .+ 200 OK +Allow PetStoreWritePets#AddPets +MISMATCH$/m,
      );
      expect(out.stdout).toMatch(/Some steps did not answer as expected\.\n$/);
    } finally {
      await lenient.stop();
    }
  });

  it("shows an example in --help", async () => {
    const out = await runCli(["demo", "--help"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/fedsim demo --endpoint http:\/\/127\.0\.0\.1:4566/);
  });
});

describe("fedsim curl", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());
  const pets = () => `${fedsim.url}/restapis/petstore/prod/_user_request_/pets`;

  it("signs Bob in, lists pets, prints the answer and the allowing statement, and exits 0", async () => {
    const out = await runCli(["curl", "--as", "bob", pets()], { env: { FEDSIM_PASSWORD: "bob-password" } });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^HTTP 200\n/);
    expect(out.stdout).toMatch(/^x-amzn-requestid: [0-9a-f-]{36}$/m);
    expect(out.stdout).toContain('{"id":1,"name":"Rex","type":"dog","price":249.99}');
    expect(out.stdout).toMatch(
      /decision: allow for arn:aws:sts::123456789012:assumed-role\/PetStoreCustomer\/bob\n/,
    );
    expect(out.stdout).toContain("statement: Allow PetStoreReadPets#ReadPets");
  });

  it("prints Bob's refused POST with the gateway's message and the reason, and exits 1", async () => {
    const out = await runCli(
      ["curl", "-X", "POST", "-d", '{"name":"Rex","type":"dog","price":1}', "--as", "bob", pets()],
      { env: { FEDSIM_PASSWORD: "bob-password" } },
    );
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^HTTP 403\n/);
    expect(out.stdout).toMatch(/^x-amzn-errortype: AccessDeniedException$/m);
    expect(out.stdout).toContain(
      '{"Message":"User: arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bob is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:petstore/prod/POST/pets"}',
    );
    expect(out.stdout).toContain("decision: implicit-deny");
    expect(out.stdout).toContain(
      "statement: implicit-deny: no identity-based policy allows the execute-api:Invoke action",
    );
  });

  it("signs with the AWS_* environment without --as, and on {apiId}.execute-api.localhost", async () => {
    const login = await runCli(
      ["login", "alice", "--role", "PetStoreAdmin", "--format", "json", "--endpoint", fedsim.url],
      { env: { FEDSIM_PASSWORD: "alice-password" } },
    );
    const c = JSON.parse(login.stdout) as Record<string, string>;
    const out = await runCli(
      [
        "curl",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        '{"name":"Kit","type":"cat","price":5}',
        `http://petstore.execute-api.localhost:${fedsim.port}/prod/pets`,
      ],
      {
        env: {
          AWS_ACCESS_KEY_ID: c.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
          AWS_SESSION_TOKEN: c.SessionToken,
          AWS_ENDPOINT_URL: undefined,
        },
      },
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/"name":"Kit","type":"cat","price":5\}/);
    expect(out.stdout).toContain("statement: Allow PetStoreWritePets#AddPets");
  });

  it("exits 2 without credentials, saying how to give them", async () => {
    const out = await runCli(["curl", pets()], {
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^fedsim: no credentials: pass --as PERSON, or set AWS_ACCESS_KEY_ID/);
  });
});
