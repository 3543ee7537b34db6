import { assumedRoleArn, iamArn } from "../../core/arn.js";
import type { RoleRow } from "../../store/roles.js";
import type { Tag } from "../../store/tags.js";
import type { RoomDeps } from "../deps.js";
import {
  type CredentialsXml,
  issueCredentials,
  issueCredentialsGrouped,
  type NewSession,
} from "./credentials.js";
import { carriesPackedContent, checkPackedSize, packedPolicySize } from "./packedPolicySize.js";
import type { SessionPolicies } from "./sessionPolicies.js";

export interface RoleSessionRequest {
  role: RoleRow;
  sessionName: string;
  /** Already validated against the role's MaxSessionDuration (and the chaining cap). */
  durationSeconds: number;
  /** Hard stop from the IdP (SAML SessionNotOnOrAfter), if earlier than the duration. */
  notAfter?: Date;
  sessionPolicies: SessionPolicies;
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  chained: boolean;
  now: Date;
  /** The identity provider's condition keys, carried into the session's later requests. */
  federationKeys?: Record<string, string[]>;
  /** The verified web-identity token the session came from (AssumeRoleWithWebIdentity). */
  webIdentityToken?: string;
}

export type RoleSessionResult = {
  Credentials: CredentialsXml;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  SourceIdentity?: string;
};

/** Issues and stores the credentials of a role session; the result is the shared part of every AssumeRole* response. */
export function issueRoleSession(deps: RoomDeps, req: RoleSessionRequest): RoleSessionResult {
  const session = roleSession(req);
  return roleSessionResult(req, session, issueCredentials(deps.store, session.row).xml);
}

/**
 * As issueRoleSession, the session written in the store's group commit (resolves once it is committed):
 * for the operations whose throughput is measured, where one commit per session was a fifth of the cost.
 */
export async function issueRoleSessionGrouped(
  deps: RoomDeps,
  req: RoleSessionRequest,
): Promise<RoleSessionResult> {
  const session = roleSession(req);
  return roleSessionResult(req, session, (await issueCredentialsGrouped(deps.store, session.row)).xml);
}

interface PreparedSession {
  row: NewSession;
  packed: number;
}

function roleSession(req: RoleSessionRequest): PreparedSession {
  const packed = packedPolicySize(req.sessionPolicies, req.tags);
  checkPackedSize(packed);
  const arn = assumedRoleArn(req.role.accountId, req.role.name, req.sessionName);
  const userId = `${req.role.id}:${req.sessionName}`;
  let expiresAt = req.now.getTime() + req.durationSeconds * 1000;
  if (req.notAfter && req.notAfter.getTime() < expiresAt) expiresAt = req.notAfter.getTime();
  const row: NewSession = {
    accountId: req.role.accountId,
    kind: "assumed-role",
    principalArn: arn,
    userId,
    sourceId: req.role.id,
    roleArn: iamArn(req.role.accountId, "role", req.role.name, req.role.path),
    sessionName: req.sessionName,
    sessionPolicies: req.sessionPolicies.stored,
    tags: req.tags,
    transitiveTagKeys: req.transitiveTagKeys,
    sourceIdentity: req.sourceIdentity ?? null,
    chained: req.chained,
    issuedAt: req.now.getTime(),
    expiresAt,
    federationKeys: req.federationKeys,
    webIdentityToken: req.webIdentityToken,
  };
  return { row, packed };
}

function roleSessionResult(
  req: RoleSessionRequest,
  { row, packed }: PreparedSession,
  xml: CredentialsXml,
): RoleSessionResult {
  return {
    Credentials: xml,
    AssumedRoleUser: { AssumedRoleId: row.userId, Arn: row.principalArn },
    PackedPolicySize: carriesPackedContent(req.sessionPolicies, req.tags) ? packed : undefined,
    SourceIdentity: req.sourceIdentity,
  };
}
