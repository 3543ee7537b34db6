import type { ApiConfig } from "../config/apis.js";
import { startPetstoreBackend } from "../demo/petstoreBackend.js";
import type { ApiDefinition } from "./apis.js";
import { loadModuleHandler } from "./moduleIntegration.js";

/** The config's APIs with every built-in backend started and named by its URL, and how to stop them. */
export interface ResolvedApis {
  apis: ApiDefinition[];
  /** The built-in backends' data back to its seed (fedsim reset). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the built-in backends the config asks for (`backend: { type: petstore }`), each on a free loopback
 * port, one per API, so that the gateway sees only HTTP integrations. Started before the gateway is built:
 * its keep-alive pools need the URLs.
 */
export async function startDemoBackends(
  apis: readonly ApiConfig[],
  /** Module integrations' files are relative to it. */
  configFile = "config",
): Promise<ResolvedApis> {
  const closers: (() => Promise<void>)[] = [];
  const resets: (() => void)[] = [];
  const close = async () => {
    await Promise.all(closers.map((c) => c()));
  };
  try {
    const resolved: ApiDefinition[] = [];
    for (const [i, api] of apis.entries()) {
      if (api.backend.type === "http") {
        resolved.push({ ...api, backend: api.backend });
        continue;
      }
      if (api.backend.type === "module") {
        const where = `${configFile}: apis[${i}].backend`;
        const invoke = await loadModuleHandler(configFile, api.backend.file, api.backend.handler, where);
        resolved.push({ ...api, backend: { ...api.backend, invoke } });
        continue;
      }
      const backend = await startPetstoreBackend();
      closers.push(backend.close);
      resets.push(backend.reset);
      resolved.push({
        ...api,
        backend: { type: "http", url: backend.url, timeoutMs: api.backend.timeoutMs },
      });
    }
    const reset = () => {
      for (const r of resets) r();
    };
    return { apis: resolved, reset, close };
  } catch (error) {
    await close();
    throw error;
  }
}
