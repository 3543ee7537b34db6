import { AwsError } from "../../errors.js";

/**
 * IAM's documented size quotas (IAM User Guide, "IAM and AWS STS quotas"): whitespace does not count.
 * Managed policy documents 6,144 characters; all inline policies of a role 10,240 and of a user 2,048;
 * a role trust policy 2,048 (ACLSizePerRole, AWS's default).
 */
const MANAGED_POLICY = 6144;
const INLINE_TOTAL = { role: 10_240, user: 2048 } as const;
const TRUST_POLICY = 2048;

const size = (document: string) => document.replace(/\s+/g, "").length;

function exceeded(message: string): AwsError {
  return new AwsError("LimitExceeded", message, { status: 409 });
}

export function checkManagedPolicySize(document: string): void {
  if (size(document) > MANAGED_POLICY)
    throw exceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY}`);
}

export function checkTrustPolicySize(document: string): void {
  if (size(document) > TRUST_POLICY)
    throw exceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY}`);
}

/** The sum of an owner's inline policies once `document` replaces (or joins) the one named `name`. */
export function checkInlinePolicySize(
  kind: "user" | "role",
  ownerName: string,
  existing: readonly { name: string; document: string }[],
  name: string,
  document: string,
): void {
  const total = existing
    .filter((p) => p.name !== name)
    .reduce((sum, p) => sum + size(p.document), size(document));
  if (total > INLINE_TOTAL[kind])
    throw exceeded(`Maximum policy size of ${INLINE_TOTAL[kind]} bytes exceeded for ${kind} ${ownerName}`);
}
