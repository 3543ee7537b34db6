import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on the CI machine; the e2e suites start servers, so keep forks bounded.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2 } },
  },
});
