import type { DecisionSink } from "../../authz/decisionRecord.js";
import type { AnyQueryOperation } from "../../protocol/operation.js";
import type { RoomDeps, ServiceDeps } from "../deps.js";
import { accessKeyOperations } from "./accessKeys.js";
import { entityTagOperations } from "./entityTags.js";
import { identityProviderOperations } from "./identityProviders.js";
import { managedPolicyOperations } from "./managedPolicies.js";
import { ownerPolicyOperations } from "./ownerPolicies.js";
import { roleOperations } from "./roles.js";
import { simulateOperations } from "./simulate.js";
import { userOperations } from "./users.js";

export const IAM_VERSION = "2010-05-08";

/** IAM operations by Action name. */
export function iamOperations(shared: ServiceDeps, decisions: DecisionSink): Map<string, AnyQueryOperation> {
  const deps: RoomDeps = { ...shared, decisions };
  const ops: AnyQueryOperation[] = [
    ...roleOperations(deps),
    ...entityTagOperations(deps, "role"),
    ...ownerPolicyOperations(deps, "role"),
    ...userOperations(deps),
    ...entityTagOperations(deps, "user"),
    ...ownerPolicyOperations(deps, "user"),
    ...accessKeyOperations(deps),
    ...managedPolicyOperations(deps),
    ...identityProviderOperations(deps),
    ...simulateOperations(deps),
  ];
  return new Map(ops.map((op) => [op.action, op]));
}
