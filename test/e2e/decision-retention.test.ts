import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfigFile } from "../../src/config/load.js";
import { startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN } from "../helpers/petstore.js";

function withRetention(decisionLog: { enabled?: boolean; maxRecords?: number; maxAgeSeconds?: number }) {
  const loaded = loadConfigFile("data/petstore.yaml");
  const settings = loaded.config.settings;
  return {
    ...loaded,
    config: {
      ...loaded.config,
      settings: { ...settings, decisionLog: { ...settings.decisionLog, ...decisionLog } },
    },
  };
}

describe("decision log retention", () => {
  let fedsim: TestFedsim | undefined;
  afterEach(() => fedsim?.stop());
  const call = () => stsClient(fedsim!, ADMIN).send(new GetCallerIdentityCommand({}));

  it("keeps at most maxRecords, dropping the oldest", async () => {
    fedsim = await startTestFedsim({ config: withRetention({ maxRecords: 5 }) });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await call()).$metadata.requestId!);
    const kept = fedsim.decisions.query({ limit: 100 });
    expect(kept.map((d) => d.requestId)).toEqual(ids.slice(3).reverse());
  });

  it("drops records older than maxAgeSeconds", async () => {
    fedsim = await startTestFedsim({ config: withRetention({ maxAgeSeconds: 60 }) });
    const old = (await call()).$metadata.requestId!;
    fedsim.decisions.flush();
    fedsim.clock.advance(61_000);
    const fresh = (await call()).$metadata.requestId!;
    expect(fedsim.decisions.query({ limit: 100 }).map((d) => d.requestId)).toEqual([fresh]);
    expect(old).not.toBe(fresh);
  });

  it("records nothing when disabled", async () => {
    fedsim = await startTestFedsim({ config: withRetention({ enabled: false }) });
    await call();
    expect(fedsim.decisions.query({ limit: 100 })).toEqual([]);
  });
});
