import {
  readAwsSamlAttributes,
  samlSubjectType,
  samlTrustContext,
  selectRolePair,
} from "../../core/saml/awsAttributes.js";
import { samlNameQualifier } from "../../core/saml/trustContext.js";
import { verifySamlResponse } from "../../core/saml/verifyResponse.js";
import { AwsError } from "../../errors.js";
import { queryOperation, type RequestContext, type ServiceDeps } from "../operation.js";
import { type ContextValue, requestContextKeys } from "../requestContext.js";
import { providerMetadata } from "./providerMetadata.js";
import { issueRoleSession } from "./roleSession.js";
import { readSessionPolicies, resolveSessionPolicies } from "./sessionPolicies.js";
import { authorizeAssumeRole, findRoleForAssume, roleDuration } from "./trust.js";
import { roleArnParam, validationError } from "./validation.js";

const MAX_ASSERTION = 100_000;

/** AssumeRoleWithSAML: unsigned, as in AWS; the signed assertion is the credential. */
export function assumeRoleWithSaml(deps: ServiceDeps) {
  return queryOperation({
    action: "AssumeRoleWithSAML",
    anonymous: true,
    input: (p) => {
      const assertion = p.required("SAMLAssertion", "sAMLAssertion");
      if (assertion.length < 4)
        throw validationError(
          "sAMLAssertion",
          assertion,
          "Member must have length greater than or equal to 4",
        );
      if (assertion.length > MAX_ASSERTION) {
        throw validationError(
          "sAMLAssertion",
          assertion,
          `Member must have length less than or equal to ${MAX_ASSERTION}`,
        );
      }
      return {
        roleArn: roleArnParam(p.required("RoleArn")),
        principalArn: roleArnParam(p.required("PrincipalArn"), "principalArn"),
        assertion,
        durationSeconds: p.integer("DurationSeconds"),
        policies: readSessionPolicies(p),
      };
    },
    run: (ctx, input) => performAssumeRoleWithSaml(deps, ctx, input),
  });
}

export interface AssumeRoleWithSamlInput {
  roleArn: string;
  principalArn: string;
  /** The base64 SAML Response. */
  assertion: string;
  durationSeconds: number | undefined;
  policies: { inline?: string; arns: string[] };
}

/** The operation itself, also called by fedsim's /saml sign-in page. */
export function performAssumeRoleWithSaml(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: AssumeRoleWithSamlInput,
) {
  const now = ctx.now;
  const provider = deps.store.identityProviders.getSaml(input.principalArn);
  if (!provider)
    throw new AwsError("InvalidIdentityToken", `No SAML provider exists with the ARN ${input.principalArn}`);
  const metadata = providerMetadata(provider);
  const assertion = verifySamlResponse(input.assertion, {
    trustedCertificates: metadata.signingCertificates,
    issuer: metadata.entityId,
    now,
    recipients: [`${deps.baseUrl}/saml`],
  });
  if (deps.config.settings.rejectReplayedAssertions) {
    const fresh = deps.store.samlAssertions.remember(
      assertion.issuer,
      assertion.assertionId,
      assertion.notOnOrAfter.getTime(),
      now.getTime(),
    );
    if (!fresh)
      throw new AwsError(
        "InvalidIdentityToken",
        "The SAML assertion has already been used (replay rejected: rejectReplayedAssertions is on)",
      );
  }
  const attributes = readAwsSamlAttributes(assertion.attributes);
  selectRolePair(attributes.roles, input.roleArn, input.principalArn);
  const denied = () =>
    new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", { status: 403 });
  const role = findRoleForAssume(deps, input.roleArn, denied);

  const context: Record<string, ContextValue> = {
    ...requestContextKeys(ctx),
    ...samlTrustContext({ assertion, accountId: provider.accountId, providerName: provider.name }),
  };
  authorizeAssumeRole({
    role,
    action: "sts:AssumeRoleWithSAML",
    principal: {
      kind: "saml",
      arn: input.principalArn,
      accountId: provider.accountId,
      federatedProvider: input.principalArn,
    },
    tags: attributes.tags,
    transitiveTagKeys: attributes.transitiveTagKeys,
    sourceIdentity: attributes.sourceIdentity,
    context,
    denied: (action) => new AwsError("AccessDenied", `Not authorized to perform ${action}`, { status: 403 }),
  });
  const session = issueRoleSession(deps, {
    role,
    sessionName: attributes.roleSessionName,
    durationSeconds: roleDuration(role, input.durationSeconds, false),
    notAfter: assertion.sessionNotOnOrAfter,
    sessionPolicies: resolveSessionPolicies(deps, input.policies),
    tags: attributes.tags,
    transitiveTagKeys: attributes.transitiveTagKeys,
    sourceIdentity: attributes.sourceIdentity,
    chained: false,
    now,
  });
  return {
    ...session,
    Subject: assertion.nameId,
    SubjectType: samlSubjectType(assertion.nameIdFormat),
    Issuer: assertion.issuer,
    Audience: assertion.recipient,
    NameQualifier: samlNameQualifier(assertion.issuer, provider.accountId, provider.name),
  };
}
