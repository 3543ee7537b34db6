import { queryOperation } from "../operation.js";

/** Always allowed, even under an explicit deny, as in AWS. */
export const getCallerIdentity = queryOperation({
  action: "GetCallerIdentity",
  input: () => undefined,
  run: ({ caller }) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
});
