import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import aws4 from "aws4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Answer,
  type Creds,
  gatewayConfig,
  send,
  startBackend,
  type TestBackend,
} from "../gateway/helpers.js";
import { asCreds, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, PETSTORE_CUSTOMER_ROLE, REGION } from "../helpers/petstore.js";

const PETSTORE = "/restapis/petstore/prod/_user_request_";
const BOB = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/bob`;
const ARN = (tail: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:petstore/prod/${tail}`;

/**
 * botocore's own SigV4 signer (Debian's python3-botocore), in a child process: it prints the headers it
 * signed, and the test sends the request. It signs with the machine's clock.
 */
const BOTOCORE = `
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
a = json.loads(sys.argv[1])
req = AWSRequest(method=a["method"], url=a["url"], data=a.get("body") or None, headers=a.get("headers", {}))
SigV4Auth(Credentials(a["key"], a["secret"], a.get("token")), "execute-api", a["region"]).add_auth(req)
print(json.dumps(dict(req.headers.items())))
`;

describe("the gateway takes SigV4 from independent signers: aws4 and botocore, besides smithy", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  let bob: Creds;

  beforeAll(async () => {
    backend = await startBackend();
    fedsim = await startTestFedsim({ config: gatewayConfig(backend.url) });
    const sts = stsClient(fedsim, ADMIN);
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: PETSTORE_CUSTOMER_ROLE, RoleSessionName: "bob" }),
    );
    bob = asCreds(out.Credentials);
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
  });

  const host = () => new URL(fedsim.url).host;
  const reaching = async (fn: () => Promise<Answer>) => {
    const before = backend.seen.length;
    const answer = await fn();
    return { answer, seen: backend.seen.length > before ? backend.seen.at(-1) : undefined };
  };
  const expectDenied = (a: Answer, tail: string) => {
    expect(a.status).toBe(403);
    expect(a.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
    expect(JSON.parse(a.body)).toEqual({
      Message: `User: ${BOB} is not authorized to perform: execute-api:Invoke on resource: ${ARN(tail)}`,
    });
  };

  describe("aws4", () => {
    const sign = (method: string, path: string, body?: string, creds: Creds = bob) => {
      const signed = aws4.sign(
        {
          host: host(),
          method,
          path,
          service: "execute-api",
          region: REGION,
          body,
          // aws4 signs at this X-Amz-Date when given one: fedsim's test clock.
          headers: {
            "X-Amz-Date": fedsim.clock
              .now()
              .toISOString()
              .replace(/[:-]|\.\d{3}/g, ""),
            ...(body ? { "content-type": "application/json" } : {}),
          },
        },
        {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.sessionToken,
        },
      );
      return send(fedsim.url, { method, path, headers: signed.headers as Record<string, string>, body });
    };

    it("reaches the backend for a GET Bob's role allows, with his session in x-amzn-request-context", async () => {
      const { answer, seen } = await reaching(() => sign("GET", `${PETSTORE}/pets?limit=2`));
      expect(answer.status).toBe(200);
      const context = JSON.parse(seen!.headers["x-amzn-request-context"] as string) as {
        identity: { userArn: string; accessKey: string };
      };
      expect(context.identity).toMatchObject({ userArn: BOB, accessKey: bob.accessKeyId });
    });

    it("is denied a POST Bob's role does not allow, before the backend sees it", async () => {
      const { answer, seen } = await reaching(() => sign("POST", `${PETSTORE}/pets`, '{"name":"Rex"}'));
      expectDenied(answer, "POST/pets");
      expect(seen).toBeUndefined();
    });

    it("is refused when the body is not the one signed", async () => {
      const signed = aws4.sign(
        {
          host: host(),
          method: "POST",
          path: `${PETSTORE}/pets`,
          service: "execute-api",
          region: REGION,
          body: "{}",
          headers: {
            "X-Amz-Date": fedsim.clock
              .now()
              .toISOString()
              .replace(/[:-]|\.\d{3}/g, ""),
          },
        },
        ADMIN,
      );
      const answer = await send(fedsim.url, {
        method: "POST",
        path: `${PETSTORE}/pets`,
        headers: signed.headers as Record<string, string>,
        // As long as the signed body, so only the hash differs.
        body: "[]",
      });
      expect(answer.status).toBe(403);
      expect(answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
    });
  });

  describe("botocore SigV4Auth", () => {
    const sign = async (method: string, path: string, body?: string, creds: Creds = bob) => {
      // botocore signs with the machine's clock: fedsim's test clock must agree with it here.
      fedsim.clock.advance(Date.now() - fedsim.clock.now().getTime());
      const args = {
        method,
        url: `${fedsim.url}${path}`,
        body,
        headers: body ? { "content-type": "application/json" } : {},
        key: creds.accessKeyId,
        secret: creds.secretAccessKey,
        token: creds.sessionToken,
        region: REGION,
      };
      const { stdout } = await promisify(execFile)("python3", ["-c", BOTOCORE, JSON.stringify(args)], {
        encoding: "utf8",
      });
      const headers = JSON.parse(stdout) as Record<string, string>;
      return send(fedsim.url, { method, path, headers: { host: host(), ...headers }, body });
    };

    it("reaches the backend for a GET Bob's role allows", async () => {
      const { answer, seen } = await reaching(() => sign("GET", `${PETSTORE}/pets/7`));
      expect(answer.status).toBe(200);
      expect(seen!.url).toBe("/base/pets/7");
    });

    it("is denied a POST Bob's role does not allow", async () => {
      const { answer, seen } = await reaching(() => sign("POST", `${PETSTORE}/pets`, '{"name":"Rex"}'));
      expectDenied(answer, "POST/pets");
      expect(seen).toBeUndefined();
    });

    it("lets the admin user's POST through (AdministratorAccess)", async () => {
      const { answer, seen } = await reaching(() =>
        sign("POST", `${PETSTORE}/pets`, '{"name":"Rex"}', ADMIN),
      );
      expect(answer.status).toBe(200);
      expect(seen!.body).toBe('{"name":"Rex"}');
    });
  });
});
