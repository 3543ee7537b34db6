import { execFile } from "node:child_process";
import { request as httpRequest } from "node:http";
import { promisify } from "node:util";
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatAmzDate } from "../../src/core/sigv4/amzDate.js";
import { SIGNATURE_MISMATCH } from "../../src/core/sigv4/verifySignature.js";
import {
  type Answer,
  type Creds,
  gatewayConfig,
  PARTNER,
  presignSmithy,
  type Sent,
  STRANGER,
  send,
  sendRaw,
  signSmithy,
  startBackend,
  type TestBackend,
} from "../gateway/helpers.js";
import { asCreds, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import {
  ACCOUNT_ID,
  ADMIN,
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  REGION,
} from "../helpers/petstore.js";

const PETSTORE = "/restapis/petstore/prod/_user_request_";
const ARN = (api: string, tail: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${api}/prod/${tail}`;
const sessionArn = (role: string, session: string) =>
  `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/${session}`;

describe("the gateway: SigV4 and execute-api:Invoke in front of an HTTP backend", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  let hanging: TestBackend;

  beforeAll(async () => {
    backend = await startBackend();
    hanging = await startBackend();
    // This backend never answers: the gateway's timeout does.
    hanging.answer(() => {});
    const loaded = gatewayConfig(backend.url, [
      {
        id: "down",
        stages: ["prod"],
        backend: { type: "http", url: "http://127.0.0.1:1" },
        routes: [{ method: "GET", path: "/x", authorization: "NONE" }],
      },
      {
        id: "slow",
        stages: ["prod"],
        backend: { type: "http", url: hanging.url, timeoutMs: 100 },
        routes: [{ method: "GET", path: "/x", authorization: "NONE" }],
      },
    ]);
    fedsim = await startTestFedsim({ config: loaded });
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
    await hanging.close();
  });

  const now = () => fedsim.clock.now();
  const roleCreds = async (roleArn: string, session: string): Promise<Creds> => {
    const sts = stsClient(fedsim, ADMIN);
    // Signed at fedsim's time, which tests move on to show expiry.
    sts.config.systemClockOffset = now().getTime() - Date.now();
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: session }));
    return asCreds(out.Credentials);
  };
  const signed = async (creds: Creds, req: Sent) =>
    send(fedsim.url, await signSmithy(fedsim.url, creds, req, now()));
  const get = (path: string, headers: Record<string, string> = {}): Sent => ({
    method: "GET",
    path,
    headers,
  });
  const json = (a: Answer) => JSON.parse(a.body) as Record<string, string>;
  const expectRequestId = (a: Answer) => expect(a.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
  /** What the backend saw from the request `fn` makes, or undefined when it never reached it. */
  const reaching = async (fn: () => Promise<Answer>) => {
    const before = backend.seen.length;
    const answer = await fn();
    return { answer, seen: backend.seen.length > before ? backend.seen.at(-1) : undefined };
  };

  describe("independent signers", () => {
    it("accepts requests signed by curl --aws-sigv4 and decides them as the policies say", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      // curl signs with the machine's clock: fedsim's test clock must agree with it for this test.
      fedsim.clock.advance(Date.now() - now().getTime());
      // Asynchronously: fedsim answers from this very process.
      const curl = async (method: string, path: string) =>
        (
          await promisify(execFile)(
            "curl",
            [
              "-sS",
              "-X",
              method,
              "--aws-sigv4",
              `aws:amz:${REGION}:execute-api`,
              "--user",
              `${customer.accessKeyId}:${customer.secretAccessKey}`,
              "-H",
              `x-amz-security-token: ${customer.sessionToken}`,
              ...(method === "POST"
                ? ["-H", "content-type: application/json", "--data", '{"name":"Tom"}']
                : []),
              "-w",
              "\n%{http_code}",
              `${fedsim.url}${path}`,
            ],
            { encoding: "utf8" },
          )
        ).stdout;
      const ok = (await curl("GET", `${PETSTORE}/pets`)).split("\n");
      expect(ok.at(-1)).toBe("200");
      const refused = (await curl("POST", `${PETSTORE}/pets`)).split("\n");
      expect(refused.at(-1)).toBe("403");
      expect(JSON.parse(refused[0]!).Message).toBe(
        `User: ${sessionArn("PetStoreCustomer", "bob")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("petstore", "POST/pets")}`,
      );
    });
  });

  describe("allowed and denied as the policies say", () => {
    it("lets an admin-role session add a pet and refuses a customer-role session, with API Gateway's message", async () => {
      const admin = await roleCreds(PETSTORE_ADMIN_ROLE, "alice");
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const body = JSON.stringify({ name: "Rex", type: "dog", price: 12 });
      const post = {
        method: "POST",
        path: `${PETSTORE}/pets`,
        headers: { "content-type": "application/json" },
        body,
      };

      const added = await reaching(() => signed(admin, post));
      expect(added.answer.status).toBe(200);
      expectRequestId(added.answer);
      expect(added.seen).toMatchObject({ method: "POST", url: "/base/pets", body });

      const refused = await reaching(() => signed(customer, post));
      expect(refused.answer.status).toBe(403);
      expect(refused.answer.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
      expect(json(refused.answer)).toEqual({
        Message: `User: ${sessionArn("PetStoreCustomer", "bob")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("petstore", "POST/pets")}`,
      });
      expect(refused.seen).toBeUndefined();

      const listed = await signed(customer, get(`${PETSTORE}/pets/7`));
      expect(listed.status).toBe(200);
    });

    it("bounds a session by its session policy: the role allows GET /pets, the session only GET /pets/*", async () => {
      const sts = stsClient(fedsim, ADMIN);
      sts.config.systemClockOffset = now().getTime() - Date.now();
      const Policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "execute-api:Invoke",
            Resource: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:*/*/GET/pets/*`,
          },
        ],
      });
      const out = await sts.send(
        new AssumeRoleCommand({ RoleArn: PETSTORE_CUSTOMER_ROLE, RoleSessionName: "narrow", Policy }),
      );
      const narrow = asCreds(out.Credentials);
      expect((await signed(narrow, get(`${PETSTORE}/pets/3`))).status).toBe(200);
      const list = await signed(narrow, get(`${PETSTORE}/pets`));
      expect(list.status).toBe(403);
      const [record] = fedsim.decisions.query({
        limit: 10,
        requestId: list.headers["x-amzn-requestid"] as string,
      });
      expect(record?.reason).toBe(
        `User: ${sessionArn("PetStoreCustomer", "narrow")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("petstore", "GET/pets")} because no session policy allows the execute-api:Invoke action`,
      );
    });

    it("applies an IAM change to the very next request: a role policy put, then deleted", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "changing");
      const pet = get(`${PETSTORE}/pets/11`);
      expect((await signed(customer, pet)).status).toBe(200);

      const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
      iam.config.systemClockOffset = now().getTime() - Date.now();
      const deny = {
        RoleName: "PetStoreCustomer",
        PolicyName: "NoPet11",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "execute-api:Invoke", Resource: ARN("*", "GET/pets/11") }],
        }),
      };
      await iam.send(new PutRolePolicyCommand(deny));
      try {
        // The same session, signed again: its policies were remembered, and the write made them stale.
        const refused = await signed(customer, pet);
        expect(refused.status).toBe(403);
        expect(json(refused)).toEqual({
          Message: `User: ${sessionArn("PetStoreCustomer", "changing")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("petstore", "GET/pets/11")} with an explicit deny`,
        });
      } finally {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: deny.RoleName, PolicyName: deny.PolicyName }));
      }
      expect((await signed(customer, pet)).status).toBe(200);
    });

    it("refuses a session on its next request once its role is deleted, even recreated under the same name", async () => {
      const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
      iam.config.systemClockOffset = now().getTime() - Date.now();
      const RoleName = "ShortLived";
      const create = async () => {
        await iam.send(
          new CreateRoleCommand({
            RoleName,
            AssumeRolePolicyDocument: JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                  Action: "sts:AssumeRole",
                },
              ],
            }),
          }),
        );
        await iam.send(
          new AttachRolePolicyCommand({
            RoleName,
            PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreReadPets`,
          }),
        );
      };
      const remove = async () => {
        await iam.send(
          new DetachRolePolicyCommand({
            RoleName,
            PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreReadPets`,
          }),
        );
        await iam.send(new DeleteRoleCommand({ RoleName }));
      };
      await create();
      const old = await roleCreds(`arn:aws:iam::${ACCOUNT_ID}:role/${RoleName}`, "old");
      const pet = get(`${PETSTORE}/pets/12`);
      expect((await signed(old, pet)).status).toBe(200);
      await remove();
      const gone = await signed(old, pet);
      expect(gone.status).toBe(403);
      expect(json(gone)).toEqual({
        Message: `User: ${sessionArn(RoleName, "old")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("petstore", "GET/pets/12")}`,
      });
      await create();
      try {
        // Another role by the same name: the old session is still not its session.
        expect((await signed(old, pet)).status).toBe(403);
        const fresh = await roleCreds(`arn:aws:iam::${ACCOUNT_ID}:role/${RoleName}`, "fresh");
        expect((await signed(fresh, pet)).status).toBe(200);
      } finally {
        await remove();
      }
    });

    it("records the allow and the deny in the decision log, with the deciding statement", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const allowed = await signed(customer, get(`${PETSTORE}/pets`));
      const denied = await signed(customer, {
        method: "POST",
        path: `${PETSTORE}/pets`,
        headers: {},
        body: "{}",
      });
      const [allow] = fedsim.decisions.query({
        limit: 10,
        requestId: allowed.headers["x-amzn-requestid"] as string,
      });
      expect(allow).toMatchObject({
        door: "gateway",
        service: "execute-api",
        action: "execute-api:Invoke",
        principal: sessionArn("PetStoreCustomer", "bob"),
        resource: ARN("petstore", "GET/pets"),
        decision: "allow",
        reason: `Allowed by arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreReadPets, statement ReadPets.`,
        statements: [
          {
            policy: `arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreReadPets`,
            sid: "ReadPets",
            index: 0,
            effect: "Allow",
          },
        ],
      });
      const [deny] = fedsim.decisions.query({
        limit: 10,
        requestId: denied.headers["x-amzn-requestid"] as string,
      });
      expect(deny).toMatchObject({
        door: "gateway",
        decision: "implicit-deny",
        principal: sessionArn("PetStoreCustomer", "bob"),
        resource: ARN("petstore", "POST/pets"),
        reason: `User: ${sessionArn("PetStoreCustomer", "bob")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("petstore", "POST/pets")} because no identity-based policy allows the execute-api:Invoke action`,
        statements: [],
      });
    });

    it("answers an unsigned request to an AWS_IAM route, an unknown route and an unknown method with Missing Authentication Token", async () => {
      for (const req of [
        get(`${PETSTORE}/pets`),
        get(`${PETSTORE}/nothing-here`),
        { method: "DELETE", path: `${PETSTORE}/pets`, headers: {} },
      ]) {
        const { answer, seen } = await reaching(() => send(fedsim.url, req));
        expect(answer.status).toBe(403);
        expect(answer.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
        expect(json(answer)).toEqual({ message: "Missing Authentication Token" });
        expectRequestId(answer);
        expect(seen).toBeUndefined();
      }
    });

    it("forwards NONE routes without a signature", async () => {
      const { answer, seen } = await reaching(() => send(fedsim.url, get(`${PETSTORE}/public/a/b?x=1`)));
      expect(answer.status).toBe(200);
      expect(seen?.url).toBe("/base/public/a/b?x=1");
    });
  });

  describe("credentials and signatures refused as API Gateway refuses them", () => {
    it("refuses an unknown key and a wrong session token as an invalid security token", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      for (const creds of [
        { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x".repeat(40) },
        { ...customer, sessionToken: `${customer.sessionToken}x` },
      ]) {
        const answer = await signed(creds, get(`${PETSTORE}/pets`));
        expect(answer.status).toBe(403);
        expect(answer.headers["x-amzn-errortype"]).toBe("UnrecognizedClientException");
        expect(json(answer)).toEqual({ message: "The security token included in the request is invalid." });
      }
    });

    it("shows the canonical request and string to sign when the signature does not match", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const answer = await signed(
        { ...customer, secretAccessKey: "wrong".repeat(8) },
        get(`${PETSTORE}/pets?b=2&a=1`),
      );
      expect(answer.status).toBe(403);
      expect(answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
      const message = json(answer).message!;
      expect(
        message.startsWith(
          `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'GET\n/restapis/petstore/prod/_user_request_/pets\na=1&b=2\nhost:`,
        ),
      ).toBe(true);
      expect(message).toMatch(
        /'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}'\n$/,
      );
    });

    it("refuses a signature older than execute-api's 5-minute window", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const t = now().getTime();
      const old = await signSmithy(fedsim.url, customer, get(`${PETSTORE}/pets`), new Date(t - 6 * 60_000));
      const answer = await send(fedsim.url, old);
      expect(answer.status).toBe(403);
      expect(answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
      expect(json(answer)).toEqual({
        message: `Signature expired: ${formatAmzDate(t - 6 * 60_000)} is now earlier than ${formatAmzDate(t - 5 * 60_000)} (${formatAmzDate(t)} - 5 min.)`,
      });
    });

    it("serves a presigned URL until its X-Amz-Expires passes", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const url = await presignSmithy(fedsim.url, customer, get(`${PETSTORE}/pets/1`), now(), 60);
      expect(url.path).toContain("X-Amz-Signature=");
      const ok = await reaching(() => send(fedsim.url, url));
      expect(ok.answer.status).toBe(200);
      expect(ok.seen?.url.startsWith("/base/pets/1?")).toBe(true);
      fedsim.clock.advance(61_000);
      const late = await reaching(() => send(fedsim.url, url));
      expect(late.answer.status).toBe(403);
      expect(late.answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
      expect(json(late.answer)).toEqual({ message: "Request has expired." });
      expect(late.seen).toBeUndefined();
    });

    it("refuses a body changed after signing, and the backend never sees it", async () => {
      const admin = await roleCreds(PETSTORE_ADMIN_ROLE, "alice");
      const req = await signSmithy(
        fedsim.url,
        admin,
        { method: "POST", path: `${PETSTORE}/pets`, headers: {}, body: '{"price":12}' },
        now(),
      );
      const { answer, seen } = await reaching(() => send(fedsim.url, { ...req, body: '{"price":0.01}' }));
      expect(answer.status).toBe(403);
      expect(json(answer).message!.startsWith(SIGNATURE_MISMATCH)).toBe(true);
      expect(seen).toBeUndefined();
    });

    it("refuses a session once it has expired", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      fedsim.clock.advance(3601_000);
      const answer = await signed(customer, get(`${PETSTORE}/pets`));
      expect(answer.status).toBe(403);
      expect(answer.headers["x-amzn-errortype"]).toBe("ExpiredTokenException");
      expect(json(answer)).toEqual({ message: "The security token included in the request is expired" });
    });
  });

  describe("hard edges, refused with 400 before authentication", () => {
    it.each([
      ["a dot-dot segment", "/pets/../admin", "The request path has a '..' segment"],
      ["an encoded dot-dot segment", "/pets/%2e%2e/admin", "The request path has a '..' segment"],
      ["a dot segment", "/./pets", "The request path has a '.' segment"],
      ["an empty segment", "/pets//1", "The request path has an empty segment (// or a trailing /)"],
      ["an encoded slash", "/pets%2F1", "The request path holds an encoded slash (%2F)"],
      ["an encoded backslash", "/pets%5C1", "The request path holds an encoded backslash (%5C)"],
      ["a raw backslash", "/pets\\1", "The request path holds a backslash"],
      ["an encoded NUL", "/pets/1%00", "The request path holds an encoded NUL (%00)"],
      ["invalid UTF-8", "/pets/%C0%AF", "The request path is not valid UTF-8 once percent-decoded"],
    ])("refuses %s before looking at the signature", async (_name, apiPath, reason) => {
      const admin = await roleCreds(PETSTORE_ADMIN_ROLE, "alice");
      const req = await signSmithy(fedsim.url, admin, get(`${PETSTORE}${apiPath}`), now());
      // Signed for the path smithy normalised, not the one sent: a 403 would mean the signature was looked at first.
      const { answer, seen } = await reaching(() =>
        send(fedsim.url, { ...req, path: `${PETSTORE}${apiPath}` }),
      );
      expect(answer.status).toBe(400);
      expect(answer.headers["x-amzn-errortype"]).toBe("BadRequestException");
      expect(json(answer)).toEqual({ message: reason });
      expectRequestId(answer);
      expect(seen).toBeUndefined();
    });

    it.each([
      ["a second Host header", "Host: a\r\nHost: b\r\n", 400, "The request has more than one Host header"],
      [
        "a second Authorization header",
        "Host: a\r\nAuthorization: x\r\nAuthorization: y\r\n",
        400,
        "The request has more than one Authorization header",
      ],
      [
        "a second X-Amz-Date header",
        "Host: a\r\nX-Amz-Date: 1\r\nX-Amz-Date: 2\r\n",
        400,
        "The request has more than one X-Amz-Date header",
      ],
    ])("refuses %s", async (_name, headers, status, reason) => {
      const before = backend.seen.length;
      const answer = await sendRaw(
        fedsim.url,
        `GET ${PETSTORE}/public/x HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`,
      );
      expect(answer.status).toBe(status);
      expect(answer.text).toContain(JSON.stringify({ message: reason }));
      expect(answer.text.toLowerCase()).toContain("x-amzn-requestid:");
      expect(backend.seen.length).toBe(before);
    });

    it("refuses an HTTP/1.1 request without Host, and never lets an API's host reach fedsim's admin routes", async () => {
      const noHost = await sendRaw(
        fedsim.url,
        `GET ${PETSTORE}/public/x HTTP/1.1\r\nConnection: close\r\n\r\n`,
      );
      expect(noHost.status).toBe(400);
      expect(noHost.text).toContain(JSON.stringify({ message: "HTTP/1.1 requests must have a Host header" }));
      const { port } = new URL(fedsim.url);
      const admin = await send(
        fedsim.url,
        get("/_fedsim/decisions", { host: `petstore.execute-api.localhost:${port}` }),
      );
      expect(admin.status).toBe(403);
      expect(json(admin)).toEqual({ message: "Forbidden" });
      expect(admin.headers["x-fedsim-reason"]).toBe("API petstore has no stage _fedsim");
    });

    it("refuses oversized headers with 431 before the backend sees anything", async () => {
      const before = backend.seen.length;
      const answer = await sendRaw(
        fedsim.url,
        `GET ${PETSTORE}/public/x HTTP/1.1\r\nHost: a\r\nX-Big: ${"x".repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status).toBe(431);
      expect(backend.seen.length).toBe(before);
    });

    it("refuses request-smuggling shapes: Transfer-Encoding with Content-Length, obsolete line folding", async () => {
      const before = backend.seen.length;
      const smuggle = await sendRaw(
        fedsim.url,
        `POST ${PETSTORE}/public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET ${PETSTORE}/public/smuggled HTTP/1.1\r\nHost: a\r\n\r\n`,
      );
      expect(smuggle.status).toBe(400);
      const folded = await sendRaw(
        fedsim.url,
        `GET ${PETSTORE}/public/x HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n 2\r\n\r\n`,
      );
      expect(folded.status).toBe(400);
      expect(backend.seen.length).toBe(before);
    });

    it("does not let the Host header switch a path-style request to another API", async () => {
      const { hostname, port } = new URL(fedsim.url);
      const { answer, seen } = await reaching(() =>
        send(fedsim.url, get(`${PETSTORE}/public/x`, { host: `fortress.execute-api.localhost:${port}` })),
      );
      expect(hostname).toBe("127.0.0.1");
      expect(answer.status).toBe(400);
      expect(json(answer)).toEqual({
        message: "The Host header names API fortress but the path names API petstore",
      });
      expect(seen).toBeUndefined();
    });

    it("refuses a body over API Gateway's 10 MB limit with 413, declared or streamed", async () => {
      const declared = await sendRaw(
        fedsim.url,
        `POST ${PETSTORE}/public/x HTTP/1.1\r\nHost: a\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n`,
      );
      expect(declared.status).toBe(413);
      expect(declared.text).toContain('{"message":"Request Too Long"}');
      const before = backend.seen.length;
      const streamed = await send(fedsim.url, {
        method: "POST",
        path: `${PETSTORE}/public/x`,
        headers: { "transfer-encoding": "chunked" },
        body: "x".repeat(10 * 1024 * 1024 + 1),
      });
      expect(streamed.status).toBe(413);
      expectRequestId(streamed);
      expect(backend.seen.length).toBe(before);
    });
  });

  describe("what the backend receives", () => {
    it("gets the caller's identity in x-amzn-request-context, the path as sent and its own Host", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const { seen } = await reaching(() =>
        signed(customer, get(`${PETSTORE}/pets/hello%20world?x=1`, { "user-agent": "pet-client/1.0" })),
      );
      expect(seen?.url).toBe("/base/pets/hello%20world?x=1");
      expect(seen?.headers.host).toBe(new URL(backend.url).host);
      const context = JSON.parse(seen!.headers["x-amzn-request-context"] as string);
      expect(context).toMatchObject({
        accountId: ACCOUNT_ID,
        apiId: "petstore",
        stage: "prod",
        httpMethod: "GET",
        resourcePath: "/pets/{petId}",
        path: "/prod/pets/hello%20world",
        identity: {
          accountId: ACCOUNT_ID,
          caller: expect.stringMatching(/^AROA[A-Z2-7]{16}:bob$/),
          user: expect.stringMatching(/^AROA[A-Z2-7]{16}:bob$/),
          userArn: sessionArn("PetStoreCustomer", "bob"),
          accessKey: customer.accessKeyId,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          sourceIp: "127.0.0.1",
          userAgent: "pet-client/1.0",
        },
      });
    });

    it("never passes on forged identity headers or method overrides", async () => {
      const forged = JSON.stringify({ identity: { userArn: `arn:aws:iam::${ACCOUNT_ID}:user/admin` } });
      const { seen } = await reaching(() =>
        send(
          fedsim.url,
          get(`${PETSTORE}/public/x`, {
            "x-amzn-request-context": forged,
            "X-Amzn-Apigateway-Api-Id": "other",
            "x-forwarded-for": "10.0.0.1",
            "x-http-method-override": "DELETE",
            "x-http-method": "DELETE",
            "x-method-override": "DELETE",
            connection: "keep-alive, x-hop",
            "x-hop": "secret",
          }),
        ),
      );
      const names = seen!.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
      expect(names.filter((n) => n === "x-amzn-request-context")).toHaveLength(1);
      expect(JSON.parse(seen!.headers["x-amzn-request-context"] as string).identity).toMatchObject({
        userArn: null,
        caller: null,
        sourceIp: "127.0.0.1",
      });
      expect(seen!.headers["x-amzn-apigateway-api-id"]).toBe("petstore");
      expect(seen!.headers["x-forwarded-for"]).toBe("127.0.0.1");
      for (const dropped of ["x-http-method-override", "x-http-method", "x-method-override", "x-hop"])
        expect(names).not.toContain(dropped);
    });

    it("streams the backend's answer as it comes, without buffering it", async () => {
      let finish: () => void = () => {};
      backend.answer((_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first;");
        finish = () => res.end("second");
      });
      try {
        const { port } = new URL(fedsim.url);
        const text = await new Promise<string>((resolve, reject) => {
          const r = httpRequest({ host: "127.0.0.1", port, path: `${PETSTORE}/public/stream` }, (res) => {
            let out = "";
            res.on("data", (c: Buffer) => {
              out += c.toString();
              // The first chunk arrives while the backend is still holding the rest back.
              if (out === "first;") finish();
            });
            res.on("end", () => resolve(out));
          });
          r.on("error", reject);
          r.end();
        });
        expect(text).toBe("first;second");
      } finally {
        backend.answer(undefined);
      }
    });

    it("ends the client's connection when the backend stops mid-answer, so a truncated body is never taken for whole", async () => {
      backend.answer((_req, res) => {
        res.writeHead(200, { "content-length": "100" });
        // Once the head and some of the body are on the wire.
        res.write("partial", () => res.socket?.destroy());
      });
      try {
        await expect(send(fedsim.url, get(`${PETSTORE}/public/cut`))).rejects.toThrow(
          /aborted|socket hang up|ECONNRESET/,
        );
      } finally {
        backend.answer(undefined);
      }
    });

    it("answers 502 when the backend cannot be reached and 504 when it does not answer in time", async () => {
      const down = await send(fedsim.url, get("/restapis/down/prod/_user_request_/x"));
      expect(down.status).toBe(502);
      expect(json(down)).toEqual({ message: "Internal server error" });
      expect(down.headers["x-fedsim-reason"]).toContain("ECONNREFUSED");
      expectRequestId(down);
      const slow = await send(fedsim.url, get("/restapis/slow/prod/_user_request_/x"));
      expect(slow.status).toBe(504);
      expect(json(slow)).toEqual({ message: "Endpoint request timed out" });
      expect(slow.headers["x-fedsim-reason"]).toBe("The backend did not answer within 100 ms");
      expect(hanging.seen.length).toBe(1);
    });
  });

  describe("resource policies", () => {
    it("lets a resource policy denying the source IP win over an identity policy that allows", async () => {
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const { answer, seen } = await reaching(() =>
        signed(customer, get("/restapis/fortress/prod/_user_request_/pets")),
      );
      expect(answer.status).toBe(403);
      expect(json(answer)).toEqual({
        Message: `User: ${sessionArn("PetStoreCustomer", "bob")} is not authorized to perform: execute-api:Invoke on resource: ${ARN("fortress", "GET/pets")} with an explicit deny`,
      });
      expect(seen).toBeUndefined();
      const [record] = fedsim.decisions.query({
        limit: 10,
        requestId: answer.headers["x-amzn-requestid"] as string,
      });
      expect(record).toMatchObject({
        decision: "explicit-deny",
        statements: [{ policy: "fortress (resource policy)", sid: "NoLoopback", effect: "Deny" }],
      });
    });

    it("names the caller anonymous on a NONE route a resource policy refuses", async () => {
      const answer = await send(fedsim.url, get("/restapis/fortress/prod/_user_request_/open"));
      expect(answer.status).toBe(403);
      expect(json(answer)).toEqual({
        Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${ARN("fortress", "GET/open")} with an explicit deny`,
      });
    });

    it("lets a caller from another account in only when both its identity policy and the API's resource policy allow", async () => {
      const shared = "/restapis/shared/prod/_user_request_/items";
      expect((await signed(PARTNER, get(shared))).status).toBe(200);
      // The resource policy does not allow POST.
      const post = await signed(PARTNER, { method: "POST", path: shared, headers: {}, body: "{}" });
      expect(post.status).toBe(403);
      expect(json(post)).toEqual({
        Message: `User: arn:aws:iam::210987654321:user/partner is not authorized to perform: execute-api:Invoke on resource: ${ARN("shared", "POST/items")}`,
      });
      // The resource policy allows the account, but the stranger's own policies allow nothing.
      expect((await signed(STRANGER, get(shared))).status).toBe(403);
      // The pet-store API has no resource policy: nobody from another account gets in.
      expect((await signed(PARTNER, get(`${PETSTORE}/pets`))).status).toBe(403);
    });
  });

  describe("addressing and CORS", () => {
    it("serves the host style, {apiId}.execute-api.localhost, with the stage as the first segment", async () => {
      const { port } = new URL(fedsim.url);
      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const req = await signSmithy(
        fedsim.url,
        customer,
        get("/prod/pets", { host: `petstore.execute-api.localhost:${port}` }),
        now(),
      );
      const { answer, seen } = await reaching(() => send(fedsim.url, req));
      expect(answer.status).toBe(200);
      expect(seen?.url).toBe("/base/pets");
    });

    it("answers a CORS preflight without a signature and adds CORS headers to proxied answers", async () => {
      const preflight = await send(fedsim.url, {
        method: "OPTIONS",
        path: `${PETSTORE}/pets`,
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "Authorization, X-Amz-Date",
        },
      });
      expect(preflight.status).toBe(204);
      expectRequestId(preflight);
      expect(preflight.headers).toMatchObject({
        "access-control-allow-origin": "https://app.example",
        "access-control-allow-methods": "GET,POST",
        "access-control-allow-headers": "authorization,content-type,x-amz-date,x-amz-security-token",
        "access-control-max-age": "600",
      });
      const elsewhere = await send(fedsim.url, {
        method: "OPTIONS",
        path: `${PETSTORE}/pets`,
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(elsewhere.headers["access-control-allow-origin"]).toBeUndefined();

      const customer = await roleCreds(PETSTORE_CUSTOMER_ROLE, "bob");
      const proxied = await signed(customer, get(`${PETSTORE}/pets`, { origin: "https://app.example" }));
      expect(proxied.status).toBe(200);
      expect(proxied.headers["access-control-allow-origin"]).toBe("https://app.example");
      expect(proxied.headers["access-control-expose-headers"]).toBe("x-amzn-RequestId");
      const denied = await send(fedsim.url, get(`${PETSTORE}/pets`, { origin: "https://app.example" }));
      expect(denied.status).toBe(403);
      expect(denied.headers["access-control-allow-origin"]).toBe("https://app.example");
    });
  });
});
