import { AwsError } from "../../errors.js";
import { authorize } from "../authorize.js";
import { queryOperation, type ServiceDeps } from "../operation.js";
import { checkPattern } from "./validation.js";

/** The account an access key belongs to, for long-term and temporary keys alike. */
export function getAccessKeyInfo(deps: ServiceDeps) {
  return queryOperation({
    action: "GetAccessKeyInfo",
    input: (p) => ({
      accessKeyId: checkPattern("accessKeyId", p.required("AccessKeyId"), 16, 128, /^\w*$/, "[\\w]*"),
    }),
    run: (ctx, input) => {
      authorize(deps, ctx, { action: "sts:GetAccessKeyInfo", resource: "*" });
      const account =
        deps.store.accessKeys.get(input.accessKeyId)?.accountId ??
        deps.store.sessions.get(input.accessKeyId)?.accountId;
      // Real AWS decodes the account from the key id itself; fedsim's ids carry none, so unknown keys are an error.
      if (!account)
        throw new AwsError(
          "InvalidParameterValue",
          `The access key ID ${input.accessKeyId} is not known to this fedsim.`,
        );
      return { Account: account };
    },
  });
}
