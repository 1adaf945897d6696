import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/slow/**"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores on the reference machine: more workers only add contention.
    maxWorkers: 2,
  },
});
