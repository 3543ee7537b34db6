import type { AnyQueryOperation, ServiceDeps } from "../operation.js";
import { getCallerIdentity } from "./getCallerIdentity.js";
import { getSessionToken } from "./getSessionToken.js";

export const STS_VERSION = "2011-06-15";

/** STS operations by Action name. */
export function stsOperations(deps: ServiceDeps): Map<string, AnyQueryOperation> {
  const ops: AnyQueryOperation[] = [getCallerIdentity, getSessionToken(deps)];
  return new Map(ops.map((op) => [op.action, op]));
}
