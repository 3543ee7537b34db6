import { requestContextKeys } from "../../authz/contextKeys.js";
import { parseArn } from "../../core/arn.js";
import type { RequestContext } from "../../protocol/operation.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { RoleRow } from "../../store/roles.js";
import type { Tag } from "../../store/tags.js";
import type { RoomDeps } from "../deps.js";
import { issueRoleSessionGrouped } from "../sessions/roleSession.js";
import { authorizeAssumeRole, roleArnOf } from "../sessions/trust.js";
import { epochSeconds } from "./operation.js";
import { alreadyRecorded, invalidPoolConfiguration } from "./refusal.js";

/** The principal Cognito Identity assumes roles as, and the session name AWS gives its credentials. */
export const COGNITO_PRINCIPAL = "cognito-identity.amazonaws.com";
export const SESSION_NAME = "CognitoIdentityCredentials";
/** GetCredentialsForIdentity's credentials last one hour. */
const SESSION_SECONDS = 3600;

const NO_SESSION_POLICIES = { arns: [], stored: [] };

/** The three keys a Cognito session is evaluated with, in its trust policy and in its later requests. */
export function cognitoKeys(pool: IdentityPoolRow, identityId: string, amr: readonly string[]) {
  return {
    "cognito-identity.amazonaws.com:aud": [pool.id],
    "cognito-identity.amazonaws.com:amr": [...amr],
    "cognito-identity.amazonaws.com:sub": [identityId],
  };
}

function findRole(deps: RoomDeps, roleArn: string): RoleRow | undefined {
  const arn = parseArn(roleArn);
  if (arn?.service !== "iam" || !arn.resource.startsWith("role/")) return undefined;
  const role = deps.store.roles.findByName(
    arn.accountId,
    arn.resource.slice(arn.resource.lastIndexOf("/") + 1),
  );
  return role && roleArnOf(role) === roleArn ? role : undefined;
}

export interface EnhancedFlowRequest {
  pool: IdentityPoolRow;
  identityId: string;
  roleArn: string;
  amr: readonly string[];
  tags: Tag[];
}

/**
 * GetCredentialsForIdentity's second half: Cognito assumes the chosen role on the identity's behalf, as
 * AssumeRoleWithWebIdentity by cognito-identity.amazonaws.com. The role's trust policy must allow it for this
 * pool (aud), this kind of login (amr) and identity (sub), and sts:TagSession when there are session tags;
 * anything else is AWS's InvalidIdentityPoolConfigurationException, never credentials. The trust evaluation
 * records itself in the decision log.
 */
export async function assumeRoleForIdentity(deps: RoomDeps, ctx: RequestContext, req: EnhancedFlowRequest) {
  const role = findRole(deps, req.roleArn);
  if (!role) throw invalidPoolConfiguration(`the role ${req.roleArn} does not exist`);
  const keys = cognitoKeys(req.pool, req.identityId, req.amr);
  authorizeAssumeRole({
    role,
    action: "sts:AssumeRoleWithWebIdentity",
    principal: {
      kind: "web-identity",
      arn: COGNITO_PRINCIPAL,
      accountId: req.pool.accountId,
      federatedProvider: COGNITO_PRINCIPAL,
    },
    tags: req.tags,
    transitiveTagKeys: [],
    context: { ...requestContextKeys(ctx), ...keys },
    denied: (action) =>
      alreadyRecorded(
        invalidPoolConfiguration(
          `the trust policy of ${req.roleArn} does not allow ${action} by ${COGNITO_PRINCIPAL} for identity pool ${req.pool.id}`,
        ),
      ),
    log: { decisions: deps.decisions, ctx, principal: req.identityId },
  });
  const session = await issueRoleSessionGrouped(deps, {
    role,
    sessionName: SESSION_NAME,
    durationSeconds: SESSION_SECONDS,
    sessionPolicies: NO_SESSION_POLICIES,
    tags: req.tags,
    transitiveTagKeys: [],
    chained: false,
    now: ctx.now,
    federationKeys: keys,
  });
  const c = session.Credentials;
  return {
    IdentityId: req.identityId,
    Credentials: {
      AccessKeyId: c.AccessKeyId,
      SecretKey: c.SecretAccessKey,
      SessionToken: c.SessionToken,
      Expiration: epochSeconds(c.Expiration.getTime()),
    },
  };
}
