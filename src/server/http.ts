import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { AwsError } from "../errors.js";
import { renderQueryError } from "../protocol/render.js";

/** Node's default 16 KiB; larger header blocks get an AWS-shaped 431 instead of a bare socket reset. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface HttpServer {
  server: Server;
  /** The port actually listened on (the one asked for, or the one picked for 0). */
  port: number;
  /** Hands requests to the app; until then (the same tick as listening) no request is read. */
  serve(app: RequestListener): void;
  /** Stops accepting, answers in-flight requests with Connection: close, drops idle keep-alive sockets. */
  close(): Promise<void>;
}

/**
 * Listens before any room is built, so the public URL (the port, when 0 was asked for) is known to every
 * room; requests are handed to the app once it is set, which happens in the same tick as the listen callback.
 */
export async function listenHttp(port: number, host: string): Promise<HttpServer> {
  let app: RequestListener | undefined;
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false }, (req, res) => {
    if (app) app(req, res);
    else res.writeHead(503, { "Retry-After": "1", Connection: "close" }).end();
  });
  const shutdown = trackForShutdown(server);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => rejectMalformed(error, socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  let closing: Promise<void> | undefined;
  return {
    server,
    port: typeof address === "object" && address ? address.port : port,
    serve(listener) {
      app = listener;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Stragglers (a client that never finishes its body) get 5 s.
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        shutdown.begin();
      });
      return closing;
    },
  };
}

/**
 * Graceful shutdown for keep-alive clients: server.close() stops new connections but would let an open
 * keep-alive connection go on sending requests. Once shutdown begins, every response not yet started says
 * Connection: close (Node then ends its socket after it), and each finished response closes whatever
 * sockets are idle by then, so the server closes as soon as its in-flight requests are answered.
 */
function trackForShutdown(server: Server): { begin(): void } {
  const pending = new Set<ServerResponse>();
  let closing = false;
  const closeWhenDone = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };
  // One listener function for every response (close is emitted once), not a closure made per request.
  function done(this: ServerResponse) {
    pending.delete(this);
    if (closing) server.closeIdleConnections();
  }
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) closeWhenDone(res);
    pending.add(res);
    res.on("close", done);
  });
  return {
    begin() {
      closing = true;
      for (const res of pending) closeWhenDone(res);
      server.closeIdleConnections();
    },
  };
}

/** Requests Node cannot parse (oversized headers, garbage) still get an AWS-shaped answer. */
function rejectMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const awsError = tooLarge
    ? new AwsError(
        "RequestHeaderFieldsTooLarge",
        `Request headers must be no larger than ${MAX_HEADER_BYTES} bytes`,
        { status },
      )
    : new AwsError("MalformedQueryString", "The request could not be parsed as HTTP", { status });
  const body = renderQueryError("sts", awsError, "00000000-0000-0000-0000-000000000000").body;
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\nContent-Type: text/xml\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
