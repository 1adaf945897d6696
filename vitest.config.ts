import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/slow/**"],
    // hermetic: a per-run zkc cache instead of ~/.cache/zkc (ZKC_TEST_CACHE_DIR: a persistent one)
    globalSetup: ["test/setup/cache-global.ts"],
    setupFiles: ["test/setup/cache-env.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores on the reference machine: more workers only add contention.
    maxWorkers: 2,
  },
});
