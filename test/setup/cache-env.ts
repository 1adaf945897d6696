/**
 * vitest setupFiles: every worker points zkc's cache at the run's directory (test/setup/cache-global.ts),
 * whatever environment the worker was started with, and child processes (the CLI tests) inherit it.
 */
import { inject } from "vitest";

const dir = inject("zkcCacheDir");
if (!dir) throw new Error("test/setup/cache-global.ts did not provide a cache directory");
process.env.ZKC_CACHE_DIR = dir;
delete process.env.XDG_CACHE_HOME;
