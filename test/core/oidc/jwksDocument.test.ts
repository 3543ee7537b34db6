import { exportJWK } from "jose";
import { describe, expect, it } from "vitest";
import { jwksDocument } from "../../../src/core/oidc/jwksDocument.js";
import { es256, rs256 } from "./fixtures.js";

describe("jwksDocument", () => {
  it("publishes the public keys as given", () => {
    expect(jwksDocument([rs256.publicJwk, es256.publicJwk])).toEqual({
      keys: [rs256.publicJwk, es256.publicJwk],
    });
  });

  it.each([
    [
      "a key without kid",
      async () => [{ ...rs256.publicJwk, kid: undefined }],
      "jwksDocument: every key needs a kid",
    ],
    [
      "two keys under one kid",
      async () => [rs256.publicJwk, { ...es256.publicJwk, kid: rs256.kid }],
      `jwksDocument: two keys share kid ${rs256.kid}`,
    ],
    [
      "a private key",
      async () => [{ ...(await exportJWK(es256.privateKey)), kid: "leak" }],
      'jwksDocument: key leak has the private member "d"',
    ],
  ])("throws TypeError for %s", async (_name, keys, message) => {
    const jwks = await keys();
    expect(() => jwksDocument(jwks)).toThrow(new TypeError(message));
  });
});
