/**
 * vitest globalSetup: one zkc cache directory per test run, so that tests never read or write the
 * user's ~/.cache/zkc (whose ptau files, of any power or kind, would change what tests see).
 * Workers inherit it through ZKC_CACHE_DIR (and `inject("zkcCacheDir")`), so a ptau is generated
 * once per run and shared. The directory is removed at the end, unless ZKC_TEST_CACHE_DIR names a
 * persistent one (CI's second run reuses the first run's cache through it).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    zkcCacheDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const persistent = process.env.ZKC_TEST_CACHE_DIR;
  const dir = persistent ? path.resolve(persistent) : fs.mkdtempSync(path.join(os.tmpdir(), "zkc-test-cache-"));
  fs.mkdirSync(dir, { recursive: true });
  process.env.ZKC_CACHE_DIR = dir;
  project.provide("zkcCacheDir", dir);
  return () => {
    if (!persistent) fs.rmSync(dir, { recursive: true, force: true });
  };
}
