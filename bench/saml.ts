/** SAML Response verification throughput: one signed Assertion, verified in a closed loop. Prints figures; asserts nothing. */
import { buildSamlResponseBase64 } from "../src/core/saml/buildResponse.js";
import { generateSigningCertificate } from "../src/core/saml/certificates.js";
import { verifySamlResponse } from "../src/core/saml/verifyResponse.js";

const now = new Date();
const idp = await generateSigningCertificate({ commonName: "bench IdP", now });
const seconds = Number(process.env.BENCH_SECONDS ?? 3);

for (const [label, flags] of [
  ["assertion signed", { signAssertion: true, signResponse: false }],
  ["response + assertion signed", { signAssertion: true, signResponse: true }],
] as const) {
  const encoded = buildSamlResponseBase64({
    issuer: "https://idp.bench/",
    ...idp,
    nameId: "alice@example.com",
    recipient: "https://signin.aws.amazon.com/saml",
    attributes: {
      "https://aws.amazon.com/SAML/Attributes/Role": [
        "arn:aws:iam::123456789012:role/Admin,arn:aws:iam::123456789012:saml-provider/Bench",
      ],
      "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["alice"],
    },
    now,
    ...flags,
  });
  const options = { trustedCertificates: [idp.certificatePem], now };
  verifySamlResponse(encoded, options); // warm-up, and proof it verifies
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < seconds * 1000) {
    verifySamlResponse(encoded, options);
    count++;
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `${label}: ${(count / elapsed).toFixed(0)} verifications/s (${count} in ${elapsed.toFixed(1)} s, ${encoded.length} base64 chars)`,
  );
}

// AssumeRoleWithSAML over loopback against the compiled server: the assertion verified, the trust policy
// evaluated, the session persisted. One assertion re-sent, as saml2aws-style tools reuse one (AWS allows it).
{
  const { mkdtempSync, readFileSync, rmSync, existsSync } = await import("node:fs");
  const { spawnSync } = await import("node:child_process");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { closedLoop, freePort, startProcess } = await import("./lib.js");
  const { loadConfigFile } = await import("../src/config/load.js");
  const { findPerson, mintAssertion } = await import("../src/idp/assertionForPerson.js");
  if (!existsSync("dist/cli/index.js"))
    spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-saml-"));
  try {
    const port = await freePort();
    const server = await startProcess(
      process.execPath,
      [
        "dist/cli/index.js",
        "start",
        "--port",
        String(port),
        "--db",
        join(dir, "db.sqlite"),
        "--certs",
        join(dir, "certs"),
      ],
      port,
      "/_fedsim/health",
    );
    const { config } = loadConfigFile("data/petstore.yaml");
    const keys = {
      privateKeyPem: readFileSync(join(dir, "certs", "idp-signing.key"), "utf8"),
      certificatePem: readFileSync(join(dir, "certs", "idp-signing.pem"), "utf8"),
    };
    const assertion = mintAssertion({ config, person: findPerson(config, "alice"), keys, now: new Date() });
    const body = new URLSearchParams({
      Action: "AssumeRoleWithSAML",
      Version: "2011-06-15",
      RoleArn: "arn:aws:iam::123456789012:role/PetStoreAdmin",
      PrincipalArn: "arn:aws:iam::123456789012:saml-provider/fedsim-idp",
      SAMLAssertion: assertion,
    }).toString();
    const request = { headers: { "content-type": "application/x-www-form-urlencoded" }, body };
    await closedLoop(server.url, () => request, { seconds: 0.5, connections: 8 });
    const result = await closedLoop(server.url, () => request, { seconds, connections: 8 });
    const errors = result.errors ? ` (${result.errors} errors: ${result.firstError})` : "";
    console.log(
      `AssumeRoleWithSAML over loopback (8 connections): ${Math.round(result.perSecond).toLocaleString("en-US")} calls/s${errors}`,
    );
    await server.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
