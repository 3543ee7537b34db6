import { describe, expect, it } from "vitest";
import { derivedPoolId, isCognitoId } from "../../../src/core/cognito/poolId.js";

describe("identity pool ids", () => {
  it("derives the same id from the same region, account and name, on every run", () => {
    const id = derivedPoolId("us-east-1", "123456789012", "PetStore");
    expect(id).toBe(derivedPoolId("us-east-1", "123456789012", "PetStore"));
    expect(id).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isCognitoId(id)).toBe(true);
  });

  it("derives different ids when any of region, account or name differs", () => {
    const ids = new Set([
      derivedPoolId("us-east-1", "123456789012", "PetStore"),
      derivedPoolId("eu-west-1", "123456789012", "PetStore"),
      derivedPoolId("us-east-1", "210987654321", "PetStore"),
      derivedPoolId("us-east-1", "123456789012", "Petstore"),
    ]);
    expect(ids.size).toBe(4);
  });

  it("checks AWS's pattern and length", () => {
    expect(isCognitoId("us-east-1:0000-ffff")).toBe(true);
    expect(isCognitoId("us-east-1:ABCD")).toBe(false);
    expect(isCognitoId("no-colon")).toBe(false);
    expect(isCognitoId(`us-east-1:${"0".repeat(46)}`)).toBe(false);
  });
});
