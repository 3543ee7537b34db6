import type { AnyQueryOperation, SignedContext } from "../../protocol/operation.js";
import type { RoleRow } from "../../store/roles.js";
import type { Tag } from "../../store/tags.js";
import type { UserRow } from "../../store/users.js";
import type { RoomDeps } from "../deps.js";
import {
  entityName,
  iamOperation,
  mergeTags,
  namedEntityArn,
  paginate,
  requestTagContext,
  tagsParam,
  tagsXml,
} from "./common.js";
import { findRole } from "./roles.js";
import { findUser } from "./users.js";

/** Tag{Role,User}, Untag{Role,User}, List{Role,User}Tags: the same three operations for each kind. */
export function entityTagOperations(deps: RoomDeps, kind: "user" | "role"): AnyQueryOperation[] {
  const Kind = kind === "user" ? "User" : "Role";
  const nameParam = `${Kind}Name`;
  const find = (ctx: SignedContext, name: string): UserRow | RoleRow =>
    kind === "user" ? findUser(deps, ctx.caller.accountId, name) : findRole(deps, ctx.caller.accountId, name);
  const save = (entity: UserRow | RoleRow, tags: Tag[]) => {
    if (kind === "user") deps.store.users.updateTags(entity.id, tags);
    else deps.store.roles.save({ ...(entity as RoleRow), tags });
  };
  const resource = (ctx: SignedContext, i: { name: string }) =>
    namedEntityArn(deps, ctx.caller.accountId, kind, i.name);
  return [
    iamOperation(deps, `Tag${Kind}`, {
      input: (p) => ({ name: entityName(p, nameParam), tags: tagsParam(p) }),
      resource,
      context: (i) => requestTagContext(i.tags),
      run: (ctx, i) => {
        const entity = find(ctx, i.name);
        save(entity, mergeTags(entity.tags, i.tags));
        return undefined;
      },
    }),
    iamOperation(deps, `Untag${Kind}`, {
      input: (p) => ({ name: entityName(p, nameParam), keys: p.list("TagKeys") }),
      resource,
      context: (i) => ({ "aws:TagKeys": i.keys }),
      run: (ctx, i) => {
        const entity = find(ctx, i.name);
        save(
          entity,
          entity.tags.filter((t) => !i.keys.includes(t.key)),
        );
        return undefined;
      },
    }),
    iamOperation(deps, `List${Kind}Tags`, {
      input: (p) => ({ name: entityName(p, nameParam), p }),
      resource,
      run: (ctx, i) => {
        const { page, ...more } = paginate(i.p, find(ctx, i.name).tags);
        return { Tags: tagsXml(page), ...more };
      },
    }),
  ];
}
