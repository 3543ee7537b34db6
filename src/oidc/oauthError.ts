/** An OAuth 2.0 error (RFC 6749 §4.1.2.1 and §5.2): the code a client acts on, and a sentence for its developer. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "access_denied";

export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** 400, except invalid_client (401) and a locked-out sign-in (429). */
    readonly status = code === "invalid_client" ? 401 : 400,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }

  /** The token endpoint's JSON body. */
  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
