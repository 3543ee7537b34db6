import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Credentials, STSClient } from "@aws-sdk/client-sts";
import type { DecisionLog } from "../../src/authz/decisionLog.js";
import { type FedsimServer, type StartOptions, startFedsimInternals } from "../../src/server/start.js";
import type { Store } from "../../src/store/store.js";
import { REGION } from "./petstore.js";

/**
 * A clock tests move by hand, so expiry is shown without sleeping. It starts on a whole second: AWS Query
 * timestamps (Expiration, CreateDate) carry no milliseconds, so times computed from it render exactly.
 */
export class TestClock {
  constructor(private current = Math.floor(Date.now() / 1000) * 1000) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface TestFedsim extends FedsimServer {
  clock: TestClock;
  /** fedsim's own tests may look inside; users of the public API cannot. */
  store: Store;
  decisions: DecisionLog;
  dir: string;
  stop(): Promise<void>;
}

/** Starts fedsim in-process on a free port with its own temporary SQLite file and certs. */
export async function startTestFedsim(
  options: Omit<StartOptions, "clock" | "port"> = {},
): Promise<TestFedsim> {
  const dir = mkdtempSync(join(tmpdir(), "fedsim-test-"));
  const clock = new TestClock();
  const { server, store, decisions } = await startFedsimInternals({
    config: "data/petstore.yaml",
    db: join(dir, "fedsim.sqlite"),
    certsDir: join(dir, "certs"),
    ...options,
    port: 0,
    clock: clock.now,
  });
  return {
    ...server,
    store,
    decisions,
    clock,
    dir,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function stsClient(
  server: { url: string },
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): STSClient {
  return new STSClient({ region: REGION, endpoint: server.url, credentials, maxAttempts: 1 });
}

/** Runs fn expecting it to reject with an AWS SDK error; returns the error for code/message assertions. */
export async function awsError(
  fn: () => Promise<unknown>,
): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The SDK's Credentials of an STS response, as a client's credentials. */
export function asCreds(c: Credentials | undefined): {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
} {
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken!,
  };
}

/** The ValidationError text, showing at most 128 characters of the value as fedsim (and STS) does. */
export function validationMessage(value: string, member: string, constraint: string): string {
  const shown = value.length > 128 ? `${value.slice(0, 128)}...` : value;
  return `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`;
}
