import type { Command } from "commander";
import { FedsimClientError, type TemporaryCredentials } from "../../client/credentials.js";
import { loginViaSaml } from "../../client/samlLogin.js";
import type { SigningCredentials } from "../../core/sigv4/signRequest.js";
import { CliError, endpointOf, getJson } from "../client.js";
import { bold, dim, green, red } from "../format.js";
import {
  callGateway,
  decidingStatement,
  decisionOf,
  type GatewayReply,
  petstoreUrl,
  replyMessage,
} from "../gatewayCall.js";

interface DemoOptions {
  endpoint?: string;
}

/** One step of the story: who sends what, and the status (and message) the gateway must answer. */
interface Step {
  who: string;
  method: string;
  path: string;
  body?: string;
  credentials?: SigningCredentials;
  tamperedBody?: string;
  expected: number;
  expectedMessage?: string;
}

/** A signing key no account has: what Mallory makes up. */
const FORGED: SigningCredentials = {
  accessKeyId: "AKIAMALLORYFORGED000",
  secretAccessKey: "mallorymallorymallorymallorymallorymallo",
};

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "run the pet-store story through the gateway: Alice adds a pet, Bob is refused, Mallory's forgeries fail",
    )
    .option(
      "--endpoint <url>",
      "a running fedsim started with the pet-store config (default: a temporary one in this process)",
    )
    .addHelpText(
      "after",
      `
Examples:
  fedsim demo                                    a temporary fedsim (in-memory database), stopped afterwards
  fedsim demo --endpoint http://127.0.0.1:4566   against a running \`fedsim start\`

Each step prints who sent what, the expected and actual answer, and the statement that decided it (from the
decision log, by the answer's x-amzn-RequestId).

Exit codes: 0 every step answered as expected, 1 a step did not (or fedsim could not be reached or started).`,
    )
    .action(async (opts: DemoOptions) => {
      if (opts.endpoint !== undefined) {
        const ok = await runDemo(endpointOf(opts));
        if (!ok) process.exitCode = 1;
        return;
      }
      // Imported here so that the other commands load no server code.
      const { startFedsim } = await import("../../server/start.js");
      const { defaultConfig, stateFolder } = await import("../home.js");
      const server = await startFedsim({
        config: defaultConfig(),
        db: ":memory:",
        port: 0,
        certsDir: stateFolder({}).certs,
      });
      console.log(dim(`A temporary fedsim at ${server.url} (in-memory database)`));
      try {
        if (!(await runDemo(server.url))) process.exitCode = 1;
      } finally {
        await server.close();
      }
    });
}

/** Runs the story against fedsim at `endpoint`, prints the table; whether every step went as expected. */
export async function runDemo(endpoint: string): Promise<boolean> {
  const { region } = await getJson<{ region: string }>(endpoint, "/_fedsim/health");
  const alice = await signIn(endpoint, "alice", "alice-password", "PetStoreAdmin");
  const bob = await signIn(endpoint, "bob", "bob-password", "PetStoreCustomer");
  const aliceAccount = `/accounts/${encodeURIComponent(alice.userId ?? "unknown")}`;
  const pet = JSON.stringify({ name: "Biscuit", type: "dog", price: 99.5 });
  const steps: Step[] = [
    { who: "Alice (admin)", method: "POST", path: "/pets", body: pet, credentials: alice, expected: 200 },
    { who: "Bob (customer)", method: "GET", path: "/pets", credentials: bob, expected: 200 },
    {
      who: "Bob (customer)",
      method: "POST",
      path: "/pets",
      body: JSON.stringify({ name: "Sneaky", type: "cat", price: 1 }),
      credentials: bob,
      expected: 403,
      expectedMessage: "is not authorized to perform: execute-api:Invoke",
    },
    {
      who: "Bob (customer)",
      method: "GET",
      path: aliceAccount,
      credentials: bob,
      expected: 403,
      expectedMessage: "is not authorized to perform: execute-api:Invoke",
    },
    {
      who: "Bob (customer)",
      method: "PUT",
      path: aliceAccount,
      body: JSON.stringify({ address: "Bob's house" }),
      credentials: bob,
      expected: 403,
      expectedMessage: "is not authorized to perform: execute-api:Invoke",
    },
    { who: "Alice (admin)", method: "GET", path: aliceAccount, credentials: alice, expected: 200 },
    {
      who: "Alice (admin)",
      method: "PUT",
      path: aliceAccount,
      body: JSON.stringify({ address: "1 Kennel Lane" }),
      credentials: alice,
      expected: 200,
    },
    {
      who: "Mallory (unsigned)",
      method: "POST",
      path: "/pets",
      body: pet,
      expected: 403,
      expectedMessage: "Missing Authentication Token",
    },
    {
      who: "Mallory (forged key)",
      method: "POST",
      path: "/pets",
      body: pet,
      credentials: FORGED,
      expected: 403,
      expectedMessage: "The security token included in the request is invalid",
    },
    {
      who: "Mallory (tampered)",
      method: "POST",
      path: "/pets",
      body: pet,
      credentials: alice,
      // Alice's signed request, its price changed on the way.
      tamperedBody: pet.replace("99.5", "0.01"),
      expected: 403,
      expectedMessage: "The request signature we calculated does not match",
    },
  ];
  const rows: string[][] = [];
  let allOk = true;
  for (const [i, step] of steps.entries()) {
    const reply = await callGateway(
      { method: step.method, url: petstoreUrl(endpoint, step.path), body: step.body },
      step.credentials,
      { region },
      step.tamperedBody,
    );
    const ok = matches(step, reply);
    allOk &&= ok;
    const decision = await decisionOf(endpoint, reply.requestId);
    rows.push([
      String(i + 1),
      step.who,
      `${step.method} ${shorten(step.path)}${step.tamperedBody ? " (body changed)" : ""}`,
      clip(`${step.expected}${step.expectedMessage ? ` ${step.expectedMessage}` : ""}`, 45),
      clip(`${reply.status} ${reply.status < 300 ? "OK" : replyMessage(reply.body)}`, 45),
      clip(decidingStatement(decision), 80),
      ok ? "ok" : "MISMATCH",
    ]);
  }
  printTable(["step", "who", "request", "expected", "actual", "deciding statement", ""], rows);
  console.log(
    allOk ? green("Every step answered as expected.") : red("Some steps did not answer as expected."),
  );
  return allOk;
}

async function signIn(
  endpoint: string,
  username: string,
  password: string,
  role: string,
): Promise<TemporaryCredentials> {
  try {
    return await loginViaSaml({ endpoint, username, password, role });
  } catch (error) {
    if (error instanceof FedsimClientError)
      throw new CliError(
        `${username} could not sign in as ${role} (${error.message}): is fedsim running the pet-store config?`,
      );
    throw error;
  }
}

function matches(step: Step, reply: GatewayReply): boolean {
  if (reply.status !== step.expected) return false;
  return step.expectedMessage === undefined || replyMessage(reply.body).includes(step.expectedMessage);
}

/** Account ids are long (ROLE_ID:SESSION): the table shows their start. */
function shorten(path: string): string {
  return clip(path, 30);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd();
  console.log(bold(line(header)));
  for (const row of rows) {
    const text = line(row);
    console.log(row[row.length - 1] === "ok" ? text : red(text));
  }
}
