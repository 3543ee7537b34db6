import type { PolicyOwnerKind } from "../../store/policies.js";
import type { Store } from "../../store/store.js";
import { code, policyDetails } from "../layout.js";

/** A managed policy's default version, as IAM evaluates it; undefined if the ARN names nothing stored. */
export function managedDocument(store: Store, arn: string): string | undefined {
  const policy = store.policies.getManaged(arn);
  if (!policy) return undefined;
  return store.policies.getVersion(arn, policy.defaultVersionId)?.document;
}

/** A user's or role's attached and inline policies, each document behind its own disclosure. */
export function ownedPolicies(store: Store, kind: PolicyOwnerKind, ownerId: string): string {
  const attached = store.policies.listAttached(kind, ownerId).map((arn) => {
    const document = managedDocument(store, arn);
    return `<li>${document === undefined ? `${code(arn)} <span class="muted">(not stored)</span>` : policyDetails(arn, document)}</li>`;
  });
  const inline = store.policies
    .listInline(kind, ownerId)
    .map((p) => `<li>${policyDetails(p.name, p.document)}</li>`);
  return `<h4>Attached policies</h4>${attached.length ? `<ul>${attached.join("")}</ul>` : `<p class="muted">None.</p>`}
<h4>Inline policies</h4>${inline.length ? `<ul>${inline.join("")}</ul>` : `<p class="muted">None.</p>`}`;
}

export function anchor(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^\w.@+=,-]/g, "_")}`;
}
