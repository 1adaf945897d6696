import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The verifier runs in browsers: the modules it uses must not import Node built-ins or use
// Node-only globals at top level (sha256.ts reaches Node's crypto only through a guarded lookup).
const VERIFIER_MODULES = [
  "fr-constants.ts",
  "kernels.ts",
  "wasm/emit.ts",
  "wasm/fr-module.ts",
  "field.ts",
  "mle.ts",
  "sha256.ts",
  "transcript.ts",
  "sumcheck.ts",
  "zk/pedersen.ts",
  "zk/sigma.ts",
  "zk/dot-log.ts",
  "zk/hyrax.ts",
  "zk/sumcheck.ts",
  "zk/index.ts",
];

/** sha256.ts's pure-JS SHA-256 (@noble/hashes is audited, dependency-free and runs in browsers). */
const BROWSER_SAFE_PACKAGES = /^@noble\/hashes\//;

describe("math modules used by the verifier are browser-safe", () => {
  for (const file of VERIFIER_MODULES) {
    it(file, () => {
      const src = readFileSync(new URL(`../../backends/math/${file}`, import.meta.url), "utf8");
      expect(src).not.toMatch(/from\s+["'](node:|fs|crypto|path|os|worker_threads)/);
      expect(src).not.toMatch(/\brequire\(/);
      expect(src).not.toMatch(/\bBuffer\./);
      // every import is relative, or a package known to be pure JS (no package that might be Node-only)
      for (const m of src.matchAll(/from\s+["']([^"']+)["']/g)) expect(m[1]!.startsWith(".") || BROWSER_SAFE_PACKAGES.test(m[1]!)).toBe(true);
    });
  }
});
