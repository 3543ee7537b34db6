import { parseRoleAttribute } from "../../../core/saml/awsAttributes.js";
import { AWS_ATTRIBUTE, signInPartitionOf } from "../../../core/saml/constants.js";
import { verifySamlResponse } from "../../../core/saml/verifyResponse.js";
import { isAwsError } from "../../../errors.js";
import type { SamlProviderRow } from "../../../store/identityProviders.js";
import { providerMetadata } from "../../sts/providerMetadata.js";
import { invalidLogin } from "../refusal.js";
import type { LoginVerifier } from "./types.js";

/**
 * A login from an IAM SAML provider, under its ARN, the value a base64 SAML Response: verified exactly as
 * AssumeRoleWithSAML verifies one (signature by a certificate of the provider's metadata, issuer, audience
 * and recipient the AWS sign-in endpoint, times, one assertion). Not spent as used: the SDKs present the same
 * login to GetId and then GetCredentialsForIdentity, and AWS accepts reuse within the validity window.
 * Loaded with the first SAML login, like AssumeRoleWithSAML's XML stack.
 */
export function samlLoginVerifier(provider: SamlProviderRow, publicUrl: string): LoginVerifier {
  return {
    async verify(token, _pool, now) {
      let attributes: Record<string, string[]>;
      let nameId: string;
      try {
        const metadata = providerMetadata(provider);
        const assertion = verifySamlResponse(token, {
          trustedCertificates: metadata.signingCertificates,
          issuer: metadata.entityId,
          now,
          partition: signInPartitionOf(provider.arn),
          localSignInEndpoint: `${publicUrl}/saml`,
        });
        attributes = assertion.attributes;
        nameId = assertion.nameId;
      } catch (error) {
        if (isAwsError(error))
          throw invalidLogin(
            error.code === "ExpiredTokenException" ? "Token expired." : "Couldn't verify signed token.",
            `${provider.arn}: ${error.message}`,
          );
        throw error;
      }
      let samlRoles: string[] = [];
      if (Object.hasOwn(attributes, AWS_ATTRIBUTE.role)) {
        try {
          samlRoles = parseRoleAttribute(attributes[AWS_ATTRIBUTE.role])
            .filter((pair) => pair.principalArn === provider.arn)
            .map((pair) => pair.roleArn);
        } catch (error) {
          if (isAwsError(error))
            throw invalidLogin("Couldn't verify signed token.", `${provider.arn}: ${error.message}`);
          throw error;
        }
      }
      return {
        kind: "provider",
        provider: provider.arn,
        subject: nameId,
        claims: new Map(Object.entries(attributes).map(([k, v]) => [k, v.length === 1 ? v[0] : [...v]])),
        amr: [provider.arn],
        samlRoles,
      };
    },
  };
}
