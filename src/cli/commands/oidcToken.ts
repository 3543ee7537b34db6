import type { Command } from "commander";
import { CliError, endpointOf } from "../client.js";
import { passwordFor } from "../password.js";

interface OidcTokenOptions {
  user: string;
  password?: string;
  audience?: string;
  endpoint?: string;
  accessToken?: boolean;
}

export function registerOidcToken(program: Command): void {
  const oidc = program.command("oidc").description("the built-in OpenID issuer at /oidc");
  oidc
    .command("token")
    .description(
      "print an ID token for a person from a running fedsim's built-in OpenID issuer (for aws sts assume-role-with-web-identity)",
    )
    .requiredOption("-u, --user <username>", "a person from identityProvider.people in the config")
    .option("-p, --password <password>", "their password (else FEDSIM_PASSWORD, else asked on a terminal)")
    .option(
      "-a, --audience <client-id>",
      "the client the token is for, one of oidc.clients with allowPasswordGrant (default: the first client)",
    )
    .option("--access-token", "print the access token instead of the ID token")
    .option("--endpoint <url>", "fedsim's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)")
    .addHelpText(
      "after",
      `
Example:
  aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/PetStoreAdmin \\
    --role-session-name alice \\
    --web-identity-token "$(fedsim oidc token --user alice --password alice-password)"

The token comes from POST /oidc/token with grant_type=password, which only clients with
allowPasswordGrant: true accept (petstore-web in the demo).

Exit codes: 0 printed, 1 fedsim unreachable or the sign-in refused, 2 no password given.`,
    )
    .action(async (opts: OidcTokenOptions) => {
      const password = await passwordFor(opts.user, opts.password);
      const endpoint = endpointOf(opts);
      const form = new URLSearchParams({ grant_type: "password", username: opts.user, password });
      if (opts.audience !== undefined) form.set("client_id", opts.audience);
      let res: Response;
      try {
        res = await fetch(`${endpoint}/oidc/token`, { method: "POST", body: form });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new CliError(
          `cannot reach fedsim at ${endpoint}${cause ? ` (${cause})` : ""}: is it running (fedsim start)? Set --endpoint or AWS_ENDPOINT_URL to its URL.`,
        );
      }
      const text = await res.text();
      let body: { id_token?: string; access_token?: string; error?: string; error_description?: string };
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(
          `fedsim at ${endpoint} answered ${res.status} without JSON: ${text.slice(0, 200)}`,
        );
      }
      if (!res.ok) {
        throw new CliError(
          `the issuer refused: ${body.error ?? res.status}${body.error_description ? `: ${body.error_description}` : ""}`,
        );
      }
      const token = opts.accessToken ? body.access_token : body.id_token;
      if (typeof token !== "string") throw new CliError(`fedsim at ${endpoint} answered no token`);
      process.stdout.write(`${token}\n`);
    });
}
