import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { clientAddress, requestContext } from "../auth/requestContext.js";
import { recordRefusal } from "../authz/recordDecision.js";
import type { FedsimConfig, PersonConfig } from "../config/schema.js";
import { parseArn } from "../core/arn.js";
import { readAwsSamlAttributes } from "../core/saml/awsAttributes.js";
import { signInPartitionOf } from "../core/saml/constants.js";
import { idpMetadataXml } from "../core/saml/idpMetadataXml.js";
import { verifySamlResponse } from "../core/saml/verifyResponse.js";
import { MAX_USERNAME, plausibleUsername } from "../core/usernames.js";
import { AwsError, isAwsError } from "../errors.js";
import type { RoomDeps } from "../services/deps.js";
import { performAssumeRoleWithSaml } from "../services/sts/performAssumeRoleWithSaml.js";
import { providerMetadata } from "../services/sts/providerMetadata.js";
import { htmlSecurityHeaders } from "../web/securityHeaders.js";
import { findPerson, mintAssertion, PersonError } from "./assertionForPerson.js";
import { BUILTIN_IDP_ENTITY_ID } from "./constants.js";
import type { SigningKeys } from "./keys.js";
import { LoginThrottle } from "./loginThrottle.js";
import {
  autoPostPage,
  credentialsPage,
  errorPage,
  loginPage,
  PAGE_INLINE_CONTENT,
  rolePickerPage,
} from "./pages.js";

/**
 * The built-in test IdP (metadata, login, IdP-initiated SSO) and `/saml`, the local twin of
 * signin.aws.amazon.com/saml. Pages carry no CSRF tokens: this is a local testing tool whose accounts are
 * demo accounts, and AWS's own /saml endpoint takes a bare POST too.
 */
export function mountBuiltinIdp(
  app: Router,
  options: { deps: RoomDeps; config: FedsimConfig; keys: SigningKeys },
): void {
  const { deps, keys, config } = options;
  const form = express.urlencoded({ extended: false, limit: "256kb", parameterLimit: 10 });
  const securityHeaders = htmlSecurityHeaders(PAGE_INLINE_CONTENT);
  const html = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("Cache-Control", "no-store").set(securityHeaders).send(body);
  const throttle = new LoginThrottle({ enabled: deps.settings.loginLockout, clock: deps.clock });

  app.get("/idp/metadata", (_req, res) => {
    res.type("application/samlmetadata+xml").send(
      idpMetadataXml({
        entityId: BUILTIN_IDP_ENTITY_ID,
        certificatePem: keys.certificatePem,
        ssoUrl: `${deps.publicUrl}/idp/sso`,
      }),
    );
  });
  app.get(["/idp/login", "/idp/sso"], (_req, res) => html(res, 200, loginPage()));

  app.post("/idp/login", form, (req: Request, res: Response) => {
    const username = typeof req.body?.username === "string" ? req.body.username : "";
    const password = typeof req.body?.password === "string" ? req.body.password : "";
    const address = clientAddress(req);
    // No configured name is that long or holds control characters: refused before the throttle and the log
    // keep anything of it, so unsigned clients cannot fill either with what they send.
    if (!plausibleUsername(username))
      return html(res, 400, loginPage(`A username is at most ${MAX_USERNAME} printable characters.`));
    // Refused before the password is looked at: while locked, a right guess must not show as different.
    const wait = throttle.retryAfter(username, address);
    if (wait > 0) {
      res.set("Retry-After", String(wait));
      return html(
        res,
        429,
        loginPage(
          `Too many wrong passwords for this username from your address: try again in ${wait} second${wait === 1 ? "" : "s"}.`,
          username,
        ),
      );
    }
    let person: PersonConfig | undefined;
    try {
      person = findPerson(config, username);
    } catch {
      person = undefined;
    }
    // Compare digests so that the time taken says nothing about the password's length or prefix.
    const ok = person !== undefined && timingSafeEqual(sha256(password), sha256(person.password));
    if (!ok || !person) {
      throttle.failed(username, address);
      recordRefusal(
        deps.decisions,
        requestContext(req, {
          requestId: randomUUID(),
          door: "idp",
          now: deps.clock(),
          region: deps.settings.region,
        }),
        {
          service: "idp",
          principal: "anonymous",
          action: "idp:SignIn",
          resource: username || "(no username)",
        },
        "Wrong username or password at the built-in IdP's sign-in page.",
      );
      return html(res, 401, loginPage("Wrong username or password.", username));
    }
    throttle.succeeded(username, address);
    const assertion = mintAssertion({ config, person, keys, now: deps.clock() });
    return html(res, 200, autoPostPage("/saml", assertion));
  });

  app.post("/saml", form, (req: Request, res: Response) => {
    const samlResponse = typeof req.body?.SAMLResponse === "string" ? req.body.SAMLResponse : "";
    const ctx = requestContext(req, {
      requestId: randomUUID(),
      door: "saml",
      now: deps.clock(),
      region: deps.settings.region,
    });
    try {
      let roles: ReturnType<typeof rolesOf>;
      let index: number;
      try {
        if (!samlResponse) throw new AwsError("InvalidIdentityToken", "The form carries no SAMLResponse.");
        roles = rolesOf(deps, samlResponse);
        index = roleIndex(req.body?.roleIndex, roles.length);
        if (index !== -1 && !roles[index])
          throw new AwsError("ValidationError", "Choose one of the roles offered.");
      } catch (error) {
        // Refused before any role was tried: AssumeRoleWithSAML below records its own refusals.
        if (isAwsError(error))
          recordRefusal(
            deps.decisions,
            ctx,
            { service: "sts", principal: "anonymous", action: "sts:AssumeRoleWithSAML", resource: "*" },
            `${error.code}: ${error.message}`,
          );
        throw error;
      }
      if (index === -1)
        return html(
          res,
          200,
          rolePickerPage(
            samlResponse,
            roles.map((r) => ({ arn: r.roleArn, description: roleDescription(deps, r.roleArn) })),
          ),
        );
      const chosen = roles[index]!;
      const out = performAssumeRoleWithSaml(deps, ctx, {
        roleArn: chosen.roleArn,
        principalArn: chosen.principalArn,
        assertion: samlResponse,
        durationSeconds: undefined,
        policies: { arns: [] },
        consoleSignIn: true,
      });
      return html(
        res,
        200,
        credentialsPage(
          {
            arn: out.AssumedRoleUser.Arn,
            accessKeyId: out.Credentials.AccessKeyId,
            secretAccessKey: out.Credentials.SecretAccessKey,
            sessionToken: out.Credentials.SessionToken,
            expiration: out.Credentials.Expiration,
            endpoint: deps.publicUrl,
            region: deps.settings.region,
          },
          { apiUrl: firstApiUrl(config, deps.publicUrl) },
        ),
      );
    } catch (error) {
      if (isAwsError(error)) return html(res, error.status, errorPage(error.code, error.message));
      if (error instanceof PersonError) return html(res, 400, errorPage("ValidationError", error.message));
      console.error("fedsim: /saml failed:", error);
      return html(res, 500, errorPage("InternalFailure", "The sign-in could not be completed."));
    }
  });
}

/**
 * The role pairs a posted assertion offers, verified first (the sign-in page must not list roles from an
 * assertion nobody signed) against the provider its Role attribute names. AssumeRoleWithSAML verifies again.
 */
function rolesOf(deps: RoomDeps, samlResponse: string) {
  const providerArn = namedProvider(samlResponse);
  const provider = providerArn && deps.store.identityProviders.getSaml(providerArn);
  if (!provider)
    throw new AwsError("InvalidIdentityToken", "The assertion names no SAML provider known to this fedsim.");
  const metadata = providerMetadata(provider);
  const verified = verifySamlResponse(samlResponse, {
    trustedCertificates: metadata.signingCertificates,
    issuer: metadata.entityId,
    now: deps.clock(),
    partition: signInPartitionOf(providerArn),
    localSignInEndpoint: `${deps.publicUrl}/saml`,
  });
  return readAwsSamlAttributes(verified.attributes).roles;
}

/**
 * The picked role's position: absent means "show the picker" (-1), unless there is only one role. Only plain
 * digits count: Number() would also take "1e0", "0x1" or " 1".
 */
function roleIndex(value: unknown, roleCount: number): number {
  if (value === undefined) return roleCount === 1 ? 0 : -1;
  if (typeof value !== "string" || !/^\d+$/.test(value)) {
    throw new AwsError("ValidationError", "roleIndex must be the number of one of the roles offered.");
  }
  return Number(value);
}

/** The first SAML provider ARN in the (not yet verified) response: only to choose whose certificates to trust. */
function namedProvider(samlResponse: string): string | undefined {
  const xml = Buffer.from(samlResponse.slice(0, 400_000), "base64").toString("utf8");
  return /arn:aws(?:-cn|-us-gov)?:iam::\d{12}:saml-provider\/[\w.-]+/.exec(xml)?.[0];
}

/** The description the role has now (the config's, unless UpdateRole changed it), for the role picker. */
function roleDescription(deps: RoomDeps, roleArn: string): string | null {
  const arn = parseArn(roleArn);
  if (!arn?.resource.startsWith("role/")) return null;
  const name = arn.resource.slice(arn.resource.lastIndexOf("/") + 1);
  return deps.store.roles.findByName(arn.accountId, name)?.description ?? null;
}

/** The "try next" hint's gateway call: the first API's first route without path parameters. */
function firstApiUrl(config: FedsimConfig, publicUrl: string): string | undefined {
  for (const api of config.apis) {
    const route = api.routes.find((r) => !r.path.includes("{"));
    if (route && api.stages[0])
      return `${publicUrl}/restapis/${api.id}/${api.stages[0]}/_user_request_${route.path}`;
  }
  return undefined;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
