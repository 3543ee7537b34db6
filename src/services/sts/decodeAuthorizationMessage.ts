import { decodeAuthorizationMessage as decode } from "../../authz/authorizationMessage.js";
import { authorize } from "../../authz/authorize.js";
import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import { checkLength } from "../validation.js";

export function decodeAuthorizationMessage(deps: RoomDeps) {
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
