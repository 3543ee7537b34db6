import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import { validationError } from "../validation.js";
import { readSessionPolicies, roleArnParam } from "./validation.js";

const MAX_ASSERTION = 100_000;

/** AssumeRoleWithSAML: unsigned, as in AWS; the signed assertion is the credential. */
export function assumeRoleWithSaml(deps: RoomDeps) {
  return queryOperation({
    action: "AssumeRoleWithSAML",
    anonymous: true,
    input: (p) => {
      const assertion = p.required("SAMLAssertion", "sAMLAssertion");
      if (assertion.length < 4)
        throw validationError(
          "sAMLAssertion",
          assertion,
          "Member must have length greater than or equal to 4",
        );
      if (assertion.length > MAX_ASSERTION) {
        throw validationError(
          "sAMLAssertion",
          assertion,
          `Member must have length less than or equal to ${MAX_ASSERTION}`,
        );
      }
      return {
        roleArn: roleArnParam(p.required("RoleArn")),
        principalArn: roleArnParam(p.required("PrincipalArn"), "principalArn"),
        assertion,
        durationSeconds: p.integer("DurationSeconds"),
        policies: readSessionPolicies(p),
      };
    },
    // The XML stack (xmldom, the canonicaliser) loads with the first SAML call, not at start-up.
    run: async (ctx, input) => {
      const { performAssumeRoleWithSaml } = await import("./performAssumeRoleWithSaml.js");
      return performAssumeRoleWithSaml(deps, ctx, input);
    },
  });
}
