import type { AnyQueryOperation, ServiceDeps } from "../operation.js";
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
export function iamOperations(deps: ServiceDeps): Map<string, AnyQueryOperation> {
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
