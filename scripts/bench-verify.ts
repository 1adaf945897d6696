/**
 * Verifier benchmark: compiles a fixture model once (library API, into a temp dir or --dir),
 * proves one input, then verifies the binary proof N times and prints each call's CPU time
 * (process.cpuUsage: the machine may be shared, so CPU time is steadier than wall time) and the
 * verifier's own split. The first call includes the wasm modules' compilation.
 *
 * Run: npx tsx scripts/bench-verify.ts [--model lenet|mlp] [--reps N] [--dir DIR] [--json]
 *   --dir DIR keeps the artifacts and proof there and reuses them on the next run (to compare two
 *   versions of the verifier on the same proof).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, prove } from "../toolchain/api.js";
import { serializeProofBinary } from "../runtime/proof-binary.js";
import { verify } from "../runtime/verify.js";
import { defaultVerifiers } from "../backends/verifiers.js";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
}
const model = arg("--model", "lenet");
const reps = Number(arg("--reps", "5"));
const keepDir = arg("--dir", "");
const dir = keepDir || mkdtempSync(join(tmpdir(), "zkc-bench-verify-"));
const fixture = join(import.meta.dirname, "..", "fixtures");

try {
  const proofPath = join(dir, "proof.bin");
  if (!existsSync(proofPath)) {
    const art = await compile(join(fixture, `${model}.onnx`), { dir: join(dir, "art"), calibrate: join(fixture, `${model}.input.json`), cacheDir: join(dir, "cache"), terminateWorkers: true });
    const { proof } = await prove(art.dir, join(fixture, `${model}.input.json`), { terminateWorkers: true });
    writeFileSync(proofPath, serializeProofBinary(proof, defaultVerifiers));
  }
  const bytes = new Uint8Array(readFileSync(proofPath));
  const manifest: unknown = JSON.parse(readFileSync(join(dir, "art", "manifest.json"), "utf8"));
  const files = async (name: string) => new Uint8Array(readFileSync(join(dir, "art", name)));
  const rows: { cpuMs: number; parseMs: number; modelLoadMs: number; checkMs: number }[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const r = await verify(manifest, bytes, files);
    const c = process.cpuUsage(c0);
    if (!r.ok) throw new Error(`verify rejected: ${r.reason}`);
    rows.push({ cpuMs: (c.user + c.system) / 1000, ...r.timings });
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const warm = rows.slice(1);
  const summary = { model, reps, cpuMs: rows.map((r) => Math.round(r.cpuMs)), warmMedianCpuMs: Math.round(med(warm.map((r) => r.cpuMs))), warmMedianCheckMs: Math.round(med(warm.map((r) => r.checkMs))) };
  if (process.argv.includes("--json")) console.log(JSON.stringify(summary));
  else {
    for (const [i, r] of rows.entries()) console.log(`verify ${i + 1}: ${r.cpuMs.toFixed(0)} ms CPU (parse ${r.parseMs.toFixed(0)}, model load ${r.modelLoadMs.toFixed(0)}, checks ${r.checkMs.toFixed(0)} ms wall)`);
    console.log(`warm median: ${summary.warmMedianCpuMs} ms CPU, checks ${summary.warmMedianCheckMs} ms wall`);
  }
} catch (e) {
  console.error(`bench-verify: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  if (!keepDir) rmSync(dir, { recursive: true, force: true });
}
// worker threads the prover left (proof pools) must not keep the script alive
process.exit();
