import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { promisify } from "node:util";
import { Sha256 } from "@aws-crypto/sha256-js";
import { GetRoleCommand, IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUniqueId } from "../../src/core/ids.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, ADMIN_ARN, REGION } from "../helpers/petstore.js";
import { queryError, rawRequest, signedQuery, signQuery } from "../helpers/signedRequest.js";

const PYTHON = "/usr/bin/python3";
const FORM = "application/x-www-form-urlencoded";
const GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15";
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const SIGNATURE_EXPIRED =
  /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/;

/**
 * Throws unless `xml` is a well-formed XML 1.0 document: every character, literal or referenced, is one
 * the Char production allows (what expat, and so boto3 and the AWS CLI, insist on), and the markup parses.
 */
function assertWellFormed(xml: string): void {
  const literal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(xml);
  if (literal)
    throw new Error(`character U+${literal[0].codePointAt(0)!.toString(16)} is not allowed in XML`);
  for (const [, ref] of xml.matchAll(/&#(x[0-9A-Fa-f]+|\d+);/g)) {
    const code = ref!.startsWith("x") ? Number.parseInt(ref!.slice(1), 16) : Number(ref);
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw new Error(`reference &#${ref}; names a character XML does not allow`);
  }
  const fail = (message: string) => {
    throw new Error(`not well-formed: ${message}`);
  };
  new DOMParser({ errorHandler: { warning: () => {}, error: fail, fatalError: fail } }).parseFromString(
    xml,
    "text/xml",
  );
}

/** Sends bytes on a fresh socket and reads until the server closes it (the request says Connection: close). */
function rawExchange(url: string, bytes: Buffer): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      resolve({
        status: Number(text.slice(9, 12)),
        head: text.slice(0, split),
        body: text.slice(split + 4),
      });
    });
    socket.end(bytes);
  });
}

function sign(
  url: string,
  options: { body?: string; region?: string; service?: string; headers?: Record<string, string> },
) {
  return signQuery(url, ADMIN, options.body ?? GET_CALLER_IDENTITY, options);
}

describe("every XML answer is well-formed, whatever the input or the stored data", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const storeRole = (name: string, description: string) =>
    fedsim.store.roles.create({
      id: newUniqueId("AROA"),
      accountId: ACCOUNT_ID,
      name,
      path: "/",
      description,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
      maxSessionDuration: 3600,
      permissionsBoundaryArn: null,
      tags: [],
      createdAt: fedsim.clock.now().getTime(),
    });

  it("echoes a RoleSessionName with a control character in a well-formed ValidationError", async () => {
    const res = await signedQuery(
      fedsim.url,
      ADMIN,
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(`arn:aws:iam::${ACCOUNT_ID}:role/PetStoreAdmin`)}&RoleSessionName=a%01b%0D`,
    );
    expect(res.status).toBe(400);
    assertWellFormed(res.body);
    expect(queryError(res.body).code).toBe("ValidationError");
    // The control character, which XML cannot carry, is shown as U+FFFD; CR travels as a reference.
    expect(res.body).toContain("a\uFFFDb&#xD;");
  });

  it("keeps GetRole and ListRoles parseable when a stored description holds control characters", async () => {
    storeRole("StoredControl", "x\u0001y\u001Fz\uFFFEq");
    const res = await signedQuery(
      fedsim.url,
      ADMIN,
      "Action=GetRole&Version=2010-05-08&RoleName=StoredControl",
      "iam",
    );
    expect(res.status).toBe(200);
    assertWellFormed(res.body);
    const list = await signedQuery(fedsim.url, ADMIN, "Action=ListRoles&Version=2010-05-08", "iam");
    assertWellFormed(list.body);

    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "StoredControl" }));
    expect(Role?.Description).toBe("x\uFFFDy\uFFFDz\uFFFDq");
    const { Roles } = await iam.send(new ListRolesCommand({}));
    expect(Roles?.map((r) => r.RoleName)).toContain("StoredControl");
  });

  it("returns CR, TAB and C1 characters in a description exactly as stored", async () => {
    storeRole("StoredWhitespace", "line one\r\nline\ttwo \u0085 \u2028 é");
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "StoredWhitespace" }));
    expect(Role?.Description).toBe("line one\r\nline\ttwo \u0085 \u2028 é");
  });

  it("answers boto3 (expat, a strict parser) for a role whose stored description holds \\x01", async () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing: install Debian's python3-boto3`).toBe(true);
    storeRole("StoredForBoto3", "a\u0001b");
    // Debian's boto3 predates AWS_ENDPOINT_URL: the endpoint is passed explicitly.
    const script = [
      "import boto3, json, sys",
      "iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1',",
      "    aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])",
      "role = iam.get_role(RoleName='StoredForBoto3')['Role']",
      "names = [r['RoleName'] for r in iam.list_roles()['Roles']]",
      "print(json.dumps({'description': role['Description'], 'listed': 'StoredForBoto3' in names}))",
    ].join("\n");
    const { stdout } = await promisify(execFile)(
      PYTHON,
      ["-c", script, fedsim.url, ADMIN.accessKeyId, ADMIN.secretAccessKey],
      { env: { PATH: process.env.PATH, HOME: fedsim.dir }, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ description: "a\uFFFDb", listed: true });
  });

  it("renders Query timestamps to the second, as AWS does", async () => {
    const res = await signedQuery(fedsim.url, ADMIN, "Action=GetSessionToken&Version=2011-06-15");
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expiration>/);
  });
});

describe("SigV4 details through the wire", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const wire = (
    signed: { headers: Record<string, string>; body?: unknown },
    encoding: BufferEncoding = "utf8",
  ) => {
    let head = "POST / HTTP/1.1\r\n";
    for (const [k, v] of Object.entries(signed.headers)) head += `${k}: ${v}\r\n`;
    const body = Buffer.from(String(signed.body));
    head += `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, encoding), body]);
  };

  it("verifies a signed header whose value is UTF-8, as boto3 sends it", async () => {
    // smithy signs the UTF-8 bytes of the value; sent as those bytes, the signature matches.
    const signed = await sign(fedsim.url, { headers: { "x-amz-meta-name": "café ☕" } });
    const res = await rawExchange(fedsim.url, wire(signed, "utf8"));
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<Arn>${ADMIN_ARN}</Arn>`);
  });

  it("refuses the same header sent as other bytes than were signed", async () => {
    const signed = await sign(fedsim.url, { headers: { "x-amz-meta-name": "café" } });
    const res = await rawExchange(fedsim.url, wire(signed, "latin1"));
    expect(res.status).toBe(403);
    expect(queryError(res.body).code).toBe("SignatureDoesNotMatch");
  });

  it("accepts IAM calls signed for the client's region, as SDKs sign them given an endpoint override", async () => {
    // At AWS the SDK signs IAM for its partition's region (us-east-1, cn-north-1, us-gov-west-1); pointed
    // at fedsim it signs for whatever region it is configured with, and must not be refused for that.
    for (const region of ["eu-west-1", "cn-north-1", "us-gov-west-1"]) {
      const iam = new IAMClient({ region, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
      const { Roles } = await iam.send(new ListRolesCommand({}));
      expect(
        Roles?.map((r) => r.RoleName),
        region,
      ).toContain("PetStoreAdmin");
    }
  });

  it("accepts STS calls scoped to any region, as STS's regional endpoints do", async () => {
    const sts = new STSClient({ region: "ap-southeast-2", endpoint: fedsim.url, credentials: ADMIN });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(ADMIN_ARN);
  });

  it("refuses a credential scope whose region is not a region name", async () => {
    for (const region of ["not-a-region", "US-EAST-1", "us_east_1"]) {
      const res = await rawExchange(fedsim.url, wire(await sign(fedsim.url, { region })));
      expect(res.status, region).toBe(403);
      expect(queryError(res.body)).toEqual({
        code: "SignatureDoesNotMatch",
        message: `Credential should be scoped to a valid region, not '${region}'. `,
      });
    }
  });

  it("refuses a body signed as UNSIGNED-PAYLOAD, which STS and IAM do not allow", async () => {
    // The body holds the Action and its parameters: were it left out of the signature, whoever saw the
    // request could send another call in its name. AWS (but S3) hashes the body it receives, so fails it.
    for (const service of ["sts", "iam"]) {
      const body = service === "sts" ? GET_CALLER_IDENTITY : "Action=ListRoles&Version=2010-05-08";
      const signed = await sign(fedsim.url, {
        service,
        body,
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      });
      const res = await rawExchange(fedsim.url, wire(signed));
      expect(res.status, service).toBe(403);
      expect(queryError(res.body), service).toEqual({
        code: "SignatureDoesNotMatch",
        message: SIGNATURE_MISMATCH,
      });
    }
    const rewritten = await sign(fedsim.url, { headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    rewritten.body = "Action=GetSessionToken&Version=2011-06-15";
    const res = await rawExchange(fedsim.url, wire(rewritten));
    expect(res.status).toBe(403);
    expect(queryError(res.body).code).toBe("SignatureDoesNotMatch");
  });

  it("reads a + in the URL query as the plus sign its signature covers, not as a space", async () => {
    // SigV4 canonicalises "+" and "%2B" alike (as %2B), so a proxy may swap one for the other without
    // breaking the signature: both must then read as "+", or the value used would not be the value signed.
    const { hostname, port, host } = new URL(fedsim.url);
    const query = {
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/PetStoreAdmin`,
      RoleSessionName: "a+b",
    };
    const signer = new SignatureV4({ credentials: ADMIN, region: REGION, service: "sts", sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname,
        port: Number(port),
        path: "/",
        query,
        headers: { host },
      }),
    );
    const encoded = Object.entries(query)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join("&");
    expect(encoded).toContain("RoleSessionName=a%2Bb");
    for (const path of [`/?${encoded}`, `/?${encoded.replace("%2B", "+")}`]) {
      const res = await rawRequest(fedsim.url, { method: "GET", path, headers: signed.headers });
      expect(res.status, path).toBe(200);
      expect(res.body, path).toContain(
        `<Arn>arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/a+b</Arn>`,
      );
    }
  });

  it("refuses a signed request whose Authorization header gives Signature twice, the valid one last", async () => {
    const signed = await sign(fedsim.url, {});
    const valid = signed.headers.authorization!;
    const authorization = valid.replace("Signature=", "Signature=bogus, Signature=");
    signed.headers.authorization = authorization;
    const res = await rawExchange(fedsim.url, wire(signed));
    expect(res.status).toBe(400);
    expect(queryError(res.body)).toEqual({
      code: "IncompleteSignature",
      message: `Authorization header has the 'Signature' parameter more than once. Authorization=${authorization.slice(0, 256)}`,
    });
    // The same request with the Signature once is the caller's own.
    signed.headers.authorization = valid;
    expect((await rawExchange(fedsim.url, wire(signed))).status).toBe(200);
  });

  it("refuses an X-Amz-Date that is no real time instead of rolling it over", async () => {
    const signed = await sign(fedsim.url, {});
    signed.headers["x-amz-date"] = "20261399T990000Z";
    signed.headers.authorization = signed.headers.authorization!.replace(
      /Credential=([^/]+)\/\d{8}\//,
      "Credential=$1/20261399/",
    );
    const res = await rawExchange(fedsim.url, wire(signed));
    expect(res.status).toBe(400);
    expect(queryError(res.body)).toEqual({
      code: "IncompleteSignature",
      message:
        "Date must be in ISO-8601 'basic format'. Got '20261399T990000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    });
  });
});

describe("presigned STS URLs live 15 minutes from X-Amz-Date, whatever X-Amz-Expires says (as STS)", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  /**
   * A GetCallerIdentity URL as EKS tokens carry it (x-k8s-aws-id signed), signed `ago` ms before now;
   * `unsigned` signs UNSIGNED-PAYLOAD in place of the (empty) body's hash, declared in the URL or not.
   */
  async function presigned(
    expiresIn: number,
    ago: number,
    unsigned?: "declared" | "undeclared",
  ): Promise<string> {
    const { hostname, port, host } = new URL(fedsim.url);
    const signer = new SignatureV4({ credentials: ADMIN, region: REGION, service: "sts", sha256: Sha256 });
    const signed = await signer.presign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname,
        port: Number(port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: {
          host,
          "x-k8s-aws-id": "petstore",
          ...(unsigned === "declared" ? { "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" } : {}),
        },
        // smithy signs UNSIGNED-PAYLOAD for a body it cannot hash (a stream), without saying so in the URL.
        body: unsigned === "undeclared" ? { stream: true } : undefined,
      }),
      { expiresIn, signingDate: new Date(fedsim.clock.now().getTime() - ago) },
    );
    return `/?${new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, "%20")}`;
  }

  it("accepts an EKS-style URL with X-Amz-Expires=60 five minutes after signing", async () => {
    const res = await rawRequest(fedsim.url, {
      method: "GET",
      path: await presigned(60, 5 * 60_000),
      headers: { "x-k8s-aws-id": "petstore" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<Arn>${ADMIN_ARN}</Arn>`);
  });

  it("refuses a 7-day URL three days after signing, with STS's Signature expired", async () => {
    const res = await rawRequest(fedsim.url, {
      method: "GET",
      path: await presigned(604_800, 3 * 86_400_000),
      headers: { "x-k8s-aws-id": "petstore" },
    });
    expect(res.status).toBe(403);
    const { code, message } = queryError(res.body);
    expect(code).toBe("SignatureDoesNotMatch");
    expect(message).toMatch(SIGNATURE_EXPIRED);
  });

  it("refuses a URL presigned over UNSIGNED-PAYLOAD, declared or not: STS signs the body's hash", async () => {
    for (const unsigned of ["declared", "undeclared"] as const) {
      const path = await presigned(60, 0, unsigned);
      expect(path.includes("X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"), unsigned).toBe(unsigned === "declared");
      const res = await rawRequest(fedsim.url, {
        method: "GET",
        path,
        headers: { "x-k8s-aws-id": "petstore" },
      });
      expect(res.status, unsigned).toBe(403);
      expect(queryError(res.body), unsigned).toEqual({
        code: "SignatureDoesNotMatch",
        message: SIGNATURE_MISMATCH,
      });
    }
  });

  it("still validates X-Amz-Expires as AWS does (1 to 604800)", async () => {
    const path = (await presigned(60, 0)).replace("X-Amz-Expires=60", "X-Amz-Expires=604801");
    const res = await rawRequest(fedsim.url, {
      method: "GET",
      path,
      headers: { "x-k8s-aws-id": "petstore" },
    });
    expect(res.status).toBe(400);
    expect(queryError(res.body)).toEqual({
      code: "IncompleteSignature",
      message: "X-Amz-Expires must be a whole number of seconds from 1 to 604800 (one week).",
    });
  });
});

describe("protocol-level errors", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("answers an HTTP/1.1 request without Host with an AWS-shaped 400, not a bare one", async () => {
    const body = GET_CALLER_IDENTITY;
    const res = await rawExchange(
      fedsim.url,
      Buffer.from(
        `POST / HTTP/1.1\r\ncontent-type: ${FORM}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      ),
    );
    expect(res.status).toBe(400);
    expect(res.head).toMatch(/content-type: text\/xml/i);
    expect(queryError(res.body)).toEqual({
      code: "MalformedQueryString",
      message: "HTTP/1.1 requests must have a Host header",
    });
  });

  it("answers a Query client at an unknown path with an XML ErrorResponse", async () => {
    const post = await rawRequest(fedsim.url, {
      path: "/nope",
      headers: { "content-type": FORM },
      body: GET_CALLER_IDENTITY,
    });
    expect(post.status).toBe(404);
    expect(post.headers["content-type"]).toMatch(/^text\/xml/);
    assertWellFormed(post.body);
    expect(queryError(post.body)).toEqual({ code: "NotFound", message: "No such fedsim endpoint" });
    const get = await rawRequest(fedsim.url, { method: "GET", path: `/nope?${GET_CALLER_IDENTITY}` });
    expect(get.status).toBe(404);
    expect(queryError(get.body).code).toBe("NotFound");
  });

  it("refuses a parameter given twice rather than picking one", async () => {
    const res = await signedQuery(fedsim.url, ADMIN, `${GET_CALLER_IDENTITY}&Action=GetSessionToken`);
    expect(res.status).toBe(400);
    expect(queryError(res.body)).toEqual({
      code: "MalformedQueryString",
      message: "Parameter 'Action' appears more than once in the request",
    });
    const both = await rawRequest(fedsim.url, {
      path: "/?Action=GetCallerIdentity",
      headers: { "content-type": FORM },
      body: "Action=AssumeRoleWithSAML&Version=2011-06-15",
    });
    expect(both.status).toBe(400);
    expect(queryError(both.body).message).toBe("Parameter 'Action' appears more than once in the request");
  });
});

describe("the AWS API endpoint refuses an HTTP/1.1 request without Host, in the request's protocol", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("a Query call gets an XML ErrorResponse", async () => {
    const body = GET_CALLER_IDENTITY;
    const res = await rawExchange(
      fedsim.url,
      Buffer.from(
        `POST / HTTP/1.1\r\nContent-Type: ${FORM}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>MalformedQueryString</Code>");
    expect(res.body).toContain("<Message>HTTP/1.1 requests must have a Host header</Message>");
  });

  it("a JSON 1.1 call (X-Amz-Target) gets an AWS JSON error", async () => {
    const body = "{}";
    const res = await rawExchange(
      fedsim.url,
      Buffer.from(
        "POST /?x=1 HTTP/1.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityService.GetId\r\n" +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      ),
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      __type: "MalformedQueryString",
      message: "HTTP/1.1 requests must have a Host header",
    });
  });
});
