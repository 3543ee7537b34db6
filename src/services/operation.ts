import type { Caller } from "../auth/caller.js";
import type { FedsimConfig } from "../config/schema.js";
import type { QueryParams } from "../protocol/queryParams.js";
import type { XmlObject } from "../protocol/xml.js";
import type { Store } from "../store/store.js";

/** What every service operation may use: storage, the loaded config and the injectable clock. */
export interface ServiceDeps {
  store: Store;
  config: FedsimConfig;
  clock: () => Date;
  /** fedsim's own base URL (http://host:port), known once listening; e.g. the /saml endpoint accepts assertions sent to it. */
  baseUrl: string;
}

/** Facts about one request that policy conditions and responses need. */
export interface RequestContext {
  requestId: string;
  now: Date;
  region: string;
  sourceIp: string;
  secureTransport: boolean;
  userAgent?: string;
}

export interface SignedContext extends RequestContext {
  caller: Caller;
}

/** An AWS Query operation: reads its typed input from the parameters, returns the <ActionResult> content. */
export type QueryOperation<I = unknown> = {
  action: string;
  input(params: QueryParams): I;
} & (
  | {
      anonymous: true;
      run(ctx: RequestContext, input: I): XmlObject | undefined | Promise<XmlObject | undefined>;
    }
  | {
      anonymous?: false;
      run(ctx: SignedContext, input: I): XmlObject | undefined | Promise<XmlObject | undefined>;
    }
);

/** An AWS JSON 1.1 operation: the JSON body in, a JSON-serialisable object out. */
export type JsonOperation<I = unknown> = {
  target: string;
  input(body: unknown): I;
} & (
  | { anonymous: true; run(ctx: RequestContext, input: I): unknown | Promise<unknown> }
  | { anonymous?: false; run(ctx: SignedContext, input: I): unknown | Promise<unknown> }
);

// biome-ignore lint/suspicious/noExplicitAny: registries hold operations of many input types; each is typed where defined.
export type AnyQueryOperation = QueryOperation<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above.
export type AnyJsonOperation = JsonOperation<any>;

/** Identity helper so each operation file gets its input type inferred. */
export function queryOperation<I>(op: QueryOperation<I>): QueryOperation<I> {
  return op;
}
