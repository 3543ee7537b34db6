import type { ContextValue } from "../../authz/contextKeys.js";
import { parseArn } from "../../core/arn.js";
import { isCognitoId } from "../../core/cognito/poolId.js";
import { AwsError } from "../../errors.js";
import type { AnyJsonOperation, SignedContext } from "../../protocol/operation.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { RoomDeps } from "../deps.js";
import {
  ARN,
  type Body,
  requiredString,
  stringList,
  stringMap,
  TAG_KEY,
  TAG_VALUE,
  validation,
} from "./input.js";
import { ownPool, signedOperation } from "./operation.js";

const MAX_TAGS = 50;

/** aws:RequestTag/KEY and aws:TagKeys for a request that carries tags. */
export function requestTagContext(tags: Record<string, string>): Record<string, ContextValue> {
  const entries = Object.entries(tags);
  if (entries.length === 0) return {};
  const out: Record<string, ContextValue> = { "aws:TagKeys": entries.map(([k]) => k) };
  for (const [k, v] of entries) out[`aws:RequestTag/${k}`] = v;
  return out;
}

function resourceArn(body: Body): string {
  return requiredString(body, "ResourceArn", ARN);
}

/** The pool an identity-pool ARN names, in the caller's account; any other ARN names nothing fedsim has. */
function poolOfArn(deps: RoomDeps, ctx: SignedContext, arn: string): IdentityPoolRow {
  const parsed = parseArn(arn);
  const id = parsed?.resource.startsWith("identitypool/")
    ? parsed.resource.slice("identitypool/".length)
    : "";
  if (parsed?.service !== "cognito-identity" || !isCognitoId(id))
    throw new AwsError("InvalidParameterException", `Invalid ResourceArn: ${arn}`);
  const pool = ownPool(deps, ctx, id);
  if (parsed.accountId !== pool.accountId || parsed.region !== pool.region)
    throw new AwsError("ResourceNotFoundException", `IdentityPool '${id}' not found.`);
  return pool;
}

export function tagOperations(deps: RoomDeps): AnyJsonOperation[] {
  return [
    signedOperation(deps, "TagResource", {
      input: (body) => {
        const tags = stringMap(body, "Tags", { key: TAG_KEY, value: TAG_VALUE });
        if (tags === undefined) throw validation("tags", null, "Member must not be null");
        return { arn: resourceArn(body), tags };
      },
      resource: (_ctx, i) => i.arn,
      context: (i) => requestTagContext(i.tags),
      run: (ctx, i) => {
        const pool = poolOfArn(deps, ctx, i.arn);
        const merged = Object.fromEntries([...Object.entries(pool.tags), ...Object.entries(i.tags)]);
        if (Object.keys(merged).length > MAX_TAGS)
          throw new AwsError(
            "InvalidParameterException",
            `An identity pool can have at most ${MAX_TAGS} tags.`,
          );
        deps.store.identityPools.save({ ...pool, tags: merged });
        return {};
      },
    }),
    signedOperation(deps, "UntagResource", {
      input: (body) => {
        const keys = stringList(body, "TagKeys", { member: TAG_KEY });
        if (keys === undefined) throw validation("tagKeys", null, "Member must not be null");
        return { arn: resourceArn(body), keys };
      },
      resource: (_ctx, i) => i.arn,
      context: (i) => ({ "aws:TagKeys": i.keys }),
      run: (ctx, i) => {
        const pool = poolOfArn(deps, ctx, i.arn);
        const drop = new Set(i.keys);
        const kept = Object.fromEntries(Object.entries(pool.tags).filter(([k]) => !drop.has(k)));
        deps.store.identityPools.save({ ...pool, tags: kept });
        return {};
      },
    }),
    signedOperation(deps, "ListTagsForResource", {
      input: (body) => ({ arn: resourceArn(body) }),
      resource: (_ctx, i) => i.arn,
      run: (ctx, i) => ({ Tags: poolOfArn(deps, ctx, i.arn).tags }),
    }),
  ];
}
