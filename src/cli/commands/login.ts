import type { Command } from "commander";
import {
  chooseIdentityPool,
  chooseUserPoolClient,
  loginViaIdentityPool,
  loginViaUserPool,
} from "../../client/cognitoLogin.js";
import { FedsimClientError, type TemporaryCredentials } from "../../client/credentials.js";
import { loginViaOidc, roleArnIn } from "../../client/oidcLogin.js";
import { loginViaSaml } from "../../client/samlLogin.js";
import type { ServerStatus } from "../../server/adminRoutes.js";
import { CliError, endpointOf, getJson } from "../client.js";
import { passwordFor } from "../password.js";

type Format = "env" | "json" | "credential-process";
const VIAS = ["saml", "oidc", "identity-pool", "user-pool"] as const;

interface LoginOptions {
  via: string;
  role?: string;
  format: string;
  password?: string;
  endpoint?: string;
  durationSeconds?: string;
  identityPool?: string;
  userPool?: string;
  clientId?: string;
}

export function registerLogin(program: Command): void {
  program
    .command("login")
    .argument("<person>", "a person of the running fedsim's config (alice, bob, ...)")
    .description("sign a person in and print temporary AWS credentials for a role")
    .option(
      "--via <path>",
      `how to sign in: ${VIAS.join(", ")} (the built-in IdP's SAML; its OpenID issuer and AssumeRoleWithWebIdentity; that issuer's ID token at a Cognito identity pool; USER_PASSWORD_AUTH at a user pool, then its ID token at the identity pool)`,
      "saml",
    )
    .option(
      "-r, --role <name-or-arn>",
      "the role to take (default: the first the person may assume; for the Cognito paths, CustomRoleArn among the token's roles)",
    )
    .option(
      "--identity-pool <name-or-id>",
      "identity-pool and user-pool: which identity pool (default: the config's first)",
    )
    .option(
      "--user-pool <name-or-id>",
      "user-pool: which user pool (default: the first with a public USER_PASSWORD_AUTH client)",
    )
    .option(
      "--client-id <id-or-name>",
      "user-pool: which app client (default: its first public one allowing USER_PASSWORD_AUTH)",
    )
    .option("--format <format>", "env (export lines), json, or credential-process (for ~/.aws/config)", "env")
    .option("--password <password>", "the person's password (else FEDSIM_PASSWORD, else asked on a terminal)")
    .option("--duration-seconds <n>", "how long the credentials last (900 up to the role's maximum)")
    .option("--endpoint <url>", "fedsim's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)")
    .addHelpText(
      "after",
      `
Examples:
  eval "$(fedsim login alice --role PetStoreAdmin --password alice-password)" && aws sts get-caller-identity
  fedsim login bob --format json
  fedsim login alice --via identity-pool --password alice-password --format json
  fedsim login alice --via user-pool --role PetStoreAdmin --password alice-password
  # ~/.aws/config, for the AWS CLI, boto3 and the SDKs unchanged:
  #   [profile alice]
  #   credential_process = fedsim login alice --role PetStoreAdmin --format credential-process
  #   endpoint_url = http://127.0.0.1:4566
  # with FEDSIM_PASSWORD=alice-password in the environment

Exit codes: 0 signed in, 1 refused (wrong password, a role the person may not take) or fedsim unreachable,
2 usage (no password given and no terminal to ask on, an unknown --via, --format or pool, --duration-seconds
with a Cognito path: GetCredentialsForIdentity has no duration).`,
    )
    .action(async (person: string, opts: LoginOptions) => {
      if (!(VIAS as readonly string[]).includes(opts.via))
        throw new CliError(`unknown --via '${opts.via}': use ${VIAS.join(", ")}`, 2);
      if (!["env", "json", "credential-process"].includes(opts.format))
        throw new CliError(`unknown --format '${opts.format}': use env, json or credential-process`, 2);
      const duration = opts.durationSeconds === undefined ? undefined : Number(opts.durationSeconds);
      if (duration !== undefined && !Number.isInteger(duration))
        throw new CliError("--duration-seconds must be a whole number of seconds", 2);
      const cognito = opts.via === "identity-pool" || opts.via === "user-pool";
      if (cognito && duration !== undefined)
        throw new CliError(
          `--duration-seconds does not apply to --via ${opts.via}: Cognito's credentials last an hour`,
          2,
        );
      const endpoint = endpointOf(opts);
      const password = await passwordFor(person, opts.password);
      const { region, accounts } = await getJson<{ region: string; accounts: string[] }>(
        endpoint,
        "/_fedsim/health",
      );
      let credentials: TemporaryCredentials;
      try {
        if (cognito) {
          const status = await getJson<ServerStatus>(endpoint, "/_fedsim/status");
          const choice = {
            identityPool: opts.identityPool,
            userPool: opts.userPool,
            clientId: opts.clientId,
          };
          try {
            chooseIdentityPool(status, choice.identityPool);
            if (opts.via === "user-pool") chooseUserPoolClient(status, choice);
          } catch (error) {
            // A pool that is not there is a usage mistake, like an unknown --via.
            throw new CliError((error as Error).message, 2);
          }
          const login = opts.via === "identity-pool" ? loginViaIdentityPool : loginViaUserPool;
          credentials = await login({
            endpoint,
            region,
            username: person,
            password,
            pools: status,
            choice,
            customRoleArn: opts.role === undefined ? undefined : roleArnIn(accounts[0]!, opts.role),
          });
        } else if (opts.via === "oidc") {
          // A web identity names no role of its own: the person's first role unless --role says which.
          const role = opts.role ?? (await firstRoleOf(endpoint, person));
          credentials = await loginViaOidc({
            endpoint,
            username: person,
            password,
            roleArn: roleArnIn(accounts[0]!, role),
            durationSeconds: duration,
          });
        } else {
          credentials = await loginViaSaml({
            endpoint,
            username: person,
            password,
            role: opts.role,
            durationSeconds: duration,
          });
        }
      } catch (error) {
        if (error instanceof FedsimClientError) throw new CliError(error.message);
        throw error;
      }
      process.stdout.write(render(opts.format as Format, credentials, { region, endpoint }));
    });
}

async function firstRoleOf(endpoint: string, person: string): Promise<string> {
  const status = await getJson<{ people: { username: string; roles: string[] }[] }>(
    endpoint,
    "/_fedsim/status",
  );
  const role = status.people.find((p) => p.username === person)?.roles[0];
  if (role === undefined)
    throw new CliError(`${person} has no role in fedsim's config: name one with --role`);
  return role;
}

function render(
  format: Format,
  c: TemporaryCredentials,
  where: { region: string; endpoint: string },
): string {
  switch (format) {
    case "credential-process":
      // The shape the AWS CLI, boto3 and the SDKs read from a credential_process.
      return `${JSON.stringify({
        Version: 1,
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        SessionToken: c.sessionToken,
        Expiration: c.expiration.toISOString(),
      })}\n`;
    case "json":
      return `${JSON.stringify(
        {
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          SessionToken: c.sessionToken,
          Expiration: c.expiration.toISOString(),
          Arn: c.arn,
          Region: where.region,
          EndpointUrl: where.endpoint,
        },
        null,
        2,
      )}\n`;
    case "env": {
      const lines = [
        ["AWS_ACCESS_KEY_ID", c.accessKeyId],
        ["AWS_SECRET_ACCESS_KEY", c.secretAccessKey],
        ["AWS_SESSION_TOKEN", c.sessionToken],
        ["AWS_REGION", where.region],
        ["AWS_DEFAULT_REGION", where.region],
        ["AWS_ENDPOINT_URL", where.endpoint],
      ].map(([k, v]) => `export ${k}=${shellQuote(v!)}`);
      return `${lines.join("\n")}\n# ${c.arn}, until ${c.expiration.toISOString()}\n`;
    }
  }
}

/** Single-quoted for POSIX shells: eval "$(fedsim login ...)" must never run anything in a value. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
