import type { DecisionSink } from "../../authz/decisionRecord.js";
import type { AnyQueryOperation } from "../../protocol/operation.js";
import type { RoomDeps, ServiceDeps } from "../deps.js";
import { assumeRole } from "./assumeRole.js";
import { assumeRoleWithSaml } from "./assumeRoleWithSaml.js";
import { assumeRoleWithWebIdentity } from "./assumeRoleWithWebIdentity.js";
import { decodeAuthorizationMessage } from "./decodeAuthorizationMessage.js";
import { getAccessKeyInfo } from "./getAccessKeyInfo.js";
import { getCallerIdentity } from "./getCallerIdentity.js";
import { getFederationToken } from "./getFederationToken.js";
import { getSessionToken } from "./getSessionToken.js";
import { type WebIdentityKeySource, webIdentityKeys } from "./webIdentityKeys.js";

export const STS_VERSION = "2011-06-15";

/** STS operations by Action name. */
export function stsOperations(
  shared: ServiceDeps,
  decisions: DecisionSink,
  /** Web identity issuers' keys (the built-in issuer's, config-given ones); default: fetched over HTTP only. */
  keys: WebIdentityKeySource = webIdentityKeys({ clock: shared.clock }),
): Map<string, AnyQueryOperation> {
  const deps: RoomDeps = { ...shared, decisions };
  const ops: AnyQueryOperation[] = [
    getCallerIdentity(deps),
    getSessionToken(deps),
    assumeRole(deps),
    assumeRoleWithSaml(deps),
    assumeRoleWithWebIdentity(deps, keys),
    getFederationToken(deps),
    getAccessKeyInfo(deps),
    decodeAuthorizationMessage(deps),
  ];
  return new Map(ops.map((op) => [op.action, op]));
}
