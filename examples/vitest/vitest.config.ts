import { defineConfig } from "vitest/config";

// In your own project you need no config at all: "fedsim/testing" resolves to the installed package. Here,
// inside fedsim's repository, it resolves to the package itself (its package.json exports), built by npm ci.
export default defineConfig({
  test: { include: ["examples/vitest/**/*.test.ts"], testTimeout: 30_000 },
});
