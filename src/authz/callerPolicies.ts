import type { Caller } from "../auth/caller.js";
import type { Store } from "../store/store.js";

export type PolicySourceType =
  | "IAM Policy"
  | "Resource Policy"
  | "PermissionsBoundaryPolicy"
  | "Session Policy";

/** One policy document and how IAM names it in simulations and denial explanations. */
export interface PolicySource {
  /** Inline policy name, managed policy ARN, or a label for session policies. */
  id: string;
  type: PolicySourceType;
  document: string;
}

export interface PrincipalPolicies {
  identity: PolicySource[];
  boundary?: PolicySource;
  /** Present only for sessions created with session policies; an empty list means "no session policy". */
  session?: PolicySource[];
}

/** Inline and attached managed policies of a user or role (managed ones at their default version). */
export function identityPolicies(store: Store, kind: "user" | "role", ownerId: string): PolicySource[] {
  const out: PolicySource[] = store.policies
    .listInline(kind, ownerId)
    .map((p) => ({ id: p.name, type: "IAM Policy" as const, document: p.document }));
  for (const arn of store.policies.listAttached(kind, ownerId)) {
    const document = managedDocument(store, arn);
    if (document !== undefined) out.push({ id: arn, type: "IAM Policy", document });
  }
  return out;
}

export function managedDocument(store: Store, arn: string): string | undefined {
  const policy = store.policies.getManaged(arn);
  return policy && store.policies.getVersion(arn, policy.defaultVersionId)?.document;
}

/** What a policy that no longer exists contributes to an intersection: nothing is allowed. */
const ALLOWS_NOTHING = '{"Version":"2012-10-17","Statement":[]}';

function boundary(store: Store, arn: string | null): PolicySource | undefined {
  if (!arn) return undefined;
  // A boundary whose policy was deleted allows nothing (the set it intersects with becomes empty).
  return {
    id: arn,
    type: "PermissionsBoundaryPolicy",
    document: managedDocument(store, arn) ?? ALLOWS_NOTHING,
  };
}

/** A session's inline policy text, or a managed session policy by ARN at its current default version. */
function sessionPolicy(store: Store, entry: string, index: number): PolicySource {
  if (entry.startsWith("arn:"))
    return { id: entry, type: "Session Policy", document: managedDocument(store, entry) ?? ALLOWS_NOTHING };
  return { id: `session-policy-${index + 1}`, type: "Session Policy", document: entry };
}

/**
 * Everything that bounds what this caller may do. Root is not limited by identity policies. Read on every
 * signed request: remembered per principal and session until the next IAM write (Store.derived), so the
 * same (frozen) lists come back, and decide() finds their compiled policies by identity.
 */
export function callerPolicies(store: Store, caller: Caller): PrincipalPolicies {
  // What the answer depends on besides IAM rows: the kind, the user or role (their rows are IAM reads,
  // cleared with the rest on a write), and the session's policies (fixed for its access key id).
  const owner = caller.kind === "assumed-role" ? caller.role?.id : caller.user?.id;
  return store.derived(
    `callerPolicies:${caller.kind}:${owner ?? ""}:${caller.session?.accessKeyId ?? ""}`,
    () => readCallerPolicies(store, caller),
  );
}

function readCallerPolicies(store: Store, caller: Caller): PrincipalPolicies {
  const session = caller.session?.sessionPolicies.length
    ? caller.session.sessionPolicies.map((entry, i) => sessionPolicy(store, entry, i))
    : undefined;
  switch (caller.kind) {
    case "user":
      return caller.user
        ? {
            identity: identityPolicies(store, "user", caller.user.id),
            boundary: boundary(store, caller.user.permissionsBoundaryArn),
            session,
          }
        : { identity: [] };
    case "assumed-role":
      return caller.role
        ? {
            identity: identityPolicies(store, "role", caller.role.id),
            boundary: boundary(store, caller.role.permissionsBoundaryArn),
            session,
          }
        : { identity: [], session };
    case "federated-user":
      // GetFederationToken: the user's policies intersected with the session policy (always present).
      return caller.user
        ? {
            identity: identityPolicies(store, "user", caller.user.id),
            boundary: boundary(store, caller.user.permissionsBoundaryArn),
            session: session ?? [],
          }
        : { identity: [], session: session ?? [] };
    case "root":
      return { identity: [], session };
  }
}
