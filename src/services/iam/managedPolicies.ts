import { iamArn, parseArn } from "../../core/arn.js";
import { newUniqueId } from "../../core/ids.js";
import { AwsError } from "../../errors.js";
import type { AnyQueryOperation } from "../../protocol/operation.js";
import type { ManagedPolicyRow, PolicyVersionRow } from "../../store/policies.js";
import type { RoomDeps } from "../deps.js";
import { validationError } from "../validation.js";
import {
  alreadyExists,
  checkPolicyDocument,
  deleteConflict,
  encodeDocument,
  entityName,
  iamOperation,
  noSuchEntity,
  optionalLength,
  optionalPath,
  paginate,
  pathPrefix,
  policyDocument,
} from "./common.js";
import { checkManagedPolicySize } from "./quotas.js";

const MAX_VERSIONS = 5;

/** A managed policy's grammar and size, checked once the caller is authorised. */
function checkManagedDocument(document: string): void {
  checkPolicyDocument(document, "identity");
  checkManagedPolicySize(document);
}

/**
 * A managed policy as an account sees it: its own customer-managed policies and AWS's, never another
 * account's. IAM has no cross-account managed policies; one attached across accounts would let its owner's
 * later edits decide the other account's permissions. Another account's policy is answered as missing.
 */
function visibleManagedPolicy(deps: RoomDeps, accountId: string, arn: string): ManagedPolicyRow | undefined {
  const policy = deps.store.policies.getManaged(arn);
  return policy && (policy.accountId === accountId || policy.accountId === "aws") ? policy : undefined;
}

/** A policy to attach or to use as a permissions boundary, with AWS's answer when there is none. */
export function existingManagedPolicy(deps: RoomDeps, accountId: string, arn: string): ManagedPolicyRow {
  const policy = visibleManagedPolicy(deps, accountId, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

/** A policy to read (GetPolicy), with AWS's answer when there is none. */
function findManagedPolicy(deps: RoomDeps, accountId: string, arn: string): ManagedPolicyRow {
  const policy = visibleManagedPolicy(deps, accountId, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

function policyXml(deps: RoomDeps, p: ManagedPolicyRow) {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: deps.store.policies.attachmentCountOf(p.arn),
    PermissionsBoundaryUsageCount: deps.store.policies.boundaryUsageCountOf(p.arn),
    IsAttachable: true,
    Description: p.description ?? undefined,
    CreateDate: new Date(p.createdAt),
    UpdateDate: new Date(p.updatedAt),
  };
}

function versionXml(v: PolicyVersionRow, defaultVersionId: string) {
  return {
    Document: encodeDocument(v.document),
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === defaultVersionId,
    CreateDate: new Date(v.createdAt),
  };
}

/** The account's own customer policies only: AWS-managed ones are read-only to every account. */
function ownPolicy(deps: RoomDeps, accountId: string, arn: string): ManagedPolicyRow {
  const policy = findManagedPolicy(deps, accountId, arn);
  if (policy.accountId !== accountId) {
    throw new AwsError("AccessDenied", `Policy ${arn} is managed by AWS and cannot be changed.`, {
      status: 403,
    });
  }
  return policy;
}

const arnParam = (p: import("../../protocol/queryParams.js").QueryParams) => {
  const arn = p.required("PolicyArn", "policyArn");
  if (!parseArn(arn)?.resource.startsWith("policy/"))
    throw validationError("policyArn", arn, "Member must be a policy ARN");
  return arn;
};
const versionParam = (p: import("../../protocol/queryParams.js").QueryParams) => {
  const v = p.required("VersionId", "versionId");
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(v)) {
    throw validationError(
      "versionId",
      v,
      "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
    );
  }
  return v;
};

export function managedPolicyOperations(deps: RoomDeps): AnyQueryOperation[] {
  const { store } = deps;
  const byArn = (_ctx: unknown, i: { arn: string }) => i.arn;
  return [
    iamOperation(deps, "CreatePolicy", {
      input: (p) => ({
        name: entityName(p, "PolicyName", 128),
        path: optionalPath(p),
        document: policyDocument(p, "PolicyDocument"),
        // A policy description has only a length limit (CreatePolicy API reference), unlike a role's.
        description: optionalLength(p.get("Description"), "description", 1000),
      }),
      resource: (ctx, i) => iamArn(ctx.caller.accountId, "policy", i.name, i.path),
      validate: (i) => checkManagedDocument(i.document),
      run: (ctx, i) => {
        const arn = iamArn(ctx.caller.accountId, "policy", i.name, i.path);
        if (
          store.policies
            .listManaged(ctx.caller.accountId)
            .some(
              (p) => p.accountId === ctx.caller.accountId && p.name.toLowerCase() === i.name.toLowerCase(),
            )
        ) {
          throw alreadyExists(`A policy called ${i.name} already exists. Duplicate names are not allowed.`);
        }
        const now = ctx.now.getTime();
        const row: ManagedPolicyRow = {
          arn,
          id: newUniqueId("ANPA"),
          accountId: ctx.caller.accountId,
          name: i.name,
          path: i.path,
          description: i.description,
          defaultVersionId: "v1",
          nextVersion: 2,
          createdAt: now,
          updatedAt: now,
        };
        store.policies.createManaged(row, i.document);
        return { Policy: policyXml(deps, row) };
      },
    }),
    iamOperation(deps, "GetPolicy", {
      input: (p) => ({ arn: arnParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        const policy = findManagedPolicy(deps, ctx.caller.accountId, i.arn);
        return { Policy: policyXml(deps, policy) };
      },
    }),
    iamOperation(deps, "GetPolicyVersion", {
      input: (p) => ({ arn: arnParam(p), versionId: versionParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        const policy = existingManagedPolicy(deps, ctx.caller.accountId, i.arn);
        const version = store.policies.getVersion(i.arn, i.versionId);
        if (!version)
          throw noSuchEntity(`Policy ${i.arn} version ${i.versionId} does not exist or is not attachable.`);
        return { PolicyVersion: versionXml(version, policy.defaultVersionId) };
      },
    }),
    iamOperation(deps, "ListPolicyVersions", {
      input: (p) => ({ arn: arnParam(p), p }),
      resource: byArn,
      run: (ctx, i) => {
        const policy = existingManagedPolicy(deps, ctx.caller.accountId, i.arn);
        const { page, ...more } = paginate(i.p, store.policies.listVersions(i.arn));
        return { Versions: page.map((v) => versionXml(v, policy.defaultVersionId)), ...more };
      },
    }),
    iamOperation(deps, "CreatePolicyVersion", {
      input: (p) => ({
        arn: arnParam(p),
        document: policyDocument(p, "PolicyDocument"),
        setAsDefault: p.boolean("SetAsDefault") ?? false,
      }),
      resource: byArn,
      validate: (i) => checkManagedDocument(i.document),
      run: (ctx, i) =>
        store.transaction(() => {
          const policy = ownPolicy(deps, ctx.caller.accountId, i.arn);
          if (store.policies.listVersions(i.arn).length >= MAX_VERSIONS) {
            throw new AwsError(
              "LimitExceeded",
              "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
              { status: 409 },
            );
          }
          const version: PolicyVersionRow = {
            policyArn: i.arn,
            versionId: `v${policy.nextVersion}`,
            document: i.document,
            createdAt: ctx.now.getTime(),
          };
          store.policies.addVersion(version);
          const next = {
            ...policy,
            nextVersion: policy.nextVersion + 1,
            updatedAt: ctx.now.getTime(),
            defaultVersionId: i.setAsDefault ? version.versionId : policy.defaultVersionId,
          };
          store.policies.saveManaged(next);
          return { PolicyVersion: versionXml(version, next.defaultVersionId) };
        }),
    }),
    iamOperation(deps, "SetDefaultPolicyVersion", {
      input: (p) => ({ arn: arnParam(p), versionId: versionParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        const policy = ownPolicy(deps, ctx.caller.accountId, i.arn);
        if (!store.policies.getVersion(i.arn, i.versionId))
          throw noSuchEntity(`Policy ${i.arn} version ${i.versionId} does not exist.`);
        store.policies.saveManaged({
          ...policy,
          defaultVersionId: i.versionId,
          updatedAt: ctx.now.getTime(),
        });
        return undefined;
      },
    }),
    iamOperation(deps, "DeletePolicyVersion", {
      input: (p) => ({ arn: arnParam(p), versionId: versionParam(p) }),
      resource: byArn,
      run: (ctx, i) => {
        const policy = ownPolicy(deps, ctx.caller.accountId, i.arn);
        if (!store.policies.getVersion(i.arn, i.versionId))
          throw noSuchEntity(`Policy ${i.arn} version ${i.versionId} does not exist.`);
        if (policy.defaultVersionId === i.versionId)
          throw deleteConflict("Cannot delete the default version of a policy.");
        store.policies.deleteVersion(i.arn, i.versionId);
        return undefined;
      },
    }),
    iamOperation(deps, "ListPolicies", {
      input: (p) => {
        const scope = p.get("Scope") ?? "All";
        if (!["All", "AWS", "Local"].includes(scope))
          throw validationError("scope", scope, "Member must satisfy enum value set: [All, AWS, Local]");
        return { scope, onlyAttached: p.boolean("OnlyAttached") ?? false, prefix: pathPrefix(p), p };
      },
      resource: () => "*",
      run: (ctx, i) => {
        const policies = store.policies
          .listManaged(ctx.caller.accountId)
          .filter((p) => i.scope === "All" || (i.scope === "AWS") === (p.accountId === "aws"))
          .filter((p) => p.path.startsWith(i.prefix))
          .filter((p) => !i.onlyAttached || store.policies.attachmentCountOf(p.arn) > 0);
        const { page, ...more } = paginate(i.p, policies);
        return { Policies: page.map((p) => policyXml(deps, p)), ...more };
      },
    }),
    iamOperation(deps, "DeletePolicy", {
      input: (p) => ({ arn: arnParam(p) }),
      resource: byArn,
      run: (ctx, i) =>
        store.transaction(() => {
          ownPolicy(deps, ctx.caller.accountId, i.arn);
          if (store.policies.attachmentCountOf(i.arn) > 0)
            throw deleteConflict("Cannot delete a policy attached to entities.");
          if (store.policies.boundaryUsageCountOf(i.arn) > 0) {
            throw deleteConflict("Cannot delete a policy that is used as a permissions boundary.");
          }
          if (store.policies.listVersions(i.arn).length > 1) {
            throw deleteConflict(
              "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
            );
          }
          store.policies.deleteManaged(i.arn);
          return undefined;
        }),
    }),
  ];
}
