/**
 * CORS as API Gateway HTTP APIs configure it: allowed origins, methods and headers ("*" for any), headers a
 * browser may read, credentials and max age. Preflight requests are answered by the gateway without a
 * signature (a browser sends none); proxied answers get the headers, the backend's own CORS headers replaced.
 */
export interface CorsDefinition {
  allowOrigins: readonly string[];
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  allowCredentials: boolean;
  maxAge?: number;
}

export interface CompiledCors {
  anyOrigin: boolean;
  origins: ReadonlySet<string>;
  anyMethod: boolean;
  methods: ReadonlySet<string>;
  methodList: string;
  anyHeader: boolean;
  headers: ReadonlySet<string>;
  headerList: string;
  expose: string;
  credentials: boolean;
  maxAge?: string;
}

export function compileCors(c: CorsDefinition): CompiledCors {
  const methods = c.allowMethods.map((m) => m.toUpperCase());
  const headers = c.allowHeaders.map((h) => h.toLowerCase());
  return {
    anyOrigin: c.allowOrigins.includes("*"),
    origins: new Set(c.allowOrigins),
    anyMethod: methods.includes("*"),
    methods: new Set(methods),
    methodList: methods.join(","),
    anyHeader: headers.includes("*"),
    headers: new Set(headers),
    headerList: headers.join(","),
    expose: c.exposeHeaders.join(","),
    credentials: c.allowCredentials,
    maxAge: c.maxAge === undefined ? undefined : String(c.maxAge),
  };
}

export function isPreflight(method: string, origin: string | undefined, requestMethod: unknown): boolean {
  return method === "OPTIONS" && origin !== undefined && typeof requestMethod === "string";
}

function allowedOrigin(cors: CompiledCors, origin: string): string | undefined {
  if (cors.origins.has(origin)) return origin;
  // With credentials a browser refuses "*": the origin itself is named (config refuses "*" with credentials).
  return cors.anyOrigin ? "*" : undefined;
}

/** The preflight answer's headers, or undefined when the origin, method or a header is not allowed. */
export function preflightHeaders(
  cors: CompiledCors,
  origin: string,
  requestMethod: string,
  requestHeaders: string | undefined,
): [string, string][] | undefined {
  const allowOrigin = allowedOrigin(cors, origin);
  if (allowOrigin === undefined) return undefined;
  const method = requestMethod.trim().toUpperCase();
  if (!cors.anyMethod && !cors.methods.has(method)) return undefined;
  const asked = (requestHeaders ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  if (!cors.anyHeader && asked.some((h) => !cors.headers.has(h))) return undefined;
  const out: [string, string][] = [
    ["Access-Control-Allow-Origin", allowOrigin],
    ["Access-Control-Allow-Methods", cors.anyMethod ? method : cors.methodList],
    ["Vary", "Origin"],
  ];
  const allowHeaders = cors.anyHeader ? asked.join(",") : cors.headerList;
  if (allowHeaders) out.push(["Access-Control-Allow-Headers", allowHeaders]);
  if (cors.credentials) out.push(["Access-Control-Allow-Credentials", "true"]);
  if (cors.maxAge !== undefined) out.push(["Access-Control-Max-Age", cors.maxAge]);
  return out;
}

/** The headers an actual (not preflight) answer carries for an allowed origin. */
export function responseCorsHeaders(
  cors: CompiledCors,
  origin: string | undefined,
): [string, string][] | undefined {
  if (origin === undefined) return undefined;
  const allowOrigin = allowedOrigin(cors, origin);
  if (allowOrigin === undefined) return undefined;
  const out: [string, string][] = [
    ["Access-Control-Allow-Origin", allowOrigin],
    ["Vary", "Origin"],
  ];
  if (cors.credentials) out.push(["Access-Control-Allow-Credentials", "true"]);
  if (cors.expose) out.push(["Access-Control-Expose-Headers", cors.expose]);
  return out;
}
