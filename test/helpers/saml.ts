import {
  AssumeRoleWithSAMLCommand,
  type AssumeRoleWithSAMLCommandOutput,
  STSClient,
} from "@aws-sdk/client-sts";
import { REGION, SAML_PROVIDER } from "./petstore.js";

/** AssumeRoleWithSAML is unsigned; the SDK still wants credentials, which it does not use for it. */
export function anonymousSts(url: string): STSClient {
  return new STSClient({
    region: REGION,
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
  });
}

/** AssumeRoleWithSAML through the real SDK, with the built-in provider unless another is named. */
export function assumeWithSaml(
  url: string,
  input: { RoleArn: string; SAMLAssertion: string; PrincipalArn?: string; DurationSeconds?: number },
): Promise<AssumeRoleWithSAMLCommandOutput> {
  return anonymousSts(url).send(new AssumeRoleWithSAMLCommand({ PrincipalArn: SAML_PROVIDER, ...input }));
}

/** Posts a SAML Response to fedsim's /saml sign-in page, as a browser would; returns the status and page. */
export async function postSamlSignIn(
  url: string,
  samlResponse: string,
  roleIndex = "0",
): Promise<{ status: number; page: string }> {
  const res = await fetch(`${url}/saml`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ SAMLResponse: samlResponse, roleIndex }).toString(),
  });
  return { status: res.status, page: await res.text() };
}
