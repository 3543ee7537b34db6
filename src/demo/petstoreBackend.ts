import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { REQUEST_CONTEXT_HEADER } from "../gateway/identityContext.js";

/** A pet as the backend keeps it. */
export interface Pet {
  id: number;
  name: string;
  type: string;
  price: number;
}

export interface PetstoreBackend {
  /** http://127.0.0.1:PORT, for the gateway's integration. */
  url: string;
  /** Back to the seed pets and no accounts (fedsim reset empties the store, and the demo's data with it). */
  reset(): void;
  close(): Promise<void>;
}

/** The pets a fresh backend offers (those of API Gateway's own PetStore example). */
const SEED_PETS: readonly Omit<Pet, "id">[] = [
  { name: "Rex", type: "dog", price: 249.99 },
  { name: "Tom", type: "cat", price: 124.99 },
  { name: "Nemo", type: "fish", price: 0.99 },
];
const MAX_BODY = 64 * 1024;
const MAX_PETS = 10_000;
const MAX_ACCOUNTS = 10_000;

/**
 * The pet-store demo's backend, in memory: GET /pets, GET /pets/{id}, POST /pets, GET and PUT
 * /accounts/{id}. It trusts the gateway for who the caller is (the x-amzn-request-context header, which the
 * gateway sets and strips from clients) and checks, on top of the gateway's policy, that an account is the
 * caller's own: the seed's fine-grained pattern, where the backend enforces what a policy cannot see.
 */
export async function startPetstoreBackend(): Promise<PetstoreBackend> {
  const pets = new Map<number, Pet>();
  const accounts = new Map<string, Record<string, unknown>>();
  let nextId = 1;
  const reset = () => {
    pets.clear();
    accounts.clear();
    nextId = 1;
    for (const pet of SEED_PETS) {
      pets.set(nextId, { id: nextId, ...pet });
      nextId++;
    }
  };
  reset();

  const server = createServer((req, res) => {
    readJsonBody(req).then(
      (body) => {
        const [status, answer] = handle(req, body);
        reply(res, status, answer);
      },
      (error: Error) => reply(res, 400, { message: error.message }),
    );
  });

  function handle(req: IncomingMessage, body: unknown): [number, unknown] {
    const path = (req.url ?? "/").split("?")[0]!;
    const segments = path.split("/").filter(Boolean).map(safeDecode);
    const method = req.method ?? "GET";
    if (segments[0] === "pets" && segments.length === 1) {
      if (method === "GET") return [200, [...pets.values()]];
      if (method === "POST") {
        const problem = petProblem(body);
        if (problem) return [400, { message: problem }];
        if (pets.size >= MAX_PETS) return [507, { message: "The pet store is full" }];
        const b = body as Omit<Pet, "id">;
        const pet: Pet = { id: nextId++, name: b.name, type: b.type, price: b.price };
        pets.set(pet.id, pet);
        return [200, pet];
      }
      return [405, { message: `${method} is not supported on /pets` }];
    }
    if (segments[0] === "pets" && segments.length === 2 && method === "GET") {
      const id = Number(segments[1]);
      const pet = Number.isInteger(id) ? pets.get(id) : undefined;
      return pet ? [200, pet] : [404, { message: `No pet ${segments[1]}` }];
    }
    if (segments[0] === "accounts" && segments.length === 2 && (method === "GET" || method === "PUT")) {
      const id = segments[1]!;
      const caller = callerAccountId(req);
      if (caller === undefined)
        return [403, { message: "No caller identity: call the pet store through the gateway" }];
      if (caller !== id)
        return [
          403,
          {
            message: `Account ${id} is not yours: you are ${caller}`,
          },
        ];
      if (method === "GET") return [200, { id, ...(accounts.get(id) ?? {}) }];
      if (body === null || typeof body !== "object" || Array.isArray(body))
        return [400, { message: "The body must be a JSON object" }];
      if (!accounts.has(id) && accounts.size >= MAX_ACCOUNTS) return [507, { message: "Too many accounts" }];
      const { id: _ignored, ...fields } = body as Record<string, unknown>;
      accounts.set(id, fields);
      return [200, { id, ...fields }];
    }
    return [404, { message: `No such resource: ${method} ${path}` }];
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reset,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The account id of the caller the gateway vouches for: a Cognito identity's id, else the session's
 * aws:userid (ROLE_ID:SESSION for IAM-role and SAML sessions).
 */
export function callerAccountId(req: IncomingMessage): string | undefined {
  const header = req.headers[REQUEST_CONTEXT_HEADER];
  if (typeof header !== "string") return undefined;
  try {
    const identity = (JSON.parse(header) as { identity?: Record<string, unknown> }).identity;
    const cognito = identity?.cognitoIdentityId;
    if (typeof cognito === "string" && cognito) return cognito;
    const user = identity?.user;
    return typeof user === "string" && user ? user : undefined;
  } catch {
    return undefined;
  }
}

function petProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return "The body must be a JSON object {name, type, price}";
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (key !== "name" && key !== "type" && key !== "price") return `Unknown field ${key}`;
  if (typeof b.name !== "string" || b.name.length < 1 || b.name.length > 100)
    return "name must be a string of 1-100 characters";
  if (typeof b.type !== "string" || !/^[a-z]{1,30}$/.test(b.type))
    return "type must be 1-30 lower-case letters (dog, cat, fish, ...)";
  if (typeof b.price !== "number" || !Number.isFinite(b.price) || b.price < 0 || b.price > 1_000_000)
    return "price must be a number from 0 to 1000000";
  return undefined;
}

function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`The body is larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new Error("The body is not valid JSON"));
      }
    });
    req.on("error", reject);
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
