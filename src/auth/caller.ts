import type { RoleRow } from "../store/roles.js";
import type { SessionRow } from "../store/sessions.js";
import type { UserRow } from "../store/users.js";

export type CallerKind = "user" | "root" | "assumed-role" | "federated-user";

/** The authenticated principal behind a signed request, with what policy evaluation needs. */
export interface Caller {
  kind: CallerKind;
  accountId: string;
  /** What GetCallerIdentity answers: user ARN, root ARN, assumed-role or federated-user ARN. */
  arn: string;
  /** AIDA... for users, the account id for root, AROA...:session for role sessions, account:name for federated users. */
  userId: string;
  accessKeyId: string;
  /** The IAM user (also behind GetSessionToken and GetFederationToken sessions). */
  user?: UserRow;
  /** The role behind an assumed-role session. */
  role?: RoleRow;
  /** Set when the request was signed with temporary credentials. */
  session?: SessionRow;
}
