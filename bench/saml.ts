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
