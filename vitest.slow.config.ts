import { defineConfig } from "vitest/config";

// Heavy end-to-end cases kept out of `npm test`: `npm run test:slow`. Hermetic like the default
// suite (a per-run cache, never ~/.cache/zkc); their large powers of tau take minutes to make, so
// set ZKC_TEST_CACHE_DIR to a directory of your own to keep them between runs.
export default defineConfig({
  test: {
    include: ["test/slow/**/*.test.ts"],
    globalSetup: ["test/setup/cache-global.ts"],
    setupFiles: ["test/setup/cache-env.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    maxWorkers: 1,
  },
});
