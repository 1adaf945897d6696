/**
 * The zkc partitioned prover as the benchmark drives it: `compileModel` (partition, backend per
 * kernel, Groth16 circuits and keys, manifest), `prove` and `verify` (runtime/), with public
 * inputs and outputs — the statement the monolithic baseline proves.
 *
 * Key setup is measured, not read from the key cache: compile gets a fresh cache directory whose
 * `ptau/` links to the user cache's (the universal setup is reported apart), and the cost model
 * is loaded from the user cache explicitly so the plan is the one `zkc compile` would make.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { compileModel } from "../toolchain/compile.js";
import { loadCostModel } from "../toolchain/calibrate-costs.js";
import { cacheDir, terminateSnarkjs } from "../backends/groth16/keys.js";
import { parseManifest, serializeManifest } from "../runtime/manifest.js";
import { prove } from "../runtime/prove.js";
import { serializeProof } from "../runtime/proof.js";
import { verify } from "../runtime/verify.js";
import { repoPath, prepare, type ModelSpec } from "./models.js";
import { timed } from "./proc.js";

/** Arguments of the zkc steps. */
export interface ZkcStepArgs {
  spec: ModelSpec;
  scale: number;
  dir: string;
  backend: "auto" | "gkr";
}

/** The zkc modules the benchmark needs, as repository paths. */
export const ZKC_MODULES = ["toolchain/compile.ts", "runtime/prove.ts", "runtime/verify.ts"] as const;

/** Null when every zkc module is present, else the reason the zkc columns are empty. */
export function zkcMissing(): string | null {
  const missing = ZKC_MODULES.filter((m) => !existsSync(repoPath(m)));
  return missing.length === 0 ? null : `zkc partitioned prover not in the repository yet (missing ${missing.join(", ")})`;
}

/**
 * Builds ffjavascript's bn128 curve (wasm + worker threads; the Hyrax MSMs and snarkjs share it
 * through `globalThis.curve_bn128`) before the timer starts: the monolithic steps do the same,
 * so neither side's figures include this one-time process start-up. Returns its seconds.
 */
async function warmCurve(): Promise<number> {
  const t0 = performance.now();
  const ff = await import("ffjavascript");
  await ff.buildBn128();
  return (performance.now() - t0) / 1000;
}

const files = (dir: string) => async (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));

/**
 * Compile: the whole `compileModel` call (compileS) and, inside it, the Groth16 key setup
 * (setupS: from the first "groth16 setup" progress report to the last). Writes the manifest and
 * side files into `dir`.
 */
export async function zkcCompile(arg: ZkcStepArgs): Promise<Record<string, unknown>> {
  const p = prepare(arg.spec, arg.scale);
  rmSync(arg.dir, { recursive: true, force: true });
  const keyCache = path.join(arg.dir, "key-cache");
  mkdirSync(keyCache, { recursive: true });
  mkdirSync(path.join(cacheDir(), "ptau"), { recursive: true });
  symlinkSync(path.join(cacheDir(), "ptau"), path.join(keyCache, "ptau"));
  const ptauFiles = () => new Set(readdirSync(path.join(cacheDir(), "ptau")).filter((f) => f.endsWith(".ptau")));
  const ptauBefore = ptauFiles();
  let setupStart: number | null = null;
  let setupEnd: number | null = null;
  const { value: compiled, wallS: compileS, cpuS: compileCpuS } = await timed(() => compileModel(p.graph, p.calibration, {
    backend: arg.backend,
    inputVisibility: "public",
    outputVisibility: "public",
    cacheDir: keyCache,
    costs: loadCostModel(),
    modelName: arg.spec.name,
    onProgress: (step, done, total) => {
      if (!step.startsWith("groth16 setup")) return;
      setupStart ??= performance.now();
      if (done === total) setupEnd = performance.now();
    },
  }));
  await terminateSnarkjs();
  for (const [name, bytes] of compiled.files) {
    mkdirSync(path.dirname(path.join(arg.dir, name)), { recursive: true });
    writeFileSync(path.join(arg.dir, name), bytes);
  }
  writeFileSync(path.join(arg.dir, "manifest.json"), serializeManifest(compiled.manifest));
  const kernels: Record<string, number> = {};
  for (const k of compiled.manifest.kernels) kernels[k.backend] = (kernels[k.backend] ?? 0) + 1;
  const g16 = compiled.manifest.kernels.filter((k) => k.backend === "groth16").length;
  const setupS = g16 > 0 && setupStart !== null && setupEnd !== null ? (setupEnd - setupStart) / 1000 : g16 === 0 ? 0 : null;
  // a Groth16 kernel whose ptau was not cached made compile generate one: say so, it is in compileS
  const ptauGenerated = [...ptauFiles()].filter((f) => !ptauBefore.has(f));
  return { compileS, compileCpuS, setupS, kernels, ptauGenerated };
}

/** Prove the sample input (witness generation included, as `zkc prove` does it); writes proof.json. */
export async function zkcProve(arg: ZkcStepArgs): Promise<Record<string, unknown>> {
  const p = prepare(arg.spec, arg.scale);
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(arg.dir, "manifest.json"), "utf8")));
  const inputs: Record<string, Float64Array> = Object.fromEntries(p.floats);
  const curveS = await warmCurve();
  const { value: bundle, wallS: proveS, cpuS: proveCpuS } = await timed(() => prove(manifest, files(arg.dir), inputs));
  await terminateSnarkjs();
  const { stats, ...proof } = bundle;
  const text = serializeProof(proof);
  writeFileSync(path.join(arg.dir, "proof.json"), text);
  const byBackend: Record<string, number> = {};
  for (const k of stats.kernels) byBackend[k.backend] = (byBackend[k.backend] ?? 0) + k.seconds;
  return { proveS, proveCpuS, curveS, proofBytes: Buffer.byteLength(text), witnessS: stats.witnessSeconds, commitS: stats.commitSeconds, kernelSByBackend: byBackend };
}

/**
 * Verify proof.json against the manifest, twice in one process: the first call (cold) and the
 * second (warm, reported as verifyS, with its split: proof parsing, model files, checks). Both
 * must accept.
 */
export async function zkcVerify(arg: ZkcStepArgs): Promise<Record<string, unknown>> {
  const manifest = JSON.parse(readFileSync(path.join(arg.dir, "manifest.json"), "utf8"));
  const proof = readFileSync(path.join(arg.dir, "proof.json"), "utf8");
  const curveS = await warmCurve();
  const { value: cold, wallS: verifyColdS } = await timed(() => verify(manifest, proof, files(arg.dir)));
  const { value: warm, wallS: verifyS, cpuS: verifyCpuS } = await timed(() => verify(manifest, proof, files(arg.dir)));
  await terminateSnarkjs();
  if (!cold.ok) throw new Error(`zkc proof rejected: ${cold.reason}`);
  if (!warm.ok) throw new Error(`zkc proof rejected: ${warm.reason}`);
  // the warm call's split, as the verifier measures it (runtime/verify.ts VerifyTimings)
  const t = warm.timings;
  return { verifyS, verifyCpuS, verifyColdS, curveS, verifyParseS: t.parseMs / 1000, verifyModelLoadS: t.modelLoadMs / 1000, verifyCheckS: t.checkMs / 1000 };
}
