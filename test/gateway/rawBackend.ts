import { createServer as createNetServer, type Server, type Socket } from "node:net";

/** One request as a raw backend read it off the wire. */
export interface RawRequest {
  method: string;
  target: string;
  /** Header pairs in order, names as spelled on the wire. */
  headers: [string, string][];
  body: Buffer;
  socket: Socket;
}

export interface RawBackend {
  url: string;
  port: number;
  requests: RawRequest[];
  /** How each request is answered (default: 200 "ok"); the handler writes raw bytes to req.socket. */
  answer(fn: (req: RawRequest) => void): void;
  /** Resolves with the next request to arrive. */
  next(): Promise<RawRequest>;
  /** Connections open now. */
  open(): number;
  close(): Promise<void>;
}

export const okAnswer = (body = "ok", extra = "") =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

/** The values of a header (case-insensitive) in a raw request. */
export const headerValues = (req: RawRequest, name: string) =>
  req.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

/**
 * A backend that reads requests byte by byte and answers with whatever bytes a test writes, so that answers
 * node:http would never send (1xx before the final answer, trailers, a cut-off body) can be sent. It reads
 * Content-Length framed requests (all the gateway sends: it buffers the body).
 */
export async function startRawBackend(host = "127.0.0.1"): Promise<RawBackend> {
  const requests: RawRequest[] = [];
  const waiting: ((req: RawRequest) => void)[] = [];
  const sockets = new Set<Socket>();
  let handler: (req: RawRequest) => void = (req) => req.socket.write(okAnswer());
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end === -1) return;
        const lines = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const [method = "", target = ""] = lines[0]!.split(" ");
        const headers = lines.slice(1).map((line): [string, string] => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon), line.slice(colon + 1).trim()];
        });
        const length = Number(headers.find(([n]) => n.toLowerCase() === "content-length")?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = Buffer.from(buffer.subarray(end + 4, end + 4 + length));
        buffer = buffer.subarray(end + 4 + length);
        const req: RawRequest = { method, target, headers, body, socket };
        requests.push(req);
        for (const w of waiting.splice(0)) w(req);
        handler(req);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    requests,
    answer(fn) {
      handler = fn;
    },
    next: () => new Promise((resolve) => waiting.push(resolve)),
    open: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
