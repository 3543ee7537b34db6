import type { AnyQueryOperation, ServiceDeps } from "../operation.js";

export const IAM_VERSION = "2010-05-08";

/** IAM operations by Action name. */
export function iamOperations(_deps: ServiceDeps): Map<string, AnyQueryOperation> {
  const ops: AnyQueryOperation[] = [];
  return new Map(ops.map((op) => [op.action, op]));
}
