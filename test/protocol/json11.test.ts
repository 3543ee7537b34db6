/**
 * The AWS JSON 1.1 protocol (Cognito Identity's) driven by the real @aws-sdk/client-cognito-identity, before
 * any Cognito operation exists: two stand-in operations registered on the endpoint show that results are
 * read by the SDK, that errors arrive as the SDK's modeled exceptions through `__type`, and that signed
 * operations authenticate as Query ones do.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CognitoIdentityClient,
  DescribeIdentityPoolCommand,
  GetIdCommand,
} from "@aws-sdk/client-cognito-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discardDecisions } from "../../src/authz/decisionRecord.js";
import { loadConfigFile } from "../../src/config/load.js";
import { seedStore } from "../../src/config/seed.js";
import { AwsError } from "../../src/errors.js";
import { createAwsEndpoint } from "../../src/protocol/awsEndpoint.js";
import type { AnyJsonOperation } from "../../src/protocol/operation.js";
import { Store } from "../../src/store/store.js";
import { awsError } from "../helpers/fedsim.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

const getId: AnyJsonOperation = {
  target: "GetId",
  anonymous: true,
  input: (body) => body as { IdentityPoolId?: string },
  run: (_ctx, input: { IdentityPoolId?: string }) => {
    if (input.IdentityPoolId !== "us-east-1:11111111-2222-3333-4444-555555555555")
      throw new AwsError("ResourceNotFoundException", `IdentityPool '${input.IdentityPoolId}' not found.`);
    return { IdentityId: "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" };
  },
};
const describePool: AnyJsonOperation = {
  target: "DescribeIdentityPool",
  input: (body) => body as { IdentityPoolId: string },
  run: (ctx, input: { IdentityPoolId: string }) => ({
    IdentityPoolId: input.IdentityPoolId,
    IdentityPoolName: `described for ${ctx.caller.arn}`,
    AllowUnauthenticatedIdentities: true,
  }),
};

describe("AWS JSON 1.1 through the real Cognito Identity client", () => {
  let server: Server;
  let url: string;
  let store: Store;
  beforeAll(async () => {
    const loaded = loadConfigFile("data/petstore.yaml");
    store = Store.open(":memory:");
    seedStore(store, loaded, { now: Date.now(), builtinSamlMetadata: () => "" });
    const endpoint = createAwsEndpoint({
      store,
      clock: () => new Date(),
      region: loaded.config.region,
      decisions: discardDecisions,
      query: [],
      json: [
        {
          name: "cognito-identity",
          targetPrefix: "AWSCognitoIdentityService",
          operations: new Map<string, AnyJsonOperation>([
            ["GetId", getId],
            ["DescribeIdentityPool", describePool],
          ]),
        },
      ],
    });
    server = createServer((req, res) => void endpoint(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    store.close();
  });
  const client = (credentials = ADMIN) =>
    new CognitoIdentityClient({ region: REGION, endpoint: url, credentials, maxAttempts: 1 });

  it("returns a result the SDK reads", async () => {
    const out = await client().send(
      new GetIdCommand({ IdentityPoolId: "us-east-1:11111111-2222-3333-4444-555555555555" }),
    );
    expect(out.IdentityId).toBe("us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  });

  it("delivers an operation's error as the SDK's modeled exception, with its message", async () => {
    const error = await awsError(() =>
      client().send(new GetIdCommand({ IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000" })),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found.");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("authenticates signed operations: the caller reaches the operation, a bad signature never does", async () => {
    const out = await client().send(
      new DescribeIdentityPoolCommand({ IdentityPoolId: "us-east-1:11111111-2222-3333-4444-555555555555" }),
    );
    expect(out.IdentityPoolName).toBe("described for arn:aws:iam::123456789012:user/admin");
    const forged = await awsError(() =>
      client({ ...ADMIN, secretAccessKey: "not-the-secret-not-the-secret-not-the-sec" }).send(
        new DescribeIdentityPoolCommand({ IdentityPoolId: "us-east-1:11111111-2222-3333-4444-555555555555" }),
      ),
    );
    // JSON 1.1 services name the fault InvalidSignatureException (STS's and IAM's code is SignatureDoesNotMatch).
    expect(forged.name).toBe("InvalidSignatureException");
    expect(forged.$metadata.httpStatusCode).toBe(403);
  });
});
