import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { adminIdp, POOL } from "../helpers/userPool.js";

describe("ListUsers with Filter, Limit and PaginationToken through the real SDK", () => {
  let fedsim: TestFedsim;
  let admin: CognitoIdentityProviderClient;
  const names = async (Filter: string) =>
    (await admin.send(new ListUsersCommand({ UserPoolId: POOL, Filter }))).Users!.map((u) => u.Username);
  const refused = async (Filter: string) => {
    const e = await awsError(() => admin.send(new ListUsersCommand({ UserPoolId: POOL, Filter })));
    return [e.name, e.message];
  };

  beforeAll(async () => {
    fedsim = await startTestFedsim();
    admin = adminIdp(fedsim);
    for (const [Username, given] of [
      ["jon", "Jon"],
      ["jonas", "Jonas"],
      ["joan", "Joan"],
    ]) {
      // A second apart, so creation order (the list's) is not name order.
      fedsim.clock.advance(1_000);
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: POOL,
          Username,
          TemporaryPassword: "temporary-pass",
          UserAttributes: [{ Name: "given_name", Value: given! }],
        }),
      );
    }
    await admin.send(new AdminDisableUserCommand({ UserPoolId: POOL, Username: "joan" }));
  });
  afterAll(() => fedsim.stop());

  it("filters by exact value and by prefix on searchable attributes", async () => {
    expect(await names('email = "alice@petstore.example"')).toEqual(["alice"]);
    expect(await names('given_name ^= "Jon"')).toEqual(["jon", "jonas"]);
    expect(await names('username = "bob"')).toEqual(["bob"]);
    expect(await names('cognito:user_status = "force_change_password"')).toEqual(["jon", "jonas", "joan"]);
    expect(await names('status = "Disabled"')).toEqual(["joan"]);
    expect(await names('email ^= "nobody"')).toEqual([]);
  });

  it("refuses filters outside the grammar and attributes Cognito does not search", async () => {
    expect(await refused('email != "x"')).toEqual([
      "InvalidParameterException",
      "Error while parsing filter.",
    ]);
    expect(await refused("given_name = Jon")).toEqual([
      "InvalidParameterException",
      "Error while parsing filter.",
    ]);
    expect(await refused('custom:tier = "gold"')).toEqual([
      "InvalidParameterException",
      "Invalid search attribute: custom:tier",
    ]);
    const long = `name = "${"x".repeat(300)}"`;
    expect(await refused(long)).toEqual([
      "InvalidParameterException",
      `1 validation error detected: Value '${long}' at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256`,
    ]);
  });

  it("pages with Limit and PaginationToken, in creation order, and refuses a Limit over 60", async () => {
    const seen: string[] = [];
    let PaginationToken: string | undefined;
    let pages = 0;
    do {
      const out = await admin.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 2, PaginationToken }));
      expect(out.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...out.Users!.map((u) => u.Username!));
      PaginationToken = out.PaginationToken;
      pages++;
    } while (PaginationToken);
    expect(seen).toEqual(["alice", "bob", "jon", "jonas", "joan"]);
    expect(pages).toBe(3);
    const e = await awsError(() => admin.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 61 })));
    expect([e.name, e.message]).toEqual([
      "InvalidParameterException",
      "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    ]);
  });
});
