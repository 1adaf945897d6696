import { defineConfig } from "vitest/config";

// Heavy end-to-end cases kept out of `npm test`: `npm run test:slow`.
export default defineConfig({
  test: {
    include: ["test/slow/**/*.test.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    maxWorkers: 1,
  },
});
