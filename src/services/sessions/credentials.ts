import { newAccessKeyId } from "../../core/accessKeyIds.js";
import { newSecretAccessKey, newSessionToken } from "../../core/ids.js";
import type { SessionRow } from "../../store/sessions.js";
import type { Store } from "../../store/store.js";

export type NewSession = Omit<SessionRow, "accessKeyId" | "secretAccessKey" | "sessionToken">;

/** Mints an ASIA key, secret and token for the session and persists it; returns the response's Credentials. */
export function issueCredentials(
  store: Store,
  session: NewSession,
): { row: SessionRow; xml: CredentialsXml } {
  const row: SessionRow = {
    ...session,
    accessKeyId: newAccessKeyId("ASIA", session.accountId),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
  };
  store.sessions.create(row);
  return { row, xml: credentialsXml(row) };
}

export interface CredentialsXml {
  [element: string]: string | Date;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export function credentialsXml(row: SessionRow): CredentialsXml {
  return {
    AccessKeyId: row.accessKeyId,
    SecretAccessKey: row.secretAccessKey,
    SessionToken: row.sessionToken,
    Expiration: new Date(row.expiresAt),
  };
}
