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
  const row = mintCredentials(session);
  store.sessions.create(row);
  return { row, xml: credentialsXml(row) };
}

/**
 * As issueCredentials, but the session is written in the store's group commit: resolves once it is
 * committed, so the caller still answers only with credentials any later request can use.
 */
export async function issueCredentialsGrouped(
  store: Store,
  session: NewSession,
): Promise<{ row: SessionRow; xml: CredentialsXml }> {
  const row = mintCredentials(session);
  await store.sessions.stage(row);
  return { row, xml: credentialsXml(row) };
}

function mintCredentials(session: NewSession): SessionRow {
  return {
    ...session,
    accessKeyId: newAccessKeyId("ASIA", session.accountId),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
  };
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
