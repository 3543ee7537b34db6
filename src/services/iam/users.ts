import { iamArn } from "../../core/arn.js";
import { newUniqueId } from "../../core/ids.js";
import type { AnyQueryOperation, SignedContext } from "../../protocol/operation.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { UserRow } from "../../store/users.js";
import type { RoomDeps } from "../deps.js";
import {
  alreadyExists,
  boundaryXml,
  deleteConflict,
  entityName,
  iamOperation,
  mergeTags,
  namedEntityArn,
  noSuchEntity,
  optionalPath,
  paginate,
  pathPrefix,
  requestTagContext,
  tagsParam,
  tagsXml,
} from "./common.js";
import { existingManagedPolicy } from "./managedPolicies.js";

export const userArn = (u: UserRow) => iamArn(u.accountId, "user", u.name, u.path);

export function userXml(u: UserRow) {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id,
    Arn: userArn(u),
    CreateDate: new Date(u.createdAt),
    PermissionsBoundary: boundaryXml(u.permissionsBoundaryArn),
    Tags: u.tags.length ? tagsXml(u.tags) : undefined,
  };
}

export function findUser(deps: RoomDeps, accountId: string, name: string): UserRow {
  const user = deps.store.users.findByName(accountId, name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function userOperations(deps: RoomDeps): AnyQueryOperation[] {
  const { store } = deps;
  const byName = (p: QueryParams) => ({ userName: entityName(p, "UserName") });
  const userResource = (ctx: SignedContext, i: { userName: string }) =>
    namedEntityArn(deps, ctx.caller.accountId, "user", i.userName);
  return [
    iamOperation(deps, "CreateUser", {
      input: (p) => ({
        userName: entityName(p, "UserName"),
        path: optionalPath(p),
        boundary: p.get("PermissionsBoundary"),
        tags: tagsParam(p),
      }),
      resource: (ctx, i) => iamArn(ctx.caller.accountId, "user", i.userName, i.path),
      context: (i) => ({
        ...requestTagContext(i.tags),
        ...(i.boundary ? { "iam:PermissionsBoundary": i.boundary } : {}),
      }),
      run: (ctx, i) => {
        if (store.users.findByName(ctx.caller.accountId, i.userName))
          throw alreadyExists(`User with name ${i.userName} already exists.`);
        if (i.boundary) existingManagedPolicy(deps, ctx.caller.accountId, i.boundary);
        const user: UserRow = {
          id: newUniqueId("AIDA"),
          accountId: ctx.caller.accountId,
          name: i.userName,
          path: i.path,
          permissionsBoundaryArn: i.boundary ?? null,
          tags: mergeTags([], i.tags),
          createdAt: ctx.now.getTime(),
        };
        store.users.create(user);
        return { User: userXml(user) };
      },
    }),
    // Without UserName, GetUser describes the calling user (IAM's documented behaviour).
    iamOperation(deps, "GetUser", {
      input: (p) => ({ userName: p.get("UserName") === undefined ? undefined : entityName(p, "UserName") }),
      resource: (ctx, i) =>
        i.userName ? namedEntityArn(deps, ctx.caller.accountId, "user", i.userName) : ctx.caller.arn,
      run: (ctx, i) => {
        if (i.userName) return { User: userXml(findUser(deps, ctx.caller.accountId, i.userName)) };
        if (ctx.caller.kind === "root") {
          return { User: { UserId: ctx.caller.accountId, Arn: ctx.caller.arn, CreateDate: new Date(0) } };
        }
        if (!ctx.caller.user || ctx.caller.kind !== "user") {
          throw noSuchEntity("Must specify userName when calling with non-User credentials");
        }
        return { User: userXml(ctx.caller.user) };
      },
    }),
    iamOperation(deps, "ListUsers", {
      input: (p) => ({ prefix: pathPrefix(p), p }),
      resource: () => "*",
      run: (ctx, i) => {
        const users = store.users
          .listByAccount(ctx.caller.accountId)
          .filter((u) => u.path.startsWith(i.prefix));
        const { page, ...more } = paginate(i.p, users);
        return { Users: page.map(userXml), ...more };
      },
    }),
    iamOperation(deps, "DeleteUser", {
      input: byName,
      resource: userResource,
      run: (ctx, i) =>
        store.transaction(() => {
          const user = findUser(deps, ctx.caller.accountId, i.userName);
          if (store.accessKeys.listByUser(user.id).length > 0)
            throw deleteConflict("Cannot delete entity, must delete access keys first.");
          if (store.policies.listAttached("user", user.id).length > 0)
            throw deleteConflict("Cannot delete entity, must detach all policies first.");
          if (store.policies.listInline("user", user.id).length > 0)
            throw deleteConflict("Cannot delete entity, must delete policies first.");
          store.users.delete(user.id);
          return undefined;
        }),
    }),
    iamOperation(deps, "PutUserPermissionsBoundary", {
      input: (p) => ({
        userName: entityName(p, "UserName"),
        boundary: p.required("PermissionsBoundary", "permissionsBoundary"),
      }),
      resource: userResource,
      context: (i) => ({ "iam:PermissionsBoundary": i.boundary }),
      run: (ctx, i) => {
        const user = findUser(deps, ctx.caller.accountId, i.userName);
        existingManagedPolicy(deps, ctx.caller.accountId, i.boundary);
        store.users.updateBoundary(user.id, i.boundary);
        return undefined;
      },
    }),
    iamOperation(deps, "DeleteUserPermissionsBoundary", {
      input: byName,
      resource: userResource,
      run: (ctx, i) => {
        const user = findUser(deps, ctx.caller.accountId, i.userName);
        store.users.updateBoundary(user.id, null);
        return undefined;
      },
    }),
  ];
}
