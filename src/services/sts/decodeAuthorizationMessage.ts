import { authorize } from "../authorize.js";
import { queryOperation, type ServiceDeps } from "../operation.js";
import { decodeAuthorizationMessage as decode } from "./authorizationMessage.js";

export function decodeAuthorizationMessage(deps: ServiceDeps) {
  return queryOperation({
    action: "DecodeAuthorizationMessage",
    input: (p) => ({ encodedMessage: p.required("EncodedMessage") }),
    run: (ctx, input) => {
      authorize(deps, ctx, { action: "sts:DecodeAuthorizationMessage", resource: "*" });
      return { DecodedMessage: decode(deps.store, input.encodedMessage) };
    },
  });
}
