import type { AnyQueryOperation, ServiceDeps } from "../operation.js";
import { assumeRole } from "./assumeRole.js";
import { assumeRoleWithSaml } from "./assumeRoleWithSaml.js";
import { decodeAuthorizationMessage } from "./decodeAuthorizationMessage.js";
import { getAccessKeyInfo } from "./getAccessKeyInfo.js";
import { getCallerIdentity } from "./getCallerIdentity.js";
import { getFederationToken } from "./getFederationToken.js";
import { getSessionToken } from "./getSessionToken.js";

export const STS_VERSION = "2011-06-15";

/** STS operations by Action name. */
export function stsOperations(deps: ServiceDeps): Map<string, AnyQueryOperation> {
  const ops: AnyQueryOperation[] = [
    getCallerIdentity,
    getSessionToken(deps),
    assumeRole(deps),
    assumeRoleWithSaml(deps),
    getFederationToken(deps),
    getAccessKeyInfo(deps),
    decodeAuthorizationMessage(deps),
  ];
  return new Map(ops.map((op) => [op.action, op]));
}
