import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN } from "../helpers/petstore.js";
import { queryError, rawRequest, signedQuery } from "../helpers/signedRequest.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("bad input gets a 4xx AWS-shaped error, never a 500 or a hang", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("answers MalformedQueryString for a form body with a bad percent-escape", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: FORM,
      body: "Action=GetCallerIdentity&Version=2011-06-15&X=%ZZ",
    });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^text\/xml/);
    expect(queryError(res.body)).toEqual({
      code: "MalformedQueryString",
      message: "Invalid percent-encoding in request parameters: '%ZZ'",
    });
  });

  it("answers RequestEntityTooLarge (413) for a body over 1 MiB", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: FORM,
      body: `Action=GetCallerIdentity&Pad=${"a".repeat(1024 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(queryError(res.body).code).toBe("RequestEntityTooLarge");
  });

  it("answers MissingAction when the Query request names no Action", async () => {
    const res = await rawRequest(fedsim.url, { headers: FORM, body: "Version=2011-06-15" });
    expect(res.status).toBe(400);
    expect(queryError(res.body)).toEqual({ code: "MissingAction", message: "Missing Action" });
  });

  it("answers MalformedQueryString for a Query POST that is not form-encoded", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: { "content-type": "application/json" },
      body: '{"Action":"GetCallerIdentity"}',
    });
    expect(res.status).toBe(400);
    expect(queryError(res.body).code).toBe("MalformedQueryString");
  });

  it("answers MissingAuthenticationToken (403) for an unsigned call that needs a signature", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: FORM,
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(res.status).toBe(403);
    expect(queryError(res.body)).toEqual({
      code: "MissingAuthenticationToken",
      message: "Request is missing Authentication Token",
    });
  });

  it("answers InvalidAction for an action STS does not have", async () => {
    const res = await signedQuery(fedsim.url, ADMIN, "Action=LaunchRockets&Version=2011-06-15");
    expect(res.status).toBe(400);
    expect(queryError(res.body)).toEqual({
      code: "InvalidAction",
      message: "Could not find operation LaunchRockets for version 2011-06-15",
    });
  });

  it("answers InvalidAction for a known action at an unknown API version", async () => {
    const res = await signedQuery(fedsim.url, ADMIN, "Action=GetCallerIdentity&Version=1999-01-01");
    expect(res.status).toBe(400);
    expect(queryError(res.body).code).toBe("InvalidAction");
  });

  it("answers RequestHeaderFieldsTooLarge (431) for an absurd header block", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: { ...FORM, "x-padding": "a".repeat(64 * 1024) },
      body: "Action=GetCallerIdentity",
    });
    expect(res.status).toBe(431);
    expect(queryError(res.body).code).toBe("RequestHeaderFieldsTooLarge");
  });

  it("answers SerializationException for an invalid JSON 1.1 body", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityService.GetId",
      },
      body: '{"IdentityPoolId": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers["x-amzn-errortype"]).toBe("SerializationException");
    expect(JSON.parse(res.body)).toEqual({
      __type: "SerializationException",
      message: "Request body is not valid JSON",
    });
  });

  it("answers SerializationException for a JSON body that is not an object", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityService.GetId",
      },
      body: "[1,2,3]",
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe("SerializationException");
  });

  it("names a JSON 1.1 service fedsim does not emulate, instead of an unknown operation", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "DynamoDB_20120810.DropAllTables",
      },
      body: "{}",
    });
    expect(res.status).toBe(501);
    expect(JSON.parse(res.body)).toEqual({
      __type: "NotImplemented",
      message:
        "fedsim does not emulate the AWS service 'DynamoDB_20120810' (X-Amz-Target DynamoDB_20120810.DropAllTables); it answers IAM (iam), STS (sts), Cognito Identity (cognito-identity) and Cognito user pools (cognito-idp) on this endpoint",
    });
  });

  it("answers IncompleteSignature for an Authorization header missing its parts", async () => {
    const res = await rawRequest(fedsim.url, {
      headers: {
        ...FORM,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request",
      },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(res.status).toBe(400);
    expect(queryError(res.body).code).toBe("IncompleteSignature");
  });

  it("answers a JSON 404 for paths fedsim does not serve", async () => {
    const res = await rawRequest(fedsim.url, { method: "GET", path: "/nope" });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).__type).toBe("NotFound");
  });

  it("answers health checks", async () => {
    const res = await rawRequest(fedsim.url, { method: "GET", path: "/_fedsim/health" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: "ok", accounts: ["123456789012"] });
  });
});
