import { managedDocument } from "../../authz/callerPolicies.js";
import { compilePolicy } from "../../authz/policyCache.js";
import { parseArn } from "../../core/arn.js";
import { AwsError } from "../../errors.js";
import type { RoomDeps } from "../deps.js";

export interface SessionPolicyInput {
  inline?: string;
  arns: string[];
}

/** The session policies of a request, checked: what the session stores and AWS packs. */
export interface SessionPolicies extends SessionPolicyInput {
  /**
   * What the session keeps: the inline policy's text and the PolicyArns themselves. Managed session policies
   * are kept by ARN, as AWS packs them, so the session follows the policy's default version when it changes.
   */
  stored: string[];
}

/**
 * Compiles the inline policy and looks up each managed policy. A policy of another account than the owner's
 * (the role, or the federating user) is refused before it is looked up, so the answer does not tell whether
 * it exists there.
 */
export function resolveSessionPolicies(
  deps: RoomDeps,
  input: SessionPolicyInput,
  owner: PolicyOwner,
): SessionPolicies {
  requireSameAccount(input.arns, owner);
  const stored: string[] = [];
  if (input.inline !== undefined) {
    compilePolicy(input.inline, "session");
    stored.push(input.inline);
  }
  for (const arn of input.arns) {
    if (managedDocument(deps.store, arn) === undefined) {
      throw new AwsError("InvalidParameterValue", `The policy ${arn} does not exist or is not attachable.`);
    }
    stored.push(arn);
  }
  return { ...input, stored };
}

export interface PolicyOwner {
  accountId: string;
  kind: "role" | "IAM user";
}

/**
 * AWS: managed session policies "must exist in the same account as the role" (for GetFederationToken, as the
 * IAM user); AWS managed policies (arn:aws:iam::aws:policy/...) belong to every account.
 */
function requireSameAccount(arns: readonly string[], owner: PolicyOwner): void {
  for (const arn of arns) {
    const account = parseArn(arn)?.accountId;
    // Not an ARN at all: left to the lookup, which answers that no such policy exists.
    if (account === undefined || account === "aws" || account === owner.accountId) continue;
    throw new AwsError(
      "InvalidParameterValue",
      `The policy ${arn} is not in account ${owner.accountId}: managed session policies must exist in the same account as the ${owner.kind}.`,
    );
  }
}
