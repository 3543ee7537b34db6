import { MAX_RULES, type MappingRule, type RoleMapping } from "../../core/cognito/roleMapping.js";
import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import {
  ARN,
  type Body,
  checkString,
  identityPoolId,
  optionalObject,
  PROVIDER_NAME,
  stringMap,
  validation,
} from "./input.js";
import { ownPool, poolResource, signedOperation } from "./operation.js";

const MATCH_TYPES = ["Equals", "Contains", "StartsWith", "NotEqual"] as const;

function isObject(v: unknown): v is Body {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function enumValue<const T extends string>(member: string, value: unknown, allowed: readonly T[]): T {
  const text = checkString(member, value, {});
  if (!(allowed as readonly string[]).includes(text))
    throw validation(member, text, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  return text as T;
}

/**
 * RoleMappings as SetIdentityPoolRoles checks them. Token and Rules need AmbiguousRoleResolution, Rules
 * needs RulesConfiguration with 1 to 25 rules (AWS documents 25; its model allows 400). The wording of the
 * InvalidParameterException messages is fedsim's.
 */
function roleMappings(body: Body): Record<string, RoleMapping> {
  const map = optionalObject(body, "RoleMappings");
  if (map === undefined) return {};
  const entries = Object.entries(map);
  if (entries.length > 10)
    throw validation(
      "roleMappings",
      `{${entries.map(([k]) => k).join(", ")}}`,
      "Member must have length less than or equal to 10",
    );
  return Object.fromEntries(
    entries.map(([provider, raw]): [string, RoleMapping] => {
      checkString("roleMappings", provider, PROVIDER_NAME);
      const at = "roleMappings";
      if (!isObject(raw))
        throw new AwsError("SerializationException", "Start of list found where not expected");
      if (raw.Type === undefined || raw.Type === null)
        throw validation(at, provider, "Map value must satisfy constraint: [Member must not be null]");
      const mapping: RoleMapping = {
        Type: enumValue(`${at}.${provider}.member.type`, raw.Type, ["Token", "Rules"] as const),
      };
      if (raw.AmbiguousRoleResolution !== undefined && raw.AmbiguousRoleResolution !== null)
        mapping.AmbiguousRoleResolution = enumValue(
          `${at}.${provider}.member.ambiguousRoleResolution`,
          raw.AmbiguousRoleResolution,
          ["AuthenticatedRole", "Deny"] as const,
        );
      else
        throw new AwsError(
          "InvalidParameterException",
          `AmbiguousRoleResolution must be specified for the ${mapping.Type} role mapping of ${provider}.`,
        );
      const rules = raw.RulesConfiguration;
      if (mapping.Type === "Rules") {
        if (!isObject(rules) || !Array.isArray(rules.Rules))
          throw new AwsError(
            "InvalidParameterException",
            `RulesConfiguration is required for the Rules role mapping of ${provider}.`,
          );
        if (rules.Rules.length < 1 || rules.Rules.length > MAX_RULES)
          throw new AwsError(
            "InvalidParameterException",
            `The Rules role mapping of ${provider} must have between 1 and ${MAX_RULES} rules; it has ${rules.Rules.length}.`,
          );
        mapping.RulesConfiguration = {
          Rules: rules.Rules.map((r, n): MappingRule => {
            const member = `${at}.${provider}.member.rulesConfiguration.rules.${n + 1}.member`;
            if (!isObject(r))
              throw new AwsError("SerializationException", "Start of list found where not expected");
            for (const name of ["Claim", "MatchType", "Value", "RoleARN"])
              if (r[name] === undefined || r[name] === null)
                throw validation(
                  `${member}.${name.charAt(0).toLowerCase()}${name.slice(1)}`,
                  null,
                  "Member must not be null",
                );
            return {
              Claim: checkString(`${member}.claim`, r.Claim, {
                min: 1,
                max: 64,
                pattern: [/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"],
              }),
              MatchType: enumValue(`${member}.matchType`, r.MatchType, MATCH_TYPES),
              Value: checkString(`${member}.value`, r.Value, { min: 1, max: 128 }),
              RoleARN: checkString(`${member}.roleARN`, r.RoleARN, ARN),
            };
          }),
        };
      } else if (rules !== undefined && rules !== null) {
        throw new AwsError(
          "InvalidParameterException",
          `RulesConfiguration applies only to a Rules role mapping, and ${provider}'s is Token.`,
        );
      }
      return [provider, mapping];
    }),
  );
}

export function poolRoleOperations(deps: RoomDeps): AnyJsonOperation[] {
  return [
    signedOperation(deps, "SetIdentityPoolRoles", {
      input: (body) => {
        const roles = stringMap(body, "Roles", {
          maxEntries: 2,
          key: { min: 1, max: 128, pattern: [/^(un)?authenticated$/, "(un)?authenticated"] },
          value: ARN,
        });
        if (roles === undefined) throw validation("roles", null, "Member must not be null");
        return { id: identityPoolId(body), roles, roleMappings: roleMappings(body) };
      },
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.id);
        deps.store.identityPools.save({ ...pool, roles: i.roles, roleMappings: i.roleMappings });
        return {};
      },
    }),
    signedOperation(deps, "GetIdentityPoolRoles", {
      input: (body) => ({ id: identityPoolId(body) }),
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.id);
        return { IdentityPoolId: pool.id, Roles: pool.roles, RoleMappings: pool.roleMappings };
      },
    }),
  ];
}
