import { federatedUserArn } from "../../core/arn.js";
import { AwsError } from "../../errors.js";
import { authorize } from "../authorize.js";
import { queryOperation, type ServiceDeps } from "../operation.js";
import { issueCredentials } from "./credentials.js";
import { durationSeconds } from "./durationSeconds.js";
import { checkPackedSize, packedPolicySize } from "./packedPolicySize.js";
import { readSessionPolicies, resolveSessionPolicies } from "./sessionPolicies.js";
import { federatedName, sessionTags, transitiveTagKeys } from "./validation.js";

/**
 * GetFederationToken: a federated-user session whose permissions are the intersection of the calling
 * user's policies and the session policies passed; with no session policy it can do nothing (as in AWS).
 */
export function getFederationToken(deps: ServiceDeps) {
  return queryOperation({
    action: "GetFederationToken",
    input: (p) => {
      const tags = sessionTags(p);
      return {
        name: federatedName(p.required("Name")),
        durationSeconds: p.integer("DurationSeconds"),
        policies: readSessionPolicies(p),
        tags,
        transitiveTagKeys: transitiveTagKeys(p, tags),
      };
    },
    run: (ctx, input) => {
      const { caller, now } = ctx;
      if (caller.session) {
        throw new AwsError("AccessDenied", "Cannot call GetFederationToken with session credentials", {
          status: 403,
        });
      }
      const arn = federatedUserArn(caller.accountId, input.name);
      authorize(deps, ctx, { action: "sts:GetFederationToken", resource: arn });
      if (input.tags.length > 0) authorize(deps, ctx, { action: "sts:TagSession", resource: arn });
      const isRoot = caller.kind === "root";
      const seconds = durationSeconds(
        input.durationSeconds,
        isRoot ? 3600 : 43_200,
        900,
        isRoot ? 3600 : 129_600,
      );
      const policies = resolveSessionPolicies(deps, input.policies);
      const packed = packedPolicySize(policies, input.tags);
      checkPackedSize(packed);
      const userId = `${caller.accountId}:${input.name}`;
      const { xml } = issueCredentials(deps.store, {
        accountId: caller.accountId,
        kind: "federated-user",
        principalArn: arn,
        userId,
        sourceId: caller.user?.id ?? null,
        roleArn: null,
        sessionName: input.name,
        sessionPolicies: policies,
        tags: input.tags,
        transitiveTagKeys: input.transitiveTagKeys,
        sourceIdentity: null,
        chained: false,
        issuedAt: now.getTime(),
        expiresAt: now.getTime() + seconds * 1000,
      });
      return {
        Credentials: xml,
        FederatedUser: { FederatedUserId: userId, Arn: arn },
        PackedPolicySize: policies.length > 0 || input.tags.length > 0 ? packed : undefined,
      };
    },
  });
}
