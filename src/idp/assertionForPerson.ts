import type { FedsimConfig, PersonConfig } from "../config/schema.js";
import { iamArn } from "../core/arn.js";
import { buildSamlResponseBase64 } from "../core/saml/buildResponse.js";
import { AWS_SAML_ENDPOINT } from "../core/saml/constants.js";
import { BUILTIN_IDP_ENTITY_ID } from "./constants.js";
import type { SigningKeys } from "./keys.js";

const ATTR = "https://aws.amazon.com/SAML/Attributes/";

/** The built-in IdP's people: who they are, which provider vouches for them, which roles they may take. */
export class PersonError extends Error {
  override readonly name = "PersonError";
}

export function findPerson(config: FedsimConfig, username: string): PersonConfig {
  const person = config.identityProvider.people.find((p) => p.username === username);
  if (!person) {
    const known = config.identityProvider.people.map((p) => p.username).join(", ") || "none";
    throw new PersonError(`No person named ${username} at the built-in IdP (configured: ${known})`);
  }
  return person;
}

export function builtinProviderArn(config: FedsimConfig): string {
  return `arn:aws:iam::${config.accounts[0]!.id}:saml-provider/${config.identityProvider.samlProviderName}`;
}

/**
 * Role names resolve to roles in the first account, with the role's path (arn:aws:iam::ACCOUNT:role/ci/Deploy):
 * the Role attribute must hold the role's real ARN, or AssumeRoleWithSAML finds no such role. ARNs are taken
 * as written.
 */
function roleArn(config: FedsimConfig, nameOrArn: string): string {
  if (nameOrArn.startsWith("arn:")) return nameOrArn;
  const account = config.accounts[0]!;
  const role = account.roles.find((r) => r.name === nameOrArn);
  return iamArn(account.id, "role", nameOrArn, role?.path ?? "/");
}

export function personRoleArns(config: FedsimConfig, person: PersonConfig): string[] {
  return person.roles.map((r) => roleArn(config, r));
}

/**
 * The SAML attributes AWS reads, for one person: a Role value per role (`roleArn,providerArn`), the username as
 * RoleSessionName, SessionDuration if configured, and the person's extra attributes (e.g. PrincipalTag:*).
 */
export function attributesForPerson(
  config: FedsimConfig,
  person: PersonConfig,
  onlyRole?: string,
): Record<string, string[]> {
  const provider = builtinProviderArn(config);
  let roles = personRoleArns(config, person);
  if (onlyRole !== undefined) {
    // A name (PetStoreAdmin), as the config lists roles, or an ARN.
    const wanted = roleArn(config, onlyRole);
    if (!roles.includes(wanted))
      throw new PersonError(
        `${person.username} may not assume ${onlyRole} (allowed: ${roles.join(", ") || "none"})`,
      );
    roles = [wanted];
  }
  const attributes: Record<string, string[]> = {
    [`${ATTR}Role`]: roles.map((r) => `${r},${provider}`),
    [`${ATTR}RoleSessionName`]: [person.username],
  };
  if (person.sessionDuration !== undefined)
    attributes[`${ATTR}SessionDuration`] = [String(person.sessionDuration)];
  for (const [name, value] of Object.entries(person.attributes))
    attributes[name] = Array.isArray(value) ? value : [value];
  return attributes;
}

/** A base64 SAML Response for the person, signed by the built-in IdP, addressed to AWS's sign-in endpoint. */
export function mintAssertion(input: {
  config: FedsimConfig;
  person: PersonConfig;
  keys: SigningKeys;
  now: Date;
  validForSeconds?: number;
  role?: string;
}): string {
  return buildSamlResponseBase64({
    issuer: BUILTIN_IDP_ENTITY_ID,
    privateKeyPem: input.keys.privateKeyPem,
    certificatePem: input.keys.certificatePem,
    nameId: input.person.email ?? input.person.username,
    recipient: AWS_SAML_ENDPOINT,
    attributes: attributesForPerson(input.config, input.person, input.role),
    now: input.now,
    validForSeconds: input.validForSeconds,
  });
}
