import { authorize } from "../authorize.js";
import { queryOperation, type ServiceDeps } from "../operation.js";
import { decodeAuthorizationMessage as decode } from "./authorizationMessage.js";
import { checkLength } from "./validation.js";

export function decodeAuthorizationMessage(deps: ServiceDeps) {
  return queryOperation({
    action: "DecodeAuthorizationMessage",
    input: (p) => ({
      encodedMessage: checkLength("encodedMessage", p.required("EncodedMessage"), 1, 10_240),
    }),
    run: (ctx, input) => {
      authorize(deps, ctx, { action: "sts:DecodeAuthorizationMessage", resource: "*" });
      return { DecodedMessage: decode(deps.store, input.encodedMessage) };
    },
  });
}
