/**
 * SigV4 verifications per second for a typical STS POST, warm signing-key cache. Run: npx tsx bench/sigv4.ts
 */

import { createHash } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { parseAuthorization } from "../src/core/sigv4/parseAuthorization.js";
import type { SignableRequest } from "../src/core/sigv4/types.js";
import { verifySignature } from "../src/core/sigv4/verifySignature.js";

const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const body =
  "Action=AssumeRole&Version=2011-06-15&RoleSessionName=bench&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FPetStoreAdmin";
const signer = new SignatureV4({ credentials, region: "us-east-1", service: "sts", sha256: Sha256 });
const signed = await signer.sign(
  new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: "/",
    headers: {
      host: "127.0.0.1:4566",
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "user-agent": "aws-sdk-js/3 bench",
    },
    body,
  }),
);
const rawHeaders = Object.entries(signed.headers).flat();
const request: SignableRequest = { method: "POST", path: "/", query: "", rawHeaders };
const now = new Date();

const N = 200_000;
const run = (n: number) => {
  for (let i = 0; i < n; i++) {
    const auth = parseAuthorization(request)!;
    const payloadHash = createHash("sha256").update(body).digest("hex");
    verifySignature(request, auth, {
      secretAccessKey: credentials.secretAccessKey,
      payloadHash,
      now,
      expectedService: "sts",
    });
  }
};
run(10_000);
const start = performance.now();
run(N);
const seconds = (performance.now() - start) / 1000;
console.log(
  `sigv4 verify (header auth, STS POST, body hashed, cached key): ${Math.round(N / seconds).toLocaleString("en-US")} verifications/s`,
);
