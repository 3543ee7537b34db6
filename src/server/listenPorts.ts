import type { Gateway } from "../gateway/gateway.js";
import { listenHttp } from "./http.js";

export interface DedicatedPorts {
  close(): Promise<void>;
}

/**
 * Each API that sets `port` also answers on that loopback port at /{stage}/{path}, as if it were its own
 * execute-api host. A port that cannot be had stops start-up with a sentence naming the API and the port;
 * the ports already opened are closed again.
 */
export async function openDedicatedPorts(
  apis: readonly { id: string; port?: number }[],
  gateway: Gateway,
  host = "127.0.0.1",
): Promise<DedicatedPorts> {
  const opened: Awaited<ReturnType<typeof listenHttp>>[] = [];
  const close = async () => {
    await Promise.all(opened.map((s) => s.close()));
  };
  for (const api of apis) {
    if (api.port === undefined) continue;
    try {
      const server = await listenHttp(api.port, host);
      server.serve(gateway.dedicated(api.id));
      opened.push(server);
    } catch (error) {
      await close();
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        code === "EADDRINUSE"
          ? `API ${api.id}: port ${api.port} on ${host} is already in use; free it or choose another port for this API`
          : `API ${api.id}: cannot listen on ${host}:${api.port} (${code ?? (error as Error).message})`,
      );
    }
  }
  return { close };
}
