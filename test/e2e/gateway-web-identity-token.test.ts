import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayConfig, send, signSmithy, startBackend, type TestBackend } from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { builtinToken } from "../helpers/oidc.js";
import { PETSTORE_CUSTOMER_ROLE } from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

describe("an API that forwards a web-identity session's original token to its backend", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend();
    const config = gatewayConfig(backend.url);
    const apis = (config.config as unknown as { apis: Record<string, unknown>[] }).apis;
    apis.push({ ...apis[0]!, id: "tokens", forwardWebIdentityToken: true, cors: undefined });
    fedsim = await startTestFedsim({ config });
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
  });

  it("hands the backend the token the caller's session came from, and never a client's own header", async () => {
    const token = await builtinToken(fedsim.url, "bob", "bob-password");
    const out = await anonymousSts(fedsim.url).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: PETSTORE_CUSTOMER_ROLE,
        RoleSessionName: "bob",
        WebIdentityToken: token,
      }),
    );
    const creds = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const call = async (api: string) => {
      const req = await signSmithy(
        fedsim.url,
        creds,
        {
          method: "GET",
          path: `/restapis/${api}/prod/_user_request_/pets`,
          headers: { "x-fedsim-web-identity-token": "forged.by.client" },
        },
        fedsim.clock.now(),
      );
      expect((await send(fedsim.url, req)).status).toBe(200);
      return backend.seen.at(-1)!.headers["x-fedsim-web-identity-token"];
    };
    expect(await call("tokens")).toBe(token);
    // An API without the option forwards nothing, and the client's copy is dropped either way.
    expect(await call("petstore")).toBeUndefined();
  });
});
