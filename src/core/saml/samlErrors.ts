import { AwsError } from "../../errors.js";

/**
 * The two failures STS answers for a SAML response. AWS documents one message per code at most
 * ("Response signature invalid", "Response has expired"); fedsim keeps that phrase first where it
 * knows it and adds the precise reason, so a developer sees why without guessing.
 */
export function invalidToken(message: string, cause?: unknown): AwsError {
  return new AwsError("InvalidIdentityToken", message, { status: 400, cause });
}

export function expiredToken(message: string): AwsError {
  return new AwsError("ExpiredTokenException", message, { status: 400 });
}
