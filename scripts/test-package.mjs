#!/usr/bin/env node
// `npm run test:package`: the package as a user gets it. Packs zkc (which builds dist/), installs
// the tarball into a fresh project in a temp directory (its dependencies come from the registry),
// then, from that project: imports the library and the verifier entries, typechecks a small
// TypeScript consumer against the shipped .d.ts files, runs `npx zkc --version` (must print
// zkc's version, not the project's), and compiles a fixture and exports its verifier (esbuild
// bundles from the installed dist/, with no TypeScript sources in the package).
// Also: the tarball stays under 3 MB, `npm install` of it prints no warning, and the installed CLI
// proves and verifies. Slow (half a minute to a few, from the registry): not part of `npm test`;
// .ci/run runs it after the test suite.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const keep = process.argv.includes("--keep");
const work = mkdtempSync(join(tmpdir(), "zkc-package-"));
const consumer = join(work, "consumer");
// hermetic like the test suite: keys and ptau files go to a cache of this run, not the user's
process.env.ZKC_CACHE_DIR = join(work, "zkc-cache");

function run(cmd, args, cwd, opts = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}   (in ${cwd})`);
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], ...opts });
}
function check(ok, what) {
  if (!ok) throw new Error(`test:package: ${what}`);
  console.log(`ok: ${what}`);
}

try {
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root));
  const tarball = join(work, packed[0].filename);
  console.log(`packed ${packed[0].entryCount} files, ${(packed[0].size / 1024).toFixed(0)} KiB`);
  check(packed[0].size <= 3 * 1024 * 1024, `the tarball is at most 3 MB (${(packed[0].size / 1024 / 1024).toFixed(2)} MB)`);
  check(!packed[0].files.some((f) => /^(test|bench|scripts|fixtures)\//.test(f.path) || /\.test\.ts$/.test(f.path)), "the tarball holds no tests, benchmarks, scripts or fixtures");

  execFileSync("mkdir", ["-p", consumer]);
  const writeConsumer = (extra = {}) =>
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "9.9.9", private: true, type: "module", ...extra }, null, 2));
  writeConsumer();
  // npm prints its warnings on stderr ("npm warn ..."). zkc has no install script; npm 11 lists
  // its dependencies' (esbuild, protobufjs) until the project states a policy: the README's one
  const install = (what) => {
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: consumer, encoding: "utf8" });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    check(r.status === 0, `npm install of the tarball succeeds (${what})`);
    return r.stderr.split("\n").filter((l) => /\bwarn/i.test(l));
  };
  const noPolicy = install("no allowScripts policy");
  check(!noPolicy.some((l) => /\bzkc@/.test(l)), "npm lists no install script of zkc itself");
  writeConsumer({ allowScripts: { esbuild: true, protobufjs: false } });
  rmSync(join(consumer, "node_modules"), { recursive: true, force: true });
  const warnings = install("the README's allowScripts policy");
  check(warnings.length === 0, `npm install prints no warning${warnings.length ? ` (got: ${warnings.join(" | ")})` : ""}`);

  // the library (Node) and the browser-safe verifier, as ES modules
  writeFileSync(
    join(consumer, "use.mjs"),
    `import * as zkc from "zkc";
import * as verifier from "zkc/verifier";
for (const f of ["compile", "prove", "verify", "inspect", "inspectProof", "verifierArtifacts", "compileModel", "proveBundle", "verifyBundle", "loadModelFile", "calibrate", "terminateWorkers"]) if (typeof zkc[f] !== "function") throw new Error("zkc." + f + " missing");
if (typeof verifier.verify !== "function") throw new Error("zkc/verifier verify missing");
const r = await verifier.verify({}, {}, async () => new Uint8Array());
if (r.ok !== false) throw new Error("verify of garbage must be { ok: false }");
console.log("imports ok; verify(garbage) ->", JSON.stringify(r).slice(0, 80));
`,
  );
  run(process.execPath, ["use.mjs"], consumer, { stdio: ["ignore", "inherit", "inherit"] });
  check(true, "import zkc and zkc/verifier");

  // TypeScript consumers get the types (NodeNext resolution reads "exports" -> "types")
  writeFileSync(
    join(consumer, "use.ts"),
    `import { compileModel, prove, loadModelFile, type CompiledModel, type ProveStats } from "zkc";
import { verify, type VerifyResult } from "zkc/verifier";
export async function check(manifest: unknown, proof: unknown, files: (name: string) => Promise<Uint8Array>): Promise<string> {
  const r: VerifyResult = await verify(manifest, proof, files);
  return r.ok ? r.outputs.map((o) => o.onnxName).join(",") : r.reason;
}
export type Uses = [typeof compileModel, typeof prove, typeof loadModelFile, CompiledModel, ProveStats];
// @ts-expect-error the types are real: a wrong argument type must be an error
export const wrong = verify(1, 2, 3);
`,
  );
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [join(root, "node_modules/@types")] }, files: ["use.ts"] }, null, 2),
  );
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], consumer, { stdio: ["ignore", "inherit", "inherit"] });
  check(true, "typecheck a TypeScript consumer against the shipped .d.ts");
  // older resolvers (moduleResolution node10) ignore "exports": "types" and "typesVersions" serve them
  writeFileSync(join(consumer, "old.ts"), `import type { VerifyResult } from "zkc/verifier";\nimport type { CompiledModel } from "zkc";\nimport type { main } from "zkc/cli";\nexport type T = [VerifyResult, CompiledModel, typeof main];\n`);
  writeFileSync(join(consumer, "tsconfig.node10.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "esnext", moduleResolution: "node10", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["old.ts"] }));
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.node10.json"], consumer, { stdio: ["ignore", "inherit", "inherit"] });
  check(true, "types resolve with moduleResolution node10 too");

  const t0 = performance.now();
  const version = run("npx", ["--no-install", "zkc", "--version"], consumer).trim();
  const ms = performance.now() - t0;
  check(version === own.version, `npx zkc --version prints ${own.version} (got ${version}, ${ms.toFixed(0)} ms)`);

  // the compiled CLI end to end, including esbuild bundling the verifier from dist/
  run("npx", ["--no-install", "zkc", "compile", join(root, "fixtures/mlp.onnx"), "--calibrate", join(root, "fixtures/mlp.input.json")], consumer);
  run("npx", ["--no-install", "zkc", "prove", "--input", join(root, "fixtures/mlp.input.json"), "--quiet"], consumer);
  run("npx", ["--no-install", "zkc", "verify"], consumer);
  check(true, "zkc prove + verify from the installed package");
  // queue proving's packages are optional peers: without them, a clear error that names them
  run("npx", ["--no-install", "zkc", "compile", join(root, "fixtures/mlp.onnx"), "--calibrate", join(root, "fixtures/mlp.input.json"), "--linking", "independent", "--dir", "indep", "--quiet"], consumer);
  const queued = spawnSync("npx", ["--no-install", "zkc", "prove", "--dir", "indep", "--input", join(root, "fixtures/mlp.input.json"), "--queue", "redis://127.0.0.1:1", "--quiet"], { cwd: consumer, encoding: "utf8" });
  check(queued.status !== 0 && /npm install bullmq@6 ioredis@6/.test(queued.stderr), `zkc prove --queue without bullmq names the packages to install (exit ${queued.status}: ${queued.stderr.trim().split("\n")[0]})`);
  run("npx", ["--no-install", "zkc", "export-verifier", "--out", "verifier"], consumer);
  writeFileSync(join(consumer, "bundle.mjs"), `import { verify } from "./verifier/verifier.js";\nconst r = await verify("{}");\nif (r.ok !== false) throw new Error("garbage accepted");\nconsole.log("bundled verifier loads; rejects garbage:", r.reason.slice(0, 60));\n`);
  run(process.execPath, ["bundle.mjs"], consumer, { stdio: ["ignore", "inherit", "inherit"] });
  check(true, "zkc compile + export-verifier from the installed package");

  // the examples, by the package's name: Node library use, and the browser verifier bundled for
  // browsers (esbuild's platform "browser" fails on any Node import) and run on the artifacts
  execFileSync("cp", ["-r", join(root, "examples"), join(consumer, "examples")]);
  const example = run(process.execPath, [join("examples", "node", "prove-and-verify.mjs"), join(root, "fixtures/mlp.onnx"), join(root, "fixtures/mlp.input.json")], consumer);
  check(/verified output/.test(example) && /outputs match the prover's: true/.test(example), "examples/node proves and verifies through the package");
  run(process.execPath, [join("examples", "browser", "build.mjs")], consumer);
  writeFileSync(join(consumer, "run-browser-bundle.mjs"), `import { readFileSync } from "node:fs";
const { verifyAt } = await import("./examples/browser/bundle.js");
globalThis.fetch = async (url) => ({ ok: true, status: 200, arrayBuffer: async () => { const b = readFileSync(url); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); } });
const r = await verifyAt("zkc-out");
if (!r.ok) throw new Error(r.reason);
console.log("browser bundle verified zkc-out/proof.bin");
`);
  run(process.execPath, ["run-browser-bundle.mjs"], consumer, { stdio: ["ignore", "inherit", "inherit"] });
  check(true, "examples/browser bundles for browsers and verifies a proof");
  console.log("test:package passed");
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
