import { AwsError } from "../../errors.js";

/** The standard attributes every user pool has (OpenID Connect's, as Cognito names them). */
const STANDARD = new Set([
  "address",
  "birthdate",
  "email",
  "email_verified",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "phone_number_verified",
  "picture",
  "preferred_username",
  "profile",
  "updated_at",
  "website",
  "zoneinfo",
]);

/**
 * Attributes a user sets for themself (SignUp, UpdateUserAttributes): the standard ones and `custom:` ones,
 * never `sub` (immutable) nor a name the pool does not have. Admin calls are not held to this.
 */
export function checkUserAttributes(attributes: ReadonlyMap<string, string>): void {
  for (const name of attributes.keys()) {
    if (name === "sub")
      throw new AwsError("InvalidParameterException", "Cannot modify an immutable attribute: sub");
    if (!STANDARD.has(name) && !/^custom:[\w-]{1,20}$/.test(name))
      throw new AwsError(
        "InvalidParameterException",
        `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`,
      );
  }
}
