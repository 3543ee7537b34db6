import { describe, expect, it } from "vitest";
import { discardDecisions } from "../../src/authz/decisionRecord.js";
import { generateSigningKey } from "../../src/core/oidc/signingKeys.js";
import {
  COGNITO_IDENTITY,
  COGNITO_IDENTITY_TARGET_PREFIX,
  COGNITO_IDP,
  COGNITO_IDP_TARGET_PREFIX,
} from "../../src/server/compose.js";
import { cognitoIdentityService } from "../../src/services/cognito-identity/index.js";
import { userPoolsRoom } from "../../src/services/cognito-idp/room.js";
import type { ServiceDeps } from "../../src/services/deps.js";
import { Store } from "../../src/store/store.js";

describe("the lazily loaded Cognito rooms", () => {
  it("are routed under the names and target prefixes the rooms give themselves", async () => {
    const store = Store.open(":memory:");
    const deps: ServiceDeps = {
      store,
      clock: () => new Date(),
      settings: { region: "us-east-1" } as ServiceDeps["settings"],
      publicUrl: "http://127.0.0.1:1",
    };
    const identity = cognitoIdentityService(deps, discardDecisions, {
      signingKey: await generateSigningKey("RS512"),
      logins: { oidcJwks: () => undefined },
    });
    const userPools = userPoolsRoom({ ...deps, decisions: discardDecisions }, "/nonexistent");
    expect([identity.name, identity.targetPrefix]).toEqual([
      COGNITO_IDENTITY,
      COGNITO_IDENTITY_TARGET_PREFIX,
    ]);
    expect([userPools.service.name, userPools.service.targetPrefix]).toEqual([
      COGNITO_IDP,
      COGNITO_IDP_TARGET_PREFIX,
    ]);
    store.close();
  });
});
