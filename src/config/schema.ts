import { z } from "zod";
import { oidcProviderName, oidcProviderUrlProblem } from "../core/oidc/providerName.js";
import { apiSchema, checkApis } from "./apis.js";
import { FEDSIM_OIDC_REFERENCE } from "./fedsimReference.js";
import { formatPath } from "./formatPath.js";
import { identityPoolIssues, identityPoolSchema } from "./identityPoolSchema.js";
import { userPoolConfig } from "./userPoolSchema.js";

export { FEDSIM_OIDC_REFERENCE, formatPath };

/** A policy document may be written inline as YAML/JSON structure or as a JSON string. */
const policyDocument = z.union([z.string().min(1), z.record(z.string(), z.unknown())]);
const accountId = z.string().regex(/^\d{12}$/, "a 12-digit AWS account id");
const iamName = z.string().regex(/^[\w+=,.@-]{1,64}$/, "1-64 characters of letters, digits and +=,.@_-");
const iamPath = z
  .string()
  .regex(/^\/([\x21-\x7e]*\/)?$/, "a path that starts and ends with /")
  .default("/");
const tags = z.record(z.string().min(1).max(128), z.string().max(256)).default({});
const arn = z.string().startsWith("arn:", "an ARN");

const DECISION_LOG_DEFAULTS = { enabled: true, maxRecords: 10_000, maxAgeSeconds: 86_400 };
const decisionLog = z
  .object({
    enabled: z.boolean().default(true),
    maxRecords: z.number().int().min(1).max(10_000_000).default(10_000),
    maxAgeSeconds: z.number().int().min(1).default(86_400),
  })
  .strict();

const accessKey = z
  .object({
    id: z.string().regex(/^AKIA[A-Z0-9]{16}$/, "an access key id: AKIA + 16 characters A-Z, 0-9"),
    secret: z.string().length(40, "a 40-character secret access key"),
  })
  .strict();

const user = z
  .object({
    name: iamName,
    path: iamPath,
    accessKeys: z.array(accessKey).default([]),
    inlinePolicies: z.record(iamName, policyDocument).default({}),
    attachedPolicies: z.array(arn).default([]),
    permissionsBoundary: arn.optional(),
    tags,
  })
  .strict();

const role = z
  .object({
    name: iamName,
    path: iamPath,
    // IAM's roleDescriptionType: TAB, LF, CR and the printable Latin-1 characters.
    description: z
      .string()
      .max(1000)
      .regex(/^[\t\n\r\x20-\x7e\xa1-\xff]*$/, "printable Latin-1 characters, tabs and line breaks")
      .optional(),
    assumeRolePolicy: policyDocument,
    maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
    inlinePolicies: z.record(iamName, policyDocument).default({}),
    attachedPolicies: z.array(arn).default([]),
    permissionsBoundary: arn.optional(),
    tags,
  })
  .strict();

const managedPolicy = z
  .object({
    name: iamName,
    path: iamPath,
    description: z.string().max(1000).optional(),
    document: policyDocument,
  })
  .strict();

const samlProvider = z
  .object({
    name: z.string().regex(/^[\w._-]{1,128}$/, "1-128 characters of letters, digits and ._-"),
    /** `builtin` uses the metadata of fedsim's own test IdP; otherwise IdP metadata XML, inline or from a file. */
    metadata: z.union([z.literal("builtin"), z.string().min(1)]).optional(),
    metadataFile: z.string().optional(),
  })
  .strict()
  .refine((p) => (p.metadata === undefined) !== (p.metadataFile === undefined), {
    message: "give exactly one of metadata or metadataFile",
  });

const oidcProvider = z
  .object({
    /** https://HOST[/PATH], http://127.0.0.1:PORT[/PATH] for a local issuer, or ${fedsim:oidc}. */
    url: z.string().superRefine((url, ctx) => {
      const problem = url === FEDSIM_OIDC_REFERENCE ? undefined : oidcProviderUrlProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: `${problem} (or write \${fedsim:oidc})` });
    }),
    clientIds: z.array(z.string().min(1)).default([]),
    thumbprints: z
      .array(z.string().regex(/^[0-9a-fA-F]{40}$/, "a 40-hex-digit SHA-1 thumbprint"))
      .default([]),
    /**
     * The issuer's signing keys, for an issuer fedsim cannot reach offline (accounts.google.com,
     * token.actions.githubusercontent.com, an EKS cluster): tokens are verified against these instead of the
     * JWKS its discovery document names.
     */
    jwks: z
      .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1, "at least one key") })
      .strict()
      .optional(),
  })
  .strict();

const account = z
  .object({
    id: accountId,
    alias: z.string().optional(),
    rootAccessKeys: z.array(accessKey).default([]),
    users: z.array(user).default([]),
    roles: z.array(role).default([]),
    policies: z.array(managedPolicy).default([]),
    samlProviders: z.array(samlProvider).default([]),
    oidcProviders: z.array(oidcProvider).default([]),
    /** Cognito identity pools (see identityPoolSchema.ts). */
    identityPools: z.array(identityPoolSchema).default([]),
    /** Cognito user pools (src/services/cognito-idp). */
    userPools: z.array(userPoolConfig).default([]),
  })
  .strict();

/** A person who can log in at the built-in test IdP. */
const person = z
  .object({
    username: z.string().regex(/^[\w.@+-]{1,64}$/, "1-64 characters of letters, digits and .@+-_"),
    password: z.string().min(1),
    email: z.string().optional(),
    displayName: z.string().optional(),
    /** Role ARNs, or names of roles in the first account; each paired with the built-in IdP's provider. */
    roles: z.array(z.string().min(1)).default([]),
    sessionDuration: z.number().int().min(900).max(43200).optional(),
    /** Extra SAML attributes, e.g. `https://aws.amazon.com/SAML/Attributes/PrincipalTag:team`. */
    attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
    /** The `groups` claim of the built-in OpenID issuer's tokens. */
    groups: z.array(z.string().min(1)).optional(),
    /** Extra claims of the built-in OpenID issuer's tokens, e.g. `https://aws.amazon.com/tags`. */
    claims: z
      .record(z.string().min(1), z.unknown())
      .superRefine((claims, ctx) => {
        for (const name of Object.keys(claims))
          if (RESERVED_CLAIMS.has(name))
            ctx.addIssue({
              code: "custom",
              path: [name],
              message: `${name} is set by the issuer itself and cannot be configured`,
            });
      })
      .optional(),
  })
  .strict();

/** Claims the built-in issuer sets for every token; a person's `claims` may not override them. */
const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "nbf",
  "auth_time",
  "nonce",
  "azp",
  "jti",
  "at_hash",
  "c_hash",
]);

/** A relying party of the built-in OpenID issuer (a public client: PKCE, no secret). */
const oidcClient = z
  .object({
    clientId: z.string().regex(/^[\x21-\x7e]{1,255}$/, "1-255 printable ASCII characters, no spaces"),
    /** Where /oidc/authorize may send the code, compared exactly (RFC 6749 3.1.2). */
    redirectUris: z
      .array(
        z.string().superRefine((uri, ctx) => {
          let ok = false;
          try {
            const url = new URL(uri);
            ok =
              (url.protocol === "http:" || url.protocol === "https:") &&
              url.hash === "" &&
              !uri.includes("#");
          } catch {}
          if (!ok) ctx.addIssue({ code: "custom", message: "an absolute http(s) URL without a fragment" });
        }),
      )
      .default([]),
    /** Lets POST /oidc/token take grant_type=password (for tests and `fedsim oidc token`). */
    allowPasswordGrant: z.boolean().default(false),
  })
  .strict();

const baseSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as us-east-1")
      .default("us-east-1"),
    settings: z
      .object({
        /** Authorise every signed IAM/STS call against the caller's policies (AWS behaviour). */
        enforcePolicies: z.boolean().default(true),
        /** One-time use of SAML assertion ids; off by default, as AWS accepts reuse within the validity window. */
        rejectReplayedAssertions: z.boolean().default(false),
        /**
         * Lock a username out from a source address after 5 wrong passwords in 15 minutes at the built-in IdP
         * (1 s, doubling up to 15 minutes). Off for a workshop room that shares one address and one demo password.
         */
        loginLockout: z.boolean().default(true),
        /** The decision log: every authorisation decision and refused federation, kept in SQLite, bounded. */
        decisionLog: decisionLog.default(DECISION_LOG_DEFAULTS),
      })
      .strict()
      .default({
        enforcePolicies: true,
        rejectReplayedAssertions: false,
        loginLockout: true,
        decisionLog: DECISION_LOG_DEFAULTS,
      }),
    accounts: z.array(account).min(1, "at least one account"),
    identityProvider: z
      .object({
        /** Name of the SAML provider (in the first account) whose metadata is the built-in IdP's. */
        samlProviderName: z.string().default("fedsim-idp"),
        people: z.array(person).default([]),
      })
      .strict()
      .default({ samlProviderName: "fedsim-idp", people: [] }),
    /** The built-in OpenID issuer at /oidc; its people are identityProvider.people. */
    oidc: z
      .object({ clients: z.array(oidcClient).default([]) })
      .strict()
      .default({ clients: [] }),
    /** APIs the gateway serves (src/gateway): stages, an HTTP backend, routes, resource policy, CORS. */
    apis: z.array(apiSchema).default([]),
  })
  .strict();

export const configSchema = baseSchema.superRefine((config, ctx) => {
  rejectDuplicates(config, ctx);
  checkApis(config, (path, message) => ctx.addIssue({ code: "custom", path, message }));
  identityPoolIssues(config, ctx);
  // The built-in IdP's people may only be given roles that exist, through a provider that exists: caught
  // here, with the field's path, rather than as an AccessDenied at sign-in.
  const first = config.accounts[0];
  if (!first || config.identityProvider.people.length === 0) return;
  if (!first.samlProviders.some((p) => p.name === config.identityProvider.samlProviderName)) {
    ctx.addIssue({
      code: "custom",
      path: ["identityProvider", "samlProviderName"],
      message: `no SAML provider named ${config.identityProvider.samlProviderName} in accounts[0].samlProviders`,
    });
  }
  const roles = new Set(first.roles.map((r) => r.name));
  config.identityProvider.people.forEach((person, i) => {
    person.roles.forEach((role, j) => {
      if (!role.startsWith("arn:") && !roles.has(role)) {
        ctx.addIssue({
          code: "custom",
          path: ["identityProvider", "people", i, "roles", j],
          message: `no role named ${role} in accounts[0].roles`,
        });
      }
    });
  });
});

type Path = (string | number)[];

/**
 * Names the store keeps unique, refused here rather than merged at seeding (where the second entry would
 * silently update the first). IAM user, role and policy names are unique within an account ignoring
 * case (AWS: "Names are not distinguished by case"); access key ids are unique everywhere.
 */
function rejectDuplicates(config: z.output<typeof baseSchema>, ctx: z.RefinementCtx): void {
  const check = (what: string, entries: [key: string, shown: string, path: Path][], note = "") => {
    const seen = new Map<string, Path>();
    for (const [key, shown, path] of entries) {
      const first = seen.get(key);
      if (first === undefined) seen.set(key, path);
      else
        ctx.addIssue({
          code: "custom",
          path,
          message: `duplicate ${what} ${shown}: already defined at ${formatPath(first)}${note}`,
        });
    }
  };
  const ignoringCase = " (IAM names are not distinguished by case)";
  check(
    "account id",
    config.accounts.map((a, i) => [a.id, a.id, ["accounts", i, "id"]]),
  );
  const keys: [string, string, Path][] = [];
  config.accounts.forEach((account, i) => {
    const at: Path = ["accounts", i];
    check(
      "user name",
      account.users.map((u, j) => [u.name.toLowerCase(), u.name, [...at, "users", j, "name"]]),
      ignoringCase,
    );
    check(
      "role name",
      account.roles.map((r, j) => [r.name.toLowerCase(), r.name, [...at, "roles", j, "name"]]),
      ignoringCase,
    );
    check(
      "managed policy name",
      account.policies.map((p, j) => [p.name.toLowerCase(), p.name, [...at, "policies", j, "name"]]),
      ignoringCase,
    );
    check(
      "SAML provider name",
      account.samlProviders.map((p, j) => [p.name, p.name, [...at, "samlProviders", j, "name"]]),
    );
    check(
      "OpenID Connect provider URL",
      account.oidcProviders.map((p, j) => [
        oidcProviderName(p.url),
        p.url,
        [...at, "oidcProviders", j, "url"],
      ]),
    );
    account.rootAccessKeys.forEach((k, j) => {
      keys.push([k.id, k.id, [...at, "rootAccessKeys", j, "id"]]);
    });
    account.users.forEach((u, j) => {
      u.accessKeys.forEach((k, n) => {
        keys.push([k.id, k.id, [...at, "users", j, "accessKeys", n, "id"]]);
      });
    });
  });
  check("access key id", keys);
  check(
    "OpenID client id",
    config.oidc.clients.map((c, i) => [c.clientId, c.clientId, ["oidc", "clients", i, "clientId"]]),
  );
  check(
    "person",
    config.identityProvider.people.map((p, i) => [
      p.username,
      p.username,
      ["identityProvider", "people", i, "username"],
    ]),
  );
}

export type FedsimConfig = z.output<typeof configSchema>;
export type AccountConfig = FedsimConfig["accounts"][number];
export type PersonConfig = FedsimConfig["identityProvider"]["people"][number];
