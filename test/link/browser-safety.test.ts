/**
 * The verifier must run in browsers: walk the static import graph of runtime/verify.ts (relative
 * imports followed into the repo's TypeScript; package imports checked by name) and fail on any
 * Node built-in (`node:*`, `fs`, `crypto`, ...), `require(`, or Buffer use. Type-only imports are
 * erased at compile time and are not followed.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages the verifier may use: browser-capable (snarkjs ships a browser build; noble, scure and ffjavascript are pure JS/wasm). */
const ALLOWED_PACKAGES = new Set(["snarkjs", "@noble/curves", "@noble/hashes", "@scure/base", "ffjavascript"]);

/** Value imports (not `import type` / `export type`) of a TypeScript source. */
function importsOf(src: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?["']([^"']+)["']/g;
  for (const m of src.matchAll(re)) {
    if (m[2]) continue; // import type / export type
    const clause = m[3] ?? "";
    // `import { type A, type B } from` is type-only as well
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces && !/\*|^\s*\w+\s*,/.test(clause) && braces[1]!.split(",").every((s) => s.trim() === "" || s.trim().startsWith("type "))) continue;
    out.push(m[4]!);
  }
  for (const m of src.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

function walk(entry: string): { files: string[]; problems: string[] } {
  const seen = new Set<string>();
  const problems: string[] = [];
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = readFileSync(file, "utf8");
    const rel = relative(ROOT, file);
    if (/\brequire\(/.test(src)) problems.push(`${rel}: require(`);
    if (/\bBuffer\./.test(src)) problems.push(`${rel}: Buffer`);
    for (const spec of importsOf(src)) {
      if (spec.startsWith(".")) {
        stack.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
        continue;
      }
      const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
      if (BUILTINS.has(spec) || BUILTINS.has(pkg) || spec.startsWith("node:")) problems.push(`${rel}: imports Node built-in "${spec}"`);
      else if (!ALLOWED_PACKAGES.has(pkg)) problems.push(`${rel}: imports package "${spec}" not known to be browser-safe`);
    }
  }
  return { files: [...seen].map((f) => relative(ROOT, f)), problems };
}

describe("runtime/verify.ts is browser-safe", () => {
  it("no Node built-in anywhere in its import graph", () => {
    const { files, problems } = walk(resolve(ROOT, "runtime/verify.ts"));
    expect(files).toContain("backends/groth16/verify-proof.ts");
    expect(files).toContain("backends/gkr/kernel.ts");
    expect(problems).toEqual([]);
  });

  it("the walker catches a Node import (it can fail)", () => {
    // the prover is Node-only: the same walk must flag it
    const { problems } = walk(resolve(ROOT, "runtime/prove.ts"));
    expect(problems.some((p) => /node:crypto|node:fs|fs"/.test(p))).toBe(true);
    expect(importsOf('import type { A } from "node:fs";\nimport { type B } from "node:os";\nimport { c } from "node:path";')).toEqual(["node:path"]);
  });
});
