import { matchesUserFilter, parseUserFilter } from "../../core/cognito/userFilter.js";
import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import { requirePool, str, type UserPoolDeps } from "./common.js";
import { managed } from "./managed.js";
import { describeUser } from "./management.js";

const MAX_LIMIT = 60;

function validation(value: string, member: string, constraint: string): AwsError {
  return new AwsError(
    "InvalidParameterException",
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/**
 * ListUsers: the pool's users in creation order, `Limit` (up to 60) a page, `PaginationToken` for the next,
 * `Filter` in Cognito's grammar (src/core/cognito/userFilter.ts), `AttributesToGet` to trim attributes.
 */
export function listUsers(deps: UserPoolDeps): AnyJsonOperation {
  return managed(deps, "ListUsers", (_c, body) => {
    const pool = requirePool(deps, str(body, "UserPoolId", true));
    const filterText = str(body, "Filter") ?? "";
    if (filterText.length > 256)
      throw validation(filterText, "filter", "Member must have length less than or equal to 256");
    const parsed = parseUserFilter(filterText);
    if (!parsed.ok)
      throw new AwsError(
        "InvalidParameterException",
        parsed.reason === "syntax"
          ? "Error while parsing filter."
          : `Invalid search attribute: ${parsed.attribute}`,
      );
    const limit = Object.hasOwn(body, "Limit") ? body.Limit : undefined;
    if (limit !== undefined && (typeof limit !== "number" || !Number.isInteger(limit)))
      throw new AwsError("SerializationException", "Limit must be an integer");
    if (limit !== undefined && limit > MAX_LIMIT)
      throw validation(String(limit), "limit", `Member must have value less than or equal to ${MAX_LIMIT}`);
    if (limit !== undefined && limit < 0)
      throw validation(String(limit), "limit", "Member must have value greater than or equal to 0");
    const pageSize = limit === undefined || limit === 0 ? MAX_LIMIT : limit;
    const token = str(body, "PaginationToken");
    const attributesToGet = Array.isArray(body.AttributesToGet)
      ? new Set(body.AttributesToGet.filter((a): a is string => typeof a === "string"))
      : undefined;
    let users = deps.repo.listUsers(pool.id);
    if (parsed.filter) {
      const filter = parsed.filter;
      users = users.filter((u) => matchesUserFilter(u, filter));
    }
    let start = 0;
    if (token !== undefined) {
      // The token names the last user of the previous page by the list's order (creation time, then name),
      // so a page goes on where it stopped even when that user was deleted meanwhile.
      const after = /^(\d{1,16})\0([\s\S]*)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
      if (!after) throw new AwsError("InvalidParameterException", "Invalid pagination token.");
      const [t, name] = [Number(after[1]), after[2]!];
      start = users.findIndex((u) => u.createdAt > t || (u.createdAt === t && u.username > name));
      if (start === -1) start = users.length;
    }
    const page = users.slice(start, start + pageSize);
    const last = page.at(-1);
    const more = start + page.length < users.length && last !== undefined;
    return {
      Users: page.map((u) => {
        const d = describeUser(u);
        return attributesToGet
          ? { ...d, Attributes: d.Attributes.filter((a) => attributesToGet.has(a.Name)) }
          : d;
      }),
      ...(more
        ? { PaginationToken: Buffer.from(`${last.createdAt}\0${last.username}`).toString("base64url") }
        : {}),
    };
  });
}
