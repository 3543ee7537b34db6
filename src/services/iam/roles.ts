import { iamArn } from "../../core/arn.js";
import { newUniqueId } from "../../core/ids.js";
import type { AnyQueryOperation } from "../../protocol/operation.js";
import type { RoleRow } from "../../store/roles.js";
import type { RoomDeps } from "../deps.js";
import { validationError } from "../validation.js";
import {
  alreadyExists,
  boundaryXml,
  checkPolicyDocument,
  deleteConflict,
  descriptionParam,
  encodeDocument,
  entityName,
  iamOperation,
  mergeTags,
  namedEntityArn,
  noSuchEntity,
  optionalPath,
  paginate,
  pathPrefix,
  policyDocument,
  requestTagContext,
  tagsParam,
  tagsXml,
} from "./common.js";
import { existingManagedPolicy } from "./managedPolicies.js";
import { checkTrustPolicySize } from "./quotas.js";

/** A trust policy's grammar and size, checked once the caller is authorised. */
function checkTrustDocument(document: string): void {
  checkPolicyDocument(document, "trust");
  checkTrustPolicySize(document);
}

export const roleArn = (role: RoleRow) => iamArn(role.accountId, "role", role.name, role.path);

export function roleXml(role: RoleRow) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: roleArn(role),
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicy),
    Description: role.description ?? undefined,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: boundaryXml(role.permissionsBoundaryArn),
    Tags: role.tags.length ? tagsXml(role.tags) : undefined,
    RoleLastUsed: {},
  };
}

export function findRole(deps: RoomDeps, accountId: string, name: string): RoleRow {
  const role = deps.store.roles.findByName(accountId, name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

function maxSessionDuration(value: number | undefined): number {
  if (value === undefined) return 3600;
  if (value < 3600 || value > 43_200) {
    throw validationError(
      "maxSessionDuration",
      String(value),
      "Member must have value between 3600 and 43200",
    );
  }
  return value;
}

export function roleOperations(deps: RoomDeps): AnyQueryOperation[] {
  const { store } = deps;
  const roleResource = (ctx: { caller: { accountId: string } }, i: { roleName: string }) =>
    namedEntityArn(deps, ctx.caller.accountId, "role", i.roleName);
  const byName = (p: import("../../protocol/queryParams.js").QueryParams) => ({
    roleName: entityName(p, "RoleName"),
  });
  return [
    iamOperation(deps, "CreateRole", {
      input: (p) => ({
        roleName: entityName(p, "RoleName"),
        path: optionalPath(p),
        document: policyDocument(p, "AssumeRolePolicyDocument"),
        description: descriptionParam(p.get("Description")),
        maxSessionDuration: maxSessionDuration(p.integer("MaxSessionDuration")),
        boundary: p.get("PermissionsBoundary"),
        tags: tagsParam(p),
      }),
      resource: (ctx, i) => iamArn(ctx.caller.accountId, "role", i.roleName, i.path),
      context: (i) => ({
        ...requestTagContext(i.tags),
        ...(i.boundary ? { "iam:PermissionsBoundary": i.boundary } : {}),
      }),
      validate: (i) => checkTrustDocument(i.document),
      run: (ctx, i) => {
        const accountId = ctx.caller.accountId;
        if (store.roles.findByName(accountId, i.roleName))
          throw alreadyExists(`Role with name ${i.roleName} already exists.`);
        if (i.boundary) existingManagedPolicy(deps, accountId, i.boundary);
        const role: RoleRow = {
          id: newUniqueId("AROA"),
          accountId,
          name: i.roleName,
          path: i.path,
          description: i.description,
          assumeRolePolicy: i.document,
          maxSessionDuration: i.maxSessionDuration,
          permissionsBoundaryArn: i.boundary ?? null,
          tags: mergeTags([], i.tags),
          createdAt: ctx.now.getTime(),
        };
        store.roles.create(role);
        return { Role: roleXml(role) };
      },
    }),
    iamOperation(deps, "GetRole", {
      input: byName,
      resource: roleResource,
      run: (ctx, i) => ({ Role: roleXml(findRole(deps, ctx.caller.accountId, i.roleName)) }),
    }),
    iamOperation(deps, "ListRoles", {
      input: (p) => ({ prefix: pathPrefix(p), p }),
      resource: () => "*",
      run: (ctx, i) => {
        const roles = store.roles
          .listByAccount(ctx.caller.accountId)
          .filter((r) => r.path.startsWith(i.prefix));
        const { page, ...more } = paginate(i.p, roles);
        return { Roles: page.map(roleXml), ...more };
      },
    }),
    iamOperation(deps, "DeleteRole", {
      input: byName,
      resource: roleResource,
      run: (ctx, i) => {
        const role = findRole(deps, ctx.caller.accountId, i.roleName);
        if (store.policies.listAttached("role", role.id).length > 0)
          throw deleteConflict("Cannot delete entity, must detach all policies first.");
        if (store.policies.listInline("role", role.id).length > 0)
          throw deleteConflict("Cannot delete entity, must delete policies first.");
        store.roles.delete(role.id);
        return undefined;
      },
    }),
    iamOperation(deps, "UpdateAssumeRolePolicy", {
      input: (p) => ({
        roleName: entityName(p, "RoleName"),
        document: policyDocument(p, "PolicyDocument"),
      }),
      resource: roleResource,
      validate: (i) => checkTrustDocument(i.document),
      run: (ctx, i) => {
        const role = findRole(deps, ctx.caller.accountId, i.roleName);
        store.roles.save({ ...role, assumeRolePolicy: i.document });
        return undefined;
      },
    }),
    iamOperation(deps, "UpdateRole", {
      input: (p) => ({
        roleName: entityName(p, "RoleName"),
        description: p.get("Description"),
        maxSessionDuration: p.integer("MaxSessionDuration"),
      }),
      resource: roleResource,
      run: (ctx, i) => {
        const role = findRole(deps, ctx.caller.accountId, i.roleName);
        store.roles.save({
          ...role,
          description: i.description === undefined ? role.description : descriptionParam(i.description),
          maxSessionDuration:
            i.maxSessionDuration === undefined
              ? role.maxSessionDuration
              : maxSessionDuration(i.maxSessionDuration),
        });
        // UpdateRoleResponse is an empty structure with a result wrapper in AWS's model: botocore (the AWS CLI,
        // boto3) looks the <UpdateRoleResult/> element up and fails with KeyError when it is absent.
        return {};
      },
    }),
    iamOperation(deps, "UpdateRoleDescription", {
      input: (p) => ({
        roleName: entityName(p, "RoleName"),
        description: descriptionParam(p.required("Description")),
      }),
      resource: roleResource,
      run: (ctx, i) => {
        const role = { ...findRole(deps, ctx.caller.accountId, i.roleName), description: i.description };
        store.roles.save(role);
        return { Role: roleXml(role) };
      },
    }),
    iamOperation(deps, "PutRolePermissionsBoundary", {
      input: (p) => ({
        roleName: entityName(p, "RoleName"),
        boundary: p.required("PermissionsBoundary", "permissionsBoundary"),
      }),
      resource: roleResource,
      context: (i) => ({ "iam:PermissionsBoundary": i.boundary }),
      run: (ctx, i) => {
        const role = findRole(deps, ctx.caller.accountId, i.roleName);
        existingManagedPolicy(deps, ctx.caller.accountId, i.boundary);
        store.roles.save({ ...role, permissionsBoundaryArn: i.boundary });
        return undefined;
      },
    }),
    iamOperation(deps, "DeleteRolePermissionsBoundary", {
      input: byName,
      resource: roleResource,
      run: (ctx, i) => {
        const role = findRole(deps, ctx.caller.accountId, i.roleName);
        if (!role.permissionsBoundaryArn)
          throw noSuchEntity(`The role with name ${i.roleName} does not have a permissions boundary.`);
        store.roles.save({ ...role, permissionsBoundaryArn: null });
        return undefined;
      },
    }),
  ];
}
