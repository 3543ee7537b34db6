import type { AnyQueryOperation, SignedContext } from "../../protocol/operation.js";
import type { QueryParams } from "../../protocol/queryParams.js";
import type { RoomDeps } from "../deps.js";
import {
  checkPolicyDocument,
  encodeDocument,
  entityName,
  iamOperation,
  namedEntityArn,
  noSuchEntity,
  paginate,
  policyDocument,
} from "./common.js";
import { existingManagedPolicy } from "./managedPolicies.js";
import { checkInlinePolicySize } from "./quotas.js";
import { findRole } from "./roles.js";
import { findUser } from "./users.js";

/**
 * Inline and attached managed policies of a user or a role: the same eight operations for each kind
 * (PutRolePolicy / PutUserPolicy, AttachRolePolicy / AttachUserPolicy, ...).
 */
export function ownerPolicyOperations(deps: RoomDeps, kind: "user" | "role"): AnyQueryOperation[] {
  const { store } = deps;
  const Kind = kind === "user" ? "User" : "Role";
  const nameParam = `${Kind}Name`;
  const owner = (ctx: SignedContext, name: string) =>
    kind === "user" ? findUser(deps, ctx.caller.accountId, name) : findRole(deps, ctx.caller.accountId, name);
  const resource = (ctx: SignedContext, i: { owner: string }) =>
    namedEntityArn(deps, ctx.caller.accountId, kind, i.owner);
  const ownerInput = (p: QueryParams) => ({ owner: entityName(p, nameParam) });
  const policyName = (p: QueryParams) => entityName(p, "PolicyName", 128);
  return [
    iamOperation(deps, `Put${Kind}Policy`, {
      input: (p) => ({
        ...ownerInput(p),
        policyName: policyName(p),
        document: policyDocument(p, "PolicyDocument"),
      }),
      resource,
      validate: (i) => checkPolicyDocument(i.document, "identity"),
      run: (ctx, i) => {
        const o = owner(ctx, i.owner);
        checkInlinePolicySize(kind, o.name, store.policies.listInline(kind, o.id), i.policyName, i.document);
        store.policies.putInline(kind, o.id, i.policyName, i.document);
        return undefined;
      },
    }),
    iamOperation(deps, `Get${Kind}Policy`, {
      input: (p) => ({ ...ownerInput(p), policyName: policyName(p) }),
      resource,
      run: (ctx, i) => {
        const o = owner(ctx, i.owner);
        const policy = store.policies.getInline(kind, o.id, i.policyName);
        if (!policy) throw noSuchEntity(`The ${kind} policy with name ${i.policyName} cannot be found.`);
        return {
          [nameParam]: o.name,
          PolicyName: policy.name,
          PolicyDocument: encodeDocument(policy.document),
        };
      },
    }),
    iamOperation(deps, `List${Kind}Policies`, {
      input: (p) => ({ ...ownerInput(p), p }),
      resource,
      run: (ctx, i) => {
        const { page, ...more } = paginate(
          i.p,
          store.policies.listInline(kind, owner(ctx, i.owner).id).map((x) => x.name),
        );
        return { PolicyNames: page, ...more };
      },
    }),
    iamOperation(deps, `Delete${Kind}Policy`, {
      input: (p) => ({ ...ownerInput(p), policyName: policyName(p) }),
      resource,
      run: (ctx, i) => {
        if (!store.policies.deleteInline(kind, owner(ctx, i.owner).id, i.policyName)) {
          throw noSuchEntity(`The ${kind} policy with name ${i.policyName} cannot be found.`);
        }
        return undefined;
      },
    }),
    iamOperation(deps, `Attach${Kind}Policy`, {
      input: (p) => ({ ...ownerInput(p), policyArn: p.required("PolicyArn", "policyArn") }),
      resource,
      context: (i) => ({ "iam:PolicyARN": i.policyArn }),
      run: (ctx, i) => {
        const o = owner(ctx, i.owner);
        existingManagedPolicy(deps, ctx.caller.accountId, i.policyArn);
        store.policies.attach(kind, o.id, i.policyArn);
        return undefined;
      },
    }),
    iamOperation(deps, `Detach${Kind}Policy`, {
      input: (p) => ({ ...ownerInput(p), policyArn: p.required("PolicyArn", "policyArn") }),
      resource,
      context: (i) => ({ "iam:PolicyARN": i.policyArn }),
      run: (ctx, i) => {
        if (!store.policies.detach(kind, owner(ctx, i.owner).id, i.policyArn))
          throw noSuchEntity(`Policy ${i.policyArn} was not found.`);
        return undefined;
      },
    }),
    iamOperation(deps, `ListAttached${Kind}Policies`, {
      input: (p) => ({ ...ownerInput(p), prefix: p.get("PathPrefix") ?? "/", p }),
      resource,
      run: (ctx, i) => {
        const attached = store.policies
          .listAttached(kind, owner(ctx, i.owner).id)
          .map((arn) => store.policies.getManaged(arn))
          .filter((m) => m?.path.startsWith(i.prefix))
          .map((m) => ({ PolicyName: m!.name, PolicyArn: m!.arn }));
        const { page, ...more } = paginate(i.p, attached);
        return { AttachedPolicies: page, ...more };
      },
    }),
  ];
}
