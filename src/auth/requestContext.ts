import type { IncomingMessage } from "node:http";

/** The front doors a request can come through; decision records name them. */
export type Door = "aws-api" | "saml" | "idp" | "oidc" | "gateway" | "console";

/** Facts about one request that policy conditions, responses and decision records need. */
export interface RequestContext {
  requestId: string;
  door: Door;
  now: Date;
  region: string;
  sourceIp: string;
  secureTransport: boolean;
  userAgent?: string;
}

/**
 * The one builder of request facts, for every front door, so that aws:SourceIp and the rest read the same
 * whether a request came to the AWS API, /saml or the gateway.
 */
export function requestContext(
  req: IncomingMessage,
  facts: { requestId: string; door: Door; now: Date; region: string },
): RequestContext {
  const userAgent = req.headers["user-agent"];
  return {
    requestId: facts.requestId,
    door: facts.door,
    now: facts.now,
    region: facts.region,
    sourceIp: clientAddress(req),
    secureTransport: "encrypted" in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
    userAgent: typeof userAgent === "string" ? userAgent : undefined,
  };
}

/** The client's address as conditions see it: IPv4 clients on a dual-stack socket (::ffff:a.b.c.d) as a.b.c.d. */
export function clientAddress(req: IncomingMessage): string {
  return sourceAddress(req.socket.remoteAddress);
}

/** An address as conditions see it: an IPv4-mapped IPv6 address (::ffff:192.0.2.1) as the IPv4 address. */
export function sourceAddress(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? "127.0.0.1";
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}
