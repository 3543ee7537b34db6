import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Signs an AWS Query POST with the real smithy signer, returning headers ready to send. */
export async function signQuery(
  url: string,
  creds: Creds,
  body: string,
  service = "sts",
  region = "us-east-1",
) {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({ credentials: creds, region, service, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname,
      port: Number(port),
      path: "/",
      headers: {
        host: `${hostname}:${port}`,
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      },
      body,
    }),
  );
  return { headers: signed.headers as Record<string, string>, body };
}
