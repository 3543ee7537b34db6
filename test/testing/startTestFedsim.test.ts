import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startTestFedsim, type TestFedsim } from "../../src/testing/index.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

/** The pet-store demo with one more person, Carol: only a start on this config knows her. */
function withCarol(): Record<string, unknown> {
  const config = parse(readFileSync("data/petstore.yaml", "utf8")) as {
    identityProvider: { people: unknown[] };
  };
  config.identityProvider.people.push({
    username: "carol",
    password: "carol-password",
    roles: ["PetStoreCustomer"],
  });
  return config;
}

const iam = (fedsim: TestFedsim) =>
  new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });

async function using<T>(fedsim: TestFedsim, run: (f: TestFedsim) => Promise<T>): Promise<T> {
  try {
    return await run(fedsim);
  } finally {
    await fedsim.close();
  }
}

describe("startTestFedsim's documented options", () => {
  it("starts on a free port from a config object, and from a config file", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "fedsim-kit-")), "carol.yaml");
    writeFileSync(file, stringify(withCarol()));
    for (const config of [withCarol(), file]) {
      await using(await startTestFedsim({ config }), async (fedsim) => {
        expect(fedsim.port).toBeGreaterThan(0);
        expect(fedsim.url).toBe(`http://127.0.0.1:${fedsim.port}`);
        const carol = await fedsim.credentialsFor("carol");
        expect(carol.arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/carol");
      });
    }
  });

  it("keeps nothing of one start's store in the next (in memory), but the same keys (one keys folder)", async () => {
    const keysDir = await mkdtemp(join(tmpdir(), "fedsim-kit-keys-"));
    const first = await using(await startTestFedsim({ keysDir }), async (fedsim) => {
      await iam(fedsim).send(new CreateUserCommand({ UserName: "left-behind" }));
      return (await fetch(`${fedsim.url}/oidc/jwks`)).json();
    });
    await using(await startTestFedsim({ keysDir }), async (fedsim) => {
      await expect(iam(fedsim).send(new GetUserCommand({ UserName: "left-behind" }))).rejects.toMatchObject({
        name: "NoSuchEntityException",
      });
      expect(await (await fetch(`${fedsim.url}/oidc/jwks`)).json()).toEqual(first);
    });
  });
});
