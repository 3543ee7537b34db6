import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { PETSTORE_CUSTOMER_ROLE } from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

describe("the built-in issuer's access token is not an ID token", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("says typ at+jwt, and AssumeRoleWithWebIdentity refuses it (InvalidIdentityToken), logged", async () => {
    const res = await fetch(`${fedsim.url}/oidc/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", username: "bob", password: "bob-password" }),
    });
    const { access_token: accessToken, id_token: idToken } = (await res.json()) as {
      access_token: string;
      id_token: string;
    };
    const typ = (t: string) => JSON.parse(Buffer.from(t.split(".")[0]!, "base64url").toString()).typ;
    expect(typ(accessToken)).toBe("at+jwt");
    expect(typ(idToken)).toBe("JWT");
    const error = await awsError(() =>
      anonymousSts(fedsim.url).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: PETSTORE_CUSTOMER_ROLE,
          RoleSessionName: "bob",
          WebIdentityToken: accessToken,
        }),
      ),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.message).toBe(
      "The token is an OAuth access token (typ at+jwt); AssumeRoleWithWebIdentity takes an OpenID Connect ID token.",
    );
    const requestId = (error as unknown as { $metadata: { requestId: string } }).$metadata.requestId;
    expect(fedsim.decisions.query({ limit: 5, requestId })[0]).toMatchObject({ decision: "refused" });
  });

  it("takes a token read from a file with its trailing line break", async () => {
    const res = await fetch(`${fedsim.url}/oidc/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", username: "bob", password: "bob-password" }),
    });
    const { id_token: idToken } = (await res.json()) as { id_token: string };
    const out = await anonymousSts(fedsim.url).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: PETSTORE_CUSTOMER_ROLE,
        RoleSessionName: "bob",
        WebIdentityToken: `${idToken}\n`,
      }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bob");
  });
});
