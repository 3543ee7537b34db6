import { AwsError } from "../../errors.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { ServiceDeps } from "../operation.js";
import { compilePolicy } from "../policyCache.js";
import { managedDocument } from "../principalPolicies.js";
import { policyArns, sessionPolicyText } from "./validation.js";

/**
 * The session policies of an AssumeRole* / GetFederationToken call: the inline `Policy` and the documents of
 * `PolicyArns`, validated as session policies. Effective permissions become the intersection with them.
 */
export function readSessionPolicies(params: QueryParams): { inline?: string; arns: string[] } {
  return { inline: sessionPolicyText(params.get("Policy")), arns: policyArns(params) };
}

export function resolveSessionPolicies(
  deps: ServiceDeps,
  input: { inline?: string; arns: string[] },
): string[] {
  const documents: string[] = [];
  if (input.inline !== undefined) {
    compilePolicy(input.inline, "session");
    documents.push(input.inline);
  }
  for (const arn of input.arns) {
    const document = managedDocument(deps.store, arn);
    if (document === undefined) {
      throw new AwsError("InvalidParameterValue", `The policy ${arn} does not exist or is not attachable.`);
    }
    documents.push(document);
  }
  return documents;
}
