import { authorize } from "../../authz/authorize.js";
import { accountOfAccessKeyId } from "../../core/accessKeyIds.js";
import { AwsError } from "../../errors.js";
import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import { checkPattern } from "../validation.js";

/** The account an access key belongs to, for long-term and temporary keys alike. */
export function getAccessKeyInfo(deps: RoomDeps) {
  return queryOperation({
    action: "GetAccessKeyInfo",
    input: (p) => ({
      accessKeyId: checkPattern("accessKeyId", p.required("AccessKeyId"), 16, 128, /^\w*$/, "[\\w]*"),
    }),
    run: (ctx, input) => {
      authorize(deps, ctx, { action: "sts:GetAccessKeyInfo", resource: "*" });
      // Keys fedsim knows first (config keys such as AKIAIOSFODNN7EXAMPLE carry no account); then, as AWS does,
      // the account encoded in any new-generation key id, issued here or not.
      const account =
        deps.store.accessKeys.get(input.accessKeyId)?.accountId ??
        deps.store.sessions.get(input.accessKeyId)?.accountId ??
        accountOfAccessKeyId(input.accessKeyId);
      if (!account)
        throw new AwsError(
          "InvalidParameterValue",
          `The access key ID ${input.accessKeyId} is not known to this fedsim and carries no account number.`,
        );
      return { Account: account };
    },
  });
}
