import { type ContextValue, requestContextKeys } from "../../authz/contextKeys.js";
import { recordRefusal } from "../../authz/recordDecision.js";
import {
  readAwsSamlAttributes,
  samlSubjectType,
  samlTrustContext,
  selectRolePair,
} from "../../core/saml/awsAttributes.js";
import { signInPartitionOf } from "../../core/saml/constants.js";
import { samlNameQualifier } from "../../core/saml/trustContext.js";
import { type VerifiedAssertion, verifySamlResponse } from "../../core/saml/verifyResponse.js";
import { AwsError, isAwsError } from "../../errors.js";
import type { RequestContext } from "../../protocol/operation.js";
import type { RoleRow } from "../../store/roles.js";
import type { RoomDeps } from "../deps.js";
import { issueRoleSession } from "../sessions/roleSession.js";
import { resolveSessionPolicies } from "../sessions/sessionPolicies.js";
import { authorizeAssumeRole, findRoleForAssume, roleDuration } from "../sessions/trust.js";
import { providerMetadata } from "./providerMetadata.js";

export interface AssumeRoleWithSamlInput {
  roleArn: string;
  principalArn: string;
  /** The base64 SAML Response. */
  assertion: string;
  durationSeconds: number | undefined;
  policies: { inline?: string; arns: string[] };
  /**
   * Console sign-in (fedsim's /saml): the session lasts for the assertion's SessionDuration attribute, as
   * AWS's console sign-in does, instead of DurationSeconds, which the AssumeRoleWithSAML API uses (it
   * ignores SessionDuration).
   */
  consoleSignIn?: boolean;
}

/**
 * The operation itself, also called by fedsim's /saml sign-in page. A refusal before the trust policy is
 * read (no provider, an assertion that does not verify, a role the assertion does not grant) goes to the
 * decision log with its precise reason; the trust evaluation records itself.
 */
export function performAssumeRoleWithSaml(
  deps: RoomDeps,
  ctx: RequestContext,
  input: AssumeRoleWithSamlInput,
) {
  const progress = { trustEvaluated: false };
  try {
    return assumeRoleWithVerifiedSaml(deps, ctx, input, progress);
  } catch (error) {
    if (isAwsError(error) && !deps.decisions.recorded?.(ctx.requestId))
      recordRefusal(
        deps.decisions,
        ctx,
        {
          service: "sts",
          principal: input.principalArn,
          action: "sts:AssumeRoleWithSAML",
          resource: input.roleArn,
        },
        `${error.code}: ${error.message}`,
      );
    throw error;
  }
}

function assumeRoleWithVerifiedSaml(
  deps: RoomDeps,
  ctx: RequestContext,
  input: AssumeRoleWithSamlInput,
  progress: { trustEvaluated: boolean },
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
    partition: signInPartitionOf(input.principalArn),
    localSignInEndpoint: `${deps.publicUrl}/saml`,
  });
  const attributes = readAwsSamlAttributes(assertion.attributes);
  selectRolePair(attributes.roles, input.roleArn, input.principalArn);
  const denied = () =>
    new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", { status: 403 });
  const role = findRoleForAssume(deps, input.roleArn, denied);

  const samlKeys = samlTrustContext({
    assertion,
    accountId: provider.accountId,
    providerName: provider.name,
  });
  const context: Record<string, ContextValue> = { ...requestContextKeys(ctx), ...samlKeys };
  progress.trustEvaluated = true;
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
    log: { decisions: deps.decisions, ctx, principal: input.principalArn },
  });
  const durationSeconds = input.consoleSignIn
    ? consoleDuration(role, attributes.sessionDuration)
    : roleDuration(role, input.durationSeconds, false);
  const sessionPolicies = resolveSessionPolicies(deps, input.policies, {
    accountId: role.accountId,
    kind: "role",
  });
  // The assertion is spent only with the session it buys: a call refused above (role not granted, trust
  // policy, bad duration) leaves it usable for the right role, and a failure below rolls both back.
  const session = deps.store.transaction(() => {
    if (deps.settings.rejectReplayedAssertions) spendAssertion(deps, assertion, now);
    return issueRoleSession(deps, {
      role,
      sessionName: attributes.roleSessionName,
      durationSeconds,
      notAfter: assertion.sessionNotOnOrAfter,
      sessionPolicies,
      tags: attributes.tags,
      transitiveTagKeys: attributes.transitiveTagKeys,
      sourceIdentity: attributes.sourceIdentity,
      chained: false,
      now,
      federationKeys: sessionFederationKeys(samlKeys),
    });
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

/**
 * The SAML keys the session's own requests carry, e.g. for arn:aws:s3:::home/${saml:namequalifier}/${saml:sub}
 * in the role's permission policy: only the three AWS documents for permission policies (and lists for
 * sts:AssumeRole when the session chains). SAML:aud, SAML:iss, SAML:doc and the eduPerson keys are for the
 * trust policy alone; a later request that carried them would match conditions that fail in AWS.
 */
function sessionFederationKeys(samlKeys: Record<string, string | string[]>): Record<string, string[]> {
  const keys: Record<string, string[]> = {};
  for (const key of ["SAML:namequalifier", "SAML:sub", "SAML:sub_type"]) {
    const value = samlKeys[key];
    if (value !== undefined) keys[key] = Array.isArray(value) ? value : [value];
  }
  return keys;
}

/** Records the assertion as used; a second use answers InvalidIdentityToken (only with rejectReplayedAssertions). */
function spendAssertion(deps: RoomDeps, assertion: VerifiedAssertion, now: Date): void {
  const fresh = deps.store.samlAssertions.remember(
    assertion.issuer,
    assertion.assertionId,
    assertion.replayRecordUntil.getTime(),
    now.getTime(),
  );
  if (!fresh) {
    throw new AwsError(
      "InvalidIdentityToken",
      "The SAML assertion has already been used (replay rejected: rejectReplayedAssertions is on)",
    );
  }
}

/**
 * Console sessions last for SessionDuration (default one hour, as AWS's console sign-in), at most the role's
 * MaxSessionDuration; SessionNotOnOrAfter still cuts them short (issueRoleSession's notAfter).
 */
function consoleDuration(role: RoleRow, sessionDuration: number | undefined): number {
  return Math.min(sessionDuration ?? 3600, role.maxSessionDuration);
}
