import { randomBytes, randomUUID } from "node:crypto";
import { clientIdFrom, userPoolIdFrom } from "../../core/cognito/ids.js";
import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import type {
  ClientRow,
  ClientSettings,
  GroupRow,
  PoolRow,
  PoolSettings,
  PoolUserRow,
} from "../../store/userPools.js";
import { checkUserAttributes } from "./attributes.js";
import { checkPasswordPolicy } from "./auth.js";
import {
  attributeList,
  type Body,
  epochSeconds,
  requireClient,
  requirePool,
  requireUser,
  str,
  type UserPoolDeps,
  userAttributes,
} from "./common.js";
import { AUTH_FLOWS, DEFAULT_PASSWORD_POLICY, defaultClientSettings } from "./defaults.js";
import { managed } from "./managed.js";
import { storedPassword } from "./passwords.js";
import { checkUsername } from "./publicClient.js";

function describePool(p: PoolRow) {
  return {
    Id: p.id,
    Name: p.name,
    Arn: `arn:aws:cognito-idp:${p.region}:${p.accountId}:userpool/${p.id}`,
    Policies: { PasswordPolicy: p.settings.passwordPolicy },
    ...(p.settings.usernameAttributes ? { UsernameAttributes: p.settings.usernameAttributes } : {}),
    ...(p.settings.aliasAttributes ? { AliasAttributes: p.settings.aliasAttributes } : {}),
    ...(p.settings.autoVerifiedAttributes
      ? { AutoVerifiedAttributes: p.settings.autoVerifiedAttributes }
      : {}),
    CreationDate: epochSeconds(p.createdAt),
    LastModifiedDate: epochSeconds(p.updatedAt),
  };
}

function describeClient(c: ClientRow) {
  const s = c.settings;
  return {
    UserPoolId: c.poolId,
    ClientName: c.name,
    ClientId: c.id,
    ...(c.secret !== null ? { ClientSecret: c.secret } : {}),
    ExplicitAuthFlows: s.explicitAuthFlows,
    PreventUserExistenceErrors: s.preventUserExistenceErrors,
    RefreshTokenValidity: s.refreshTokenValidity,
    AccessTokenValidity: s.accessTokenValidity,
    IdTokenValidity: s.idTokenValidity,
    TokenValidityUnits: s.tokenValidityUnits,
    CreationDate: epochSeconds(c.createdAt),
    LastModifiedDate: epochSeconds(c.updatedAt),
  };
}

export function describeUser(u: PoolUserRow) {
  return {
    Username: u.username,
    Attributes: userAttributes(u),
    UserCreateDate: epochSeconds(u.createdAt),
    UserLastModifiedDate: epochSeconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

function describeGroup(g: GroupRow) {
  return {
    GroupName: g.name,
    UserPoolId: g.poolId,
    ...(g.description !== null ? { Description: g.description } : {}),
    ...(g.roleArn !== null ? { RoleArn: g.roleArn } : {}),
    ...(g.precedence !== null ? { Precedence: g.precedence } : {}),
    CreationDate: epochSeconds(g.createdAt),
    LastModifiedDate: epochSeconds(g.updatedAt),
  };
}

function passwordPolicyOf(body: Body): PoolSettings["passwordPolicy"] {
  const given = ((body.Policies as Body | undefined)?.PasswordPolicy ?? {}) as Body;
  const out = { ...DEFAULT_PASSWORD_POLICY };
  for (const key of Object.keys(out) as (keyof typeof out)[]) {
    if (Object.hasOwn(given, key) && given[key] !== undefined)
      (out as Record<string, unknown>)[key] = given[key];
  }
  return out;
}

function clientSettingsOf(body: Body, base: ClientSettings): ClientSettings {
  const s = { ...base };
  if (Array.isArray(body.ExplicitAuthFlows)) {
    for (const f of body.ExplicitAuthFlows)
      if (typeof f !== "string" || !AUTH_FLOWS.has(f))
        throw new AwsError("InvalidParameterException", `Invalid explicit auth flow ${String(f)}`);
    s.explicitAuthFlows = [...(body.ExplicitAuthFlows as string[])];
  }
  const pue = str(body, "PreventUserExistenceErrors");
  if (pue !== undefined) {
    if (pue !== "LEGACY" && pue !== "ENABLED")
      throw new AwsError("InvalidParameterException", `Invalid PreventUserExistenceErrors ${pue}`);
    s.preventUserExistenceErrors = pue;
  }
  for (const [member, key] of [
    ["RefreshTokenValidity", "refreshTokenValidity"],
    ["AccessTokenValidity", "accessTokenValidity"],
    ["IdTokenValidity", "idTokenValidity"],
  ] as const) {
    if (typeof body[member] === "number") s[key] = body[member] as number;
  }
  if (body.TokenValidityUnits && typeof body.TokenValidityUnits === "object")
    s.tokenValidityUnits = {
      ...s.tokenValidityUnits,
      ...(body.TokenValidityUnits as ClientSettings["tokenValidityUnits"]),
    };
  return s;
}

/** Signed operations on pools, clients, users and groups. */
export function managementOperations(deps: UserPoolDeps): AnyJsonOperation[] {
  const { repo } = deps;
  const now = () => deps.clock().getTime();
  return [
    managed(
      deps,
      "CreateUserPool",
      (ctx, body) => {
        const name = str(body, "PoolName", true);
        const t = now();
        const pool: PoolRow = {
          id: userPoolIdFrom(ctx.region, randomBytes(32)),
          accountId: ctx.caller.accountId,
          region: ctx.region,
          name,
          settings: { passwordPolicy: passwordPolicyOf(body) },
          createdAt: t,
          updatedAt: t,
        };
        if (Array.isArray(body.UsernameAttributes))
          pool.settings.usernameAttributes = body.UsernameAttributes as string[];
        if (Array.isArray(body.AliasAttributes))
          pool.settings.aliasAttributes = body.AliasAttributes as string[];
        const auto = autoVerifiedOf(body);
        if (auto) pool.settings.autoVerifiedAttributes = auto;
        repo.insertPool(pool);
        return { UserPool: describePool(pool) };
      },
      "account",
    ),
    managed(deps, "DescribeUserPool", (_c, body) => ({
      UserPool: describePool(requirePool(deps, str(body, "UserPoolId", true))),
    })),
    managed(
      deps,
      "ListUserPools",
      (ctx) => ({
        UserPools: repo.listPools(ctx.caller.accountId, ctx.region).map((p) => ({
          Id: p.id,
          Name: p.name,
          CreationDate: epochSeconds(p.createdAt),
          LastModifiedDate: epochSeconds(p.updatedAt),
        })),
      }),
      "account",
    ),
    managed(deps, "UpdateUserPool", (_c, body) => {
      const pool = requirePool(deps, str(body, "UserPoolId", true));
      const settings = { ...pool.settings, passwordPolicy: passwordPolicyOf(body) };
      // UpdateUserPool resets what it is not given to the default, as AWS's does.
      delete settings.autoVerifiedAttributes;
      const auto = autoVerifiedOf(body);
      if (auto) settings.autoVerifiedAttributes = auto;
      repo.updatePool(pool.id, settings, now());
      return {};
    }),
    managed(deps, "DeleteUserPool", (_c, body) => {
      repo.deletePool(requirePool(deps, str(body, "UserPoolId", true)).id);
      return {};
    }),
    managed(deps, "CreateUserPoolClient", (_c, body) => {
      const pool = requirePool(deps, str(body, "UserPoolId", true));
      const t = now();
      const client: ClientRow = {
        id: clientIdFrom(randomBytes(32)),
        poolId: pool.id,
        name: str(body, "ClientName", true),
        secret:
          body.GenerateSecret === true
            ? randomBytes(38).toString("base64url").toLowerCase().slice(0, 51)
            : null,
        settings: clientSettingsOf(body, defaultClientSettings()),
        createdAt: t,
        updatedAt: t,
      };
      repo.insertClient(client);
      return { UserPoolClient: describeClient(client) };
    }),
    managed(deps, "DescribeUserPoolClient", (_c, body) => ({
      UserPoolClient: describeClient(
        requireClient(deps, str(body, "ClientId", true), str(body, "UserPoolId", true)),
      ),
    })),
    managed(deps, "ListUserPoolClients", (_c, body) => ({
      UserPoolClients: repo
        .listClients(requirePool(deps, str(body, "UserPoolId", true)).id)
        .map((c) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name })),
    })),
    managed(deps, "UpdateUserPoolClient", (_c, body) => {
      const client = requireClient(deps, str(body, "ClientId", true), str(body, "UserPoolId", true));
      const settings = clientSettingsOf(body, client.settings);
      repo.updateClient(client.id, str(body, "ClientName") ?? client.name, settings, now());
      return { UserPoolClient: describeClient(repo.getClient(client.id)!) };
    }),
    managed(deps, "DeleteUserPoolClient", (_c, body) => {
      repo.deleteClient(requireClient(deps, str(body, "ClientId", true), str(body, "UserPoolId", true)).id);
      return {};
    }),
    managed(deps, "AdminCreateUser", async (_c, body) => {
      const pool = requirePool(deps, str(body, "UserPoolId", true));
      const username = str(body, "Username", true);
      checkUsername(username);
      const given = attributeList(body, "UserAttributes");
      // Held to the pool's schema as SignUp is: a made-up name (cognito:preferred_role, token_use, ...)
      // would otherwise become a claim of every ID token the user is issued.
      checkUserAttributes(given);
      if (repo.getUser(pool.id, username))
        throw new AwsError("UsernameExistsException", "User account already exists");
      const temporary = str(body, "TemporaryPassword") ?? temporaryPassword();
      checkPasswordPolicy(pool, temporary);
      const t = now();
      const attributes = Object.fromEntries(given);
      const user: PoolUserRow = {
        poolId: pool.id,
        username,
        sub: randomUUID(),
        status: "FORCE_CHANGE_PASSWORD",
        enabled: true,
        attributes,
        ...(await storedPassword(pool.id, username, temporary)),
        failures: 0,
        lastFailureAt: 0,
        lockedUntil: 0,
        createdAt: t,
        updatedAt: t,
      };
      repo.insertUser(user);
      repo.putCode({
        poolId: pool.id,
        username,
        purpose: "temporary-password",
        code: temporary,
        expiresAt: t + pool.settings.passwordPolicy.TemporaryPasswordValidityDays * 86_400_000,
        createdAt: t,
      });
      deps.log(
        `cognito-idp ${pool.id}: temporary password for ${username} issued (GET /_fedsim/cognito-idp/${pool.id}/codes?username=${encodeURIComponent(username)})`,
      );
      return { User: describeUser(user) };
    }),
    managed(deps, "AdminGetUser", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      const d = describeUser(u);
      return {
        Username: d.Username,
        UserAttributes: d.Attributes,
        UserCreateDate: d.UserCreateDate,
        UserLastModifiedDate: d.UserLastModifiedDate,
        Enabled: d.Enabled,
        UserStatus: d.UserStatus,
      };
    }),
    managed(deps, "AdminDeleteUser", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      repo.deleteUser(u.poolId, u.username);
      return {};
    }),
    managed(deps, "AdminSetUserPassword", async (_c, body) => {
      const pool = requirePool(deps, str(body, "UserPoolId", true));
      const u = requireUser(deps, pool.id, str(body, "Username", true));
      const password = str(body, "Password", true);
      checkPasswordPolicy(pool, password);
      repo.setPassword(
        pool.id,
        u.username,
        {
          ...(await storedPassword(pool.id, u.username, password)),
          status: body.Permanent === true ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
        },
        now(),
      );
      return {};
    }),
    managed(deps, "AdminUserGlobalSignOut", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      repo.revokeAllOf(u.poolId, u.username);
      return {};
    }),
    managed(deps, "AdminDisableUser", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      repo.setEnabled(u.poolId, u.username, false, now());
      repo.revokeAllOf(u.poolId, u.username);
      return {};
    }),
    managed(deps, "AdminEnableUser", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      repo.setEnabled(u.poolId, u.username, true, now());
      return {};
    }),
    managed(deps, "AdminConfirmSignUp", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      if (u.status !== "UNCONFIRMED")
        throw new AwsError(
          "NotAuthorizedException",
          `User cannot be confirmed. Current status is ${u.status}`,
        );
      repo.setStatus(u.poolId, u.username, "CONFIRMED", now());
      return {};
    }),
    managed(deps, "AdminUpdateUserAttributes", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      const changes = attributeList(body, "UserAttributes");
      checkUserAttributes(changes);
      const next = { ...u.attributes, ...Object.fromEntries(changes) };
      repo.setAttributes(u.poolId, u.username, next, now());
      return {};
    }),
    managed(deps, "CreateGroup", (_c, body) => {
      const pool = requirePool(deps, str(body, "UserPoolId", true));
      const name = str(body, "GroupName", true);
      checkGroupInput(body, name);
      if (repo.getGroup(pool.id, name))
        throw new AwsError("GroupExistsException", "A group with the name already exists.");
      const t = now();
      const group: GroupRow = {
        poolId: pool.id,
        name,
        description: str(body, "Description") ?? null,
        roleArn: str(body, "RoleArn") ?? null,
        precedence: typeof body.Precedence === "number" ? body.Precedence : null,
        createdAt: t,
        updatedAt: t,
      };
      repo.insertGroup(group);
      return { Group: describeGroup(group) };
    }),
    managed(deps, "GetGroup", (_c, body) => ({ Group: describeGroup(requireGroup(deps, body)) })),
    managed(deps, "ListGroups", (_c, body) => ({
      Groups: repo.listGroups(requirePool(deps, str(body, "UserPoolId", true)).id).map(describeGroup),
    })),
    managed(deps, "DeleteGroup", (_c, body) => {
      const g = requireGroup(deps, body);
      repo.deleteGroup(g.poolId, g.name);
      return {};
    }),
    managed(deps, "AdminAddUserToGroup", (_c, body) => {
      const g = requireGroup(deps, body);
      const u = requireUser(deps, g.poolId, str(body, "Username", true));
      repo.addMember(g.poolId, g.name, u.username);
      return {};
    }),
    managed(deps, "AdminRemoveUserFromGroup", (_c, body) => {
      const g = requireGroup(deps, body);
      const u = requireUser(deps, g.poolId, str(body, "Username", true));
      repo.removeMember(g.poolId, g.name, u.username);
      return {};
    }),
    managed(deps, "AdminListGroupsForUser", (_c, body) => {
      const u = requireUser(deps, str(body, "UserPoolId", true), str(body, "Username", true));
      return { Groups: repo.groupsOf(u.poolId, u.username).map(describeGroup) };
    }),
  ];
}

function autoVerifiedOf(body: Body): string[] | undefined {
  const value = Object.hasOwn(body, "AutoVerifiedAttributes") ? body.AutoVerifiedAttributes : undefined;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => v !== "email" && v !== "phone_number"))
    throw new AwsError(
      "InvalidParameterException",
      "1 validation error detected: Value at 'autoVerifiedAttributes' failed to satisfy constraint: Member must satisfy enum value set: [phone_number, email]",
    );
  return [...new Set(value as string[])];
}

function invalidMember(value: string, member: string, constraint: string): AwsError {
  return new AwsError(
    "InvalidParameterException",
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** CreateGroup's members as the model bounds them: GroupName 1-128 of its pattern, Description 2048, Precedence >= 0. */
function checkGroupInput(body: Body, name: string): void {
  if ([...name].length > 128)
    throw invalidMember(name, "groupName", "Member must have length less than or equal to 128");
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(name))
    throw invalidMember(
      name,
      "groupName",
      "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  const description = str(body, "Description");
  if (description !== undefined && [...description].length > 2048)
    throw invalidMember(description, "description", "Member must have length less than or equal to 2048");
  const precedence = Object.hasOwn(body, "Precedence") ? body.Precedence : undefined;
  if (typeof precedence === "number" && precedence < 0)
    throw invalidMember(
      String(precedence),
      "precedence",
      "Member must have value greater than or equal to 0",
    );
}

function requireGroup(deps: UserPoolDeps, body: Body): GroupRow {
  const pool = requirePool(deps, str(body, "UserPoolId", true));
  const g = deps.repo.getGroup(pool.id, str(body, "GroupName", true));
  if (!g) throw new AwsError("ResourceNotFoundException", "Group not found.");
  return g;
}

/** A temporary password any default policy accepts: letters of each case, digits and a symbol. */
function temporaryPassword(): string {
  return `${randomBytes(9).toString("base64url")}aA1!`;
}
