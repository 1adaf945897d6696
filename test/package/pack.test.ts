/**
 * What `npm pack` would publish: compiled entry points with their types, the bin, and nothing of
 * the development tree (tests, benchmarks, scripts, fixtures, TypeScript sources). The list comes
 * from `npm pack --dry-run` over the dist/ on disk; `npm install` builds it (`prepare`), and this
 * test builds it when it is missing. The slow end-to-end check (install the tarball into a fresh
 * project, import it, typecheck against it, run the bin) is `npm run test:package`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
};
const rel = (p: string) => p.replace(/^\.\//, "");

let files: string[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist/lib/index.js"))) {
    // Build next to dist/ and rename it in place at once: a bin started meanwhile by another test
    // never sees a half-written dist/ (it runs the sources until dist/ appears).
    const tmp = mkdtempSync(join(ROOT, ".dist-"));
    try {
      execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", tmp], { cwd: ROOT, stdio: "pipe" });
      if (!existsSync(join(ROOT, "dist"))) renameSync(tmp, join(ROOT, "dist"));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  // --ignore-scripts: list what is on disk, do not rebuild (prepare) under the other tests' feet
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}, 300_000);

describe("the npm package", () => {
  it("holds no tests, benchmarks, scripts, fixtures or TypeScript sources", () => {
    expect(files.length).toBeGreaterThan(10);
    const dev = files.filter((f) => /^(test|bench|scripts|fixtures|\.ci)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")));
    expect(dev).toEqual([]);
    expect(files.filter((f) => f.startsWith("dist/") && /\/(test|bench)\//.test(f))).toEqual([]);
  });

  it("holds every entry point with its types, the bin, and the license", () => {
    for (const [name, target] of Object.entries(pkg.exports)) {
      if (name === "./package.json") continue;
      expect(typeof target, name).toBe("object");
      const t = target as { types: string; default: string };
      expect(files, name).toContain(rel(t.default));
      expect(files, name).toContain(rel(t.types));
      expect(t.types.endsWith(".d.ts")).toBe(true);
    }
    expect(files).toContain(rel(pkg.main));
    expect(files).toContain(rel(pkg.types));
    for (const bin of Object.values(pkg.bin)) expect(files).toContain(rel(bin));
    expect(files).toContain("LICENSE");
    // every compiled module has its declarations, so the types of the entries resolve
    const js = files.filter((f) => f.startsWith("dist/") && f.endsWith(".js"));
    for (const f of js) expect(files, f).toContain(f.replace(/\.js$/, ".d.ts"));
  });

  it("the verifier entry's compiled import graph has no Node built-in (browsers)", () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const seen = new Set<string>();
    const problems: string[] = [];
    const stack = [join(ROOT, rel((pkg.exports["./verifier"] as { default: string }).default))];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const src = readFileSync(file, "utf8");
      // tsc output: one `import ... from "x"` / `export ... from "x"` / `import "x"` per line; type-only imports are gone
      for (const m of src.matchAll(/^(?:import|export)\b[^"';]*?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith(".")) stack.push(resolve(dirname(file), spec));
        else if (builtins.has(spec) || spec.startsWith("node:")) problems.push(`${file}: ${spec}`);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
