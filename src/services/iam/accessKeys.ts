import { newAccessKeyId } from "../../core/accessKeyIds.js";
import { newSecretAccessKey } from "../../core/ids.js";
import { AwsError } from "../../errors.js";
import type { AnyQueryOperation, SignedContext } from "../../protocol/operation.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { RoomDeps } from "../deps.js";
import { validationError } from "../validation.js";
import { entityName, iamOperation, namedEntityArn, noSuchEntity, paginate } from "./common.js";
import { findUser } from "./users.js";

const MAX_KEYS_PER_USER = 2;

/** The user a key call is about: UserName, or the calling IAM user when it is omitted. */
function targetUser(deps: RoomDeps, ctx: SignedContext, userName: string | undefined) {
  if (userName) return findUser(deps, ctx.caller.accountId, userName);
  if (ctx.caller.kind !== "user" || !ctx.caller.user) {
    throw new AwsError("ValidationError", "Must specify userName when calling with non-User credentials");
  }
  return ctx.caller.user;
}

const userNameParam = (p: QueryParams) =>
  p.get("UserName") === undefined ? undefined : entityName(p, "UserName");
const keyIdParam = (p: QueryParams) => {
  const id = p.required("AccessKeyId", "accessKeyId");
  if (!/^[\w]{16,128}$/.test(id))
    throw validationError("accessKeyId", id, "Member must satisfy regular expression pattern: [\\w]+");
  return id;
};

export function accessKeyOperations(deps: RoomDeps): AnyQueryOperation[] {
  const { store } = deps;
  const resource = (ctx: SignedContext, i: { userName?: string }) =>
    i.userName ? namedEntityArn(deps, ctx.caller.accountId, "user", i.userName) : ctx.caller.arn;
  const ownKey = (ctx: SignedContext, i: { userName?: string; accessKeyId: string }) => {
    const user = targetUser(deps, ctx, i.userName);
    const key = store.accessKeys.get(i.accessKeyId);
    if (key?.userId !== user.id)
      throw noSuchEntity(`The Access Key with id ${i.accessKeyId} cannot be found.`);
    return { user, key };
  };
  return [
    iamOperation(deps, "CreateAccessKey", {
      input: (p) => ({ userName: userNameParam(p) }),
      resource,
      run: (ctx, i) =>
        store.transaction(() => {
          const user = targetUser(deps, ctx, i.userName);
          if (store.accessKeys.listByUser(user.id).length >= MAX_KEYS_PER_USER) {
            throw new AwsError(
              "LimitExceeded",
              `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`,
              { status: 409 },
            );
          }
          const key = {
            accessKeyId: newAccessKeyId("AKIA", user.accountId),
            secretAccessKey: newSecretAccessKey(),
            accountId: user.accountId,
            userId: user.id,
            status: "Active" as const,
            createdAt: ctx.now.getTime(),
          };
          store.accessKeys.create(key);
          return {
            AccessKey: {
              UserName: user.name,
              AccessKeyId: key.accessKeyId,
              Status: key.status,
              SecretAccessKey: key.secretAccessKey,
              CreateDate: new Date(key.createdAt),
            },
          };
        }),
    }),
    iamOperation(deps, "ListAccessKeys", {
      input: (p) => ({ userName: userNameParam(p), p }),
      resource,
      run: (ctx, i) => {
        const user = targetUser(deps, ctx, i.userName);
        const { page, ...more } = paginate(i.p, store.accessKeys.listByUser(user.id));
        return {
          AccessKeyMetadata: page.map((k) => ({
            UserName: user.name,
            AccessKeyId: k.accessKeyId,
            Status: k.status,
            CreateDate: new Date(k.createdAt),
          })),
          ...more,
        };
      },
    }),
    iamOperation(deps, "DeleteAccessKey", {
      input: (p) => ({ userName: userNameParam(p), accessKeyId: keyIdParam(p) }),
      resource,
      run: (ctx, i) => {
        ownKey(ctx, i);
        store.accessKeys.delete(i.accessKeyId);
        return undefined;
      },
    }),
    iamOperation(deps, "UpdateAccessKey", {
      input: (p) => {
        const status = p.required("Status", "status");
        if (status !== "Active" && status !== "Inactive")
          throw validationError("status", status, "Member must satisfy enum value set: [Active, Inactive]");
        return {
          userName: userNameParam(p),
          accessKeyId: keyIdParam(p),
          status: status as "Active" | "Inactive",
        };
      },
      resource,
      run: (ctx, i) => {
        ownKey(ctx, i);
        store.accessKeys.updateStatus(i.accessKeyId, i.status);
        return undefined;
      },
    }),
  ];
}
