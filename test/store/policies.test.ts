import { describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";

describe("managed policies in the store", () => {
  it("creates a policy and its first version together or not at all", () => {
    const store = Store.open(":memory:");
    store.accounts.upsert("111122223333", null, 1);
    const arn = "arn:aws:iam::111122223333:policy/Half";
    const row = {
      arn,
      id: "ANPAHALFHALFHALFHALF",
      accountId: "111122223333",
      name: "Half",
      path: "/",
      description: null,
      defaultVersionId: "v1",
      nextVersion: 2,
      createdAt: 1,
      updatedAt: 1,
    };
    // The version row fails (NOT NULL document) after the policy row was written: both are rolled back.
    expect(() => store.policies.createManaged(row, null as unknown as string)).toThrow(/NOT NULL/);
    expect(store.policies.getManaged(arn)).toBeUndefined();
    store.policies.createManaged(row, "{}");
    expect(store.policies.getVersion(arn, "v1")?.document).toBe("{}");
    store.close();
  });
});
