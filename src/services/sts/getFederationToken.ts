import { authorize } from "../../authz/authorize.js";
import { federatedUserArn } from "../../core/arn.js";
import { AwsError } from "../../errors.js";
import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import { issueCredentials } from "../sessions/credentials.js";
import { durationSeconds, rootCapped } from "../sessions/durationSeconds.js";
import { carriesPackedContent, checkPackedSize, packedPolicySize } from "../sessions/packedPolicySize.js";
import { resolveSessionPolicies } from "../sessions/sessionPolicies.js";
import { federatedName, readSessionPolicies, sessionTags } from "./validation.js";

/**
 * GetFederationToken: a federated-user session whose permissions are the intersection of the calling
 * user's policies and the session policies passed; with no session policy it can do nothing (as in AWS).
 */
export function getFederationToken(deps: RoomDeps) {
  return queryOperation({
    action: "GetFederationToken",
    // No TransitiveTagKeys: it is not a parameter of this API (a federated user cannot chain roles), and
    // AWS Query ignores parameters an operation does not have.
    input: (p) => ({
      name: federatedName(p.required("Name")),
      durationSeconds: p.integer("DurationSeconds"),
      policies: readSessionPolicies(p),
      tags: sessionTags(p),
    }),
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
      const seconds = rootCapped(caller, durationSeconds(input.durationSeconds, 43_200, 900, 129_600));
      const policies = resolveSessionPolicies(deps, input.policies, {
        accountId: caller.accountId,
        kind: "IAM user",
      });
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
        sessionPolicies: policies.stored,
        tags: input.tags,
        transitiveTagKeys: [],
        sourceIdentity: null,
        chained: false,
        issuedAt: now.getTime(),
        expiresAt: now.getTime() + seconds * 1000,
      });
      return {
        Credentials: xml,
        FederatedUser: { FederatedUserId: userId, Arn: arn },
        PackedPolicySize: carriesPackedContent(policies, input.tags) ? packed : undefined,
      };
    },
  });
}
