import { callerPolicies } from "../../authz/callerPolicies.js";
import { callerContextKeys } from "../../authz/contextKeys.js";
import { principalFromCaller } from "../../authz/decide.js";
import { recordRefusal } from "../../authz/recordDecision.js";
import { AwsError } from "../../errors.js";
import { queryOperation } from "../../protocol/operation.js";
import type { Tag } from "../../store/tags.js";
import type { RoomDeps } from "../deps.js";
import { issueRoleSessionGrouped } from "../sessions/roleSession.js";
import { resolveSessionPolicies } from "../sessions/sessionPolicies.js";
import { assumeRoleDenied, authorizeAssumeRole, findRoleForAssume, roleDuration } from "../sessions/trust.js";
import {
  externalId,
  readSessionPolicies,
  roleArnParam,
  roleSessionName,
  serialNumber,
  sessionTags,
  sourceIdentity,
  tokenCode,
  transitiveTagKeys,
} from "./validation.js";

export function assumeRole(deps: RoomDeps) {
  return queryOperation({
    action: "AssumeRole",
    input: (p) => {
      const tags = sessionTags(p);
      const source = p.get("SourceIdentity");
      const external = p.get("ExternalId");
      const serial = p.get("SerialNumber");
      const code = p.get("TokenCode");
      if (serial !== undefined) serialNumber(serial);
      if (code !== undefined) tokenCode(code);
      return {
        roleArn: roleArnParam(p.required("RoleArn")),
        roleSessionName: roleSessionName(p.required("RoleSessionName")),
        durationSeconds: p.integer("DurationSeconds"),
        externalId: external === undefined ? undefined : externalId(external),
        sourceIdentity: source === undefined ? undefined : sourceIdentity(source),
        tags,
        transitiveTagKeys: transitiveTagKeys(p, tags),
        policies: readSessionPolicies(p),
        mfa: serial !== undefined || code !== undefined,
      };
    },
    run: (ctx, input) => {
      const { caller, now } = ctx;
      if (caller.kind === "root") {
        throw new AwsError("AccessDenied", "Roles may not be assumed by root accounts.", { status: 403 });
      }
      if (input.mfa) {
        // fedsim has no MFA devices; accepting any code would make aws:MultiFactorAuthPresent meaningless.
        throw new AwsError("AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code", {
          status: 403,
        });
      }
      const context = callerContextKeys(caller, ctx);
      const denied = assumeRoleDenied(deps, caller, input.roleArn, context);
      const role = findRoleForAssume(deps, input.roleArn, () => {
        const decision = { decision: "implicitDeny", statements: [], deniedBy: "resource-based" } as const;
        recordRefusal(
          deps.decisions,
          ctx,
          { service: "sts", principal: caller.arn, action: "sts:AssumeRole", resource: input.roleArn },
          `No role with the ARN ${input.roleArn} exists (AWS answers this AccessDenied too, so roles cannot be probed).`,
        );
        return denied("sts:AssumeRole", { ...decision, statements: [] });
      });
      const chained = caller.kind === "assumed-role";
      // Tags marked transitive in the caller's session flow into the new one and cannot be overridden.
      const inherited: Tag[] = chained
        ? (caller.session?.tags ?? []).filter((t) =>
            caller.session!.transitiveTagKeys.some((k) => k.toLowerCase() === t.key.toLowerCase()),
          )
        : [];
      for (const t of input.tags) {
        if (inherited.some((i) => i.key.toLowerCase() === t.key.toLowerCase())) {
          throw new AwsError(
            "InvalidParameterValue",
            `Cannot override the transitive session tag ${t.key} inherited from the calling session.`,
          );
        }
      }
      context["sts:RoleSessionName"] = input.roleSessionName;
      if (input.externalId !== undefined) context["sts:ExternalId"] = input.externalId;
      if (
        caller.session?.sourceIdentity &&
        input.sourceIdentity &&
        caller.session.sourceIdentity !== input.sourceIdentity
      ) {
        throw new AwsError(
          "InvalidParameterValue",
          "The source identity of a chained role session cannot be changed.",
        );
      }
      // An inherited source identity is set on the new session too, so it needs sts:SetSourceIdentity and
      // trust conditions on sts:SourceIdentity see it, exactly as if the caller had passed it.
      const source = input.sourceIdentity ?? caller.session?.sourceIdentity ?? undefined;
      authorizeAssumeRole({
        role,
        action: "sts:AssumeRole",
        principal: principalFromCaller(caller),
        callerPolicies: callerPolicies(deps.store, caller),
        tags: input.tags,
        transitiveTagKeys: input.transitiveTagKeys,
        sourceIdentity: source,
        context,
        denied,
        log: { decisions: deps.decisions, ctx, principal: caller.arn },
      });
      return issueRoleSessionGrouped(deps, {
        role,
        sessionName: input.roleSessionName,
        durationSeconds: roleDuration(role, input.durationSeconds, chained),
        sessionPolicies: resolveSessionPolicies(deps, input.policies, {
          accountId: role.accountId,
          kind: "role",
        }),
        tags: [...inherited, ...input.tags],
        transitiveTagKeys: [
          ...new Set([...(chained ? caller.session!.transitiveTagKeys : []), ...input.transitiveTagKeys]),
        ],
        sourceIdentity: source,
        chained,
        now,
      });
    },
  });
}
