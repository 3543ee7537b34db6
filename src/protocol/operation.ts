import type { Caller } from "../auth/caller.js";
import type { RequestContext } from "../auth/requestContext.js";
import type { QueryParams } from "./queryParams.js";
import type { XmlObject } from "./xml.js";

export type { RequestContext } from "../auth/requestContext.js";

export interface SignedContext extends RequestContext {
  caller: Caller;
}

/**
 * An AWS Query operation: its typed input read from the parameters, and a typed result, which the endpoint
 * renders as the <ActionResult> content (undefined: the operation has no output shape).
 */
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

/** Identity helper for JSON 1.1 operations. */
export function jsonOperation<I>(op: JsonOperation<I>): JsonOperation<I> {
  return op;
}
