import { describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";

const role = (name: string, description: string | null = null) => ({
  id: `AROA${name.toUpperCase().padEnd(16, "X")}`,
  accountId: "111122223333",
  name,
  path: "/",
  description,
  assumeRolePolicy: '{"Version":"2012-10-17","Statement":[]}',
  maxSessionDuration: 3600,
  permissionsBoundaryArn: null,
  tags: [{ key: "team", value: "ops" }],
  createdAt: 1,
});

describe("cached reads of IAM entities", () => {
  it("answers a write at once: the next read sees it", () => {
    const store = Store.open(":memory:");
    store.accounts.upsert("111122223333", null, 1);
    store.roles.create(role("Reader"));
    expect(store.roles.findByName("111122223333", "reader")?.description).toBeNull();
    store.roles.save({ ...store.roles.findByName("111122223333", "Reader")!, description: "changed" });
    expect(store.roles.findByName("111122223333", "READER")?.description).toBe("changed");
    store.roles.delete(role("Reader").id);
    expect(store.roles.findByName("111122223333", "Reader")).toBeUndefined();
    store.close();
  });

  it("forgets what a rolled-back transaction wrote and read", () => {
    const store = Store.open(":memory:");
    store.accounts.upsert("111122223333", null, 1);
    expect(() =>
      store.transaction(() => {
        store.roles.create(role("Ghost"));
        expect(store.roles.findByName("111122223333", "Ghost")).toBeDefined();
        throw new Error("abort");
      }),
    ).toThrow("abort");
    expect(store.roles.findByName("111122223333", "Ghost")).toBeUndefined();
    store.close();
  });

  it("keeps its reads when a transaction that wrote nothing rolls back", () => {
    const store = Store.open(":memory:");
    store.accounts.upsert("111122223333", null, 1);
    store.roles.create(role("Kept"));
    const first = store.roles.findByName("111122223333", "Kept");
    expect(() =>
      store.transaction(() => {
        store.roles.findByName("111122223333", "Kept");
        throw new Error("refused, nothing written");
      }),
    ).toThrow("refused");
    // The very same (cached) row: a refused request cannot empty the cache.
    expect(store.roles.findByName("111122223333", "Kept")).toBe(first);
    store.close();
  });

  it("hands out frozen rows, so no caller can change what the next caller reads", () => {
    const store = Store.open(":memory:");
    store.accounts.upsert("111122223333", null, 1);
    store.roles.create(role("Frozen"));
    const row = store.roles.findByName("111122223333", "Frozen")!;
    expect(() => {
      (row as { description: string | null }).description = "mutated";
    }).toThrow(TypeError);
    expect(() => (row.tags as { key: string; value: string }[]).push({ key: "x", value: "y" })).toThrow(
      TypeError,
    );
    expect(store.roles.findByName("111122223333", "Frozen")?.description).toBeNull();
    store.close();
  });
});
