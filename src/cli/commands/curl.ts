import type { Command } from "commander";
import { FedsimClientError } from "../../client/credentials.js";
import { loginViaSaml } from "../../client/samlLogin.js";
import type { SigningCredentials } from "../../core/sigv4/signRequest.js";
import { CliError, endpointOf, getJson } from "../client.js";
import { decisionColour, dim } from "../format.js";
import { callGateway, decidingStatement, decisionOf } from "../gatewayCall.js";
import { passwordFor } from "../password.js";

interface CurlOptions {
  request: string;
  data?: string;
  header: string[];
  as?: string;
  role?: string;
  password?: string;
  profile?: string;
  region?: string;
  endpoint?: string;
}

export function registerCurl(program: Command): void {
  program
    .command("curl")
    .argument("<url>", "a gateway URL, e.g. http://127.0.0.1:4566/restapis/petstore/prod/_user_request_/pets")
    .description(
      "sign (SigV4, execute-api) and send a request to the gateway; print the answer and the decision",
    )
    .option("-X, --request <method>", "the HTTP method", "GET")
    .option("-d, --data <body>", "the request body (sent as application/json unless -H says otherwise)")
    .option("-H, --header <line>", "an extra header, 'Name: value' (repeatable)", collect, [])
    .option(
      "--as <person>",
      "sign in this person through the built-in IdP (SAML) and sign with their session",
    )
    .option("-r, --role <name-or-arn>", "with --as: the role to take (default: the person's first)")
    .option(
      "--password <password>",
      "with --as: the password (else FEDSIM_PASSWORD, else asked on a terminal)",
    )
    .option(
      "--profile <name>",
      "only 'env': AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (the default without --as)",
    )
    .option("--region <region>", "the signing region (default: the running fedsim's)")
    .option(
      "--endpoint <url>",
      "fedsim's URL, for sign-in and the decision log (default: AWS_ENDPOINT_URL, else the URL's origin)",
    )
    .addHelpText(
      "after",
      `
Examples:
  fedsim curl --as bob --password bob-password http://127.0.0.1:4566/restapis/petstore/prod/_user_request_/pets
  fedsim curl -X POST -d '{"name":"Rex","type":"dog","price":10}' --as alice --role PetStoreAdmin \\
    http://127.0.0.1:4566/restapis/petstore/prod/_user_request_/pets
  eval "$(fedsim login bob)" && fedsim curl http://petstore.execute-api.localhost:4566/prod/pets

Without --as, the credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
(what \`fedsim login --format env\` exports); AWS shared credential files are not read.

Exit codes: 0 a 2xx answer, 1 any other answer (or fedsim unreachable, a refused sign-in), 2 usage.`,
    )
    .action(async (rawUrl: string, opts: CurlOptions) => {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        throw new CliError(`not a URL: ${rawUrl}`, 2);
      }
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new CliError(`not an http(s) URL: ${rawUrl}`, 2);
      if (opts.as !== undefined && opts.profile !== undefined)
        throw new CliError("give --as or --profile, not both", 2);
      if (opts.profile !== undefined && opts.profile !== "env")
        throw new CliError(
          `--profile ${opts.profile}: only 'env' (AWS_ACCESS_KEY_ID, ...) is supported; for a fedsim person use --as`,
          2,
        );
      const headers = parseHeaders(opts.header);
      const endpoint =
        opts.endpoint !== undefined || process.env.AWS_ENDPOINT_URL ? endpointOf(opts) : mainPort(url);
      const region = opts.region ?? (await getJson<{ region: string }>(endpoint, "/_fedsim/health")).region;
      const credentials = await credentialsFor(endpoint, opts);
      const reply = await callGateway(
        { method: opts.request.toUpperCase(), url, headers, body: opts.data },
        credentials,
        { region },
      );
      process.stdout.write(`HTTP ${reply.status}\n`);
      for (const [name, value] of Object.entries(reply.headers))
        for (const v of Array.isArray(value) ? value : [value])
          if (v !== undefined) console.log(`${name}: ${v}`);
      process.stdout.write(`\n${reply.body}${reply.body.endsWith("\n") || !reply.body ? "" : "\n"}`);
      const decision = await decisionOf(endpoint, reply.requestId).catch(() => undefined);
      if (decision) {
        const paint = decisionColour(decision.decision);
        console.log(`\n${paint(`decision: ${decision.decision}`)} ${dim(`for ${decision.principal}`)}`);
        console.log(`  resource:  ${decision.resource}`);
        console.log(`  statement: ${decidingStatement(decision)}`);
        console.log(`  reason:    ${decision.reason}`);
      } else console.log(dim("\n(no gateway decision recorded for this answer)"));
      if (reply.status < 200 || reply.status > 299) process.exitCode = 1;
    });
}

/** fedsim's main port behind a gateway URL: {apiId}.execute-api.localhost is loopback. */
function mainPort(url: URL): string {
  return url.hostname.endsWith(".localhost")
    ? `${url.protocol}//127.0.0.1${url.port ? `:${url.port}` : ""}`
    : url.origin;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseHeaders(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = colon === -1 ? "" : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new CliError(`-H '${line}': write a header as 'Name: value'`, 2);
    out[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

async function credentialsFor(endpoint: string, opts: CurlOptions): Promise<SigningCredentials> {
  if (opts.as !== undefined) {
    const password = await passwordFor(opts.as, opts.password);
    try {
      return await loginViaSaml({ endpoint, username: opts.as, password, role: opts.role });
    } catch (error) {
      if (error instanceof FedsimClientError) throw new CliError(error.message);
      throw error;
    }
  }
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new CliError(
      'no credentials: pass --as PERSON, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (eval "$(fedsim login bob)")',
      2,
    );
  return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN || undefined };
}
