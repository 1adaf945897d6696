/**
 * Measures the cost model's machine constants (Node only: reads and writes the user cache).
 *
 * - `fieldNs`: a degree-2 sumcheck over 2^14 entries, nanoseconds per entry;
 * - `commitNs`: a Hyrax commitment of 2^12 witness values (16-bit), per value;
 * - `groth16Ns` / `groth16ProveMs`: two snarkjs proofs of a multiplication chain (500 and 2000
 *   constraints), slope and intercept — only when `groth16: true` (setup needs a development ptau,
 *   which the key cache keeps after the first time).
 *
 * Stored in `<cache>/cost-model.json` (cache directory of backends/groth16/keys.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FrVector } from "../../backends/math/field.js";
import { proveSumcheck } from "../../backends/math/sumcheck.js";
import { Transcript } from "../../backends/math/transcript.js";
import { commit } from "../../backends/math/commit/index.js";
import { R1csBuilder } from "../../backends/groth16/r1cs.js";
import { cacheDir, setupGroth16, writeFileAtomic } from "../../backends/groth16/keys.js";
import { proveGroth16 } from "../../backends/groth16/prove.js";
import { DEFAULT_COSTS, parseCostConstants, type CostConstants } from "./cost.js";

/** Per-kernel work of zkc around a snarkjs proof (circuit build, witness, key digest), in ms. */
const GROTH16_HARNESS_MS = 1100;

/** File of the measured constants. */
export function costModelFile(dir = cacheDir()): string {
  return path.join(dir, "cost-model.json");
}

/** The measured constants if a valid file is cached, else the shipped defaults. */
export function loadCostModel(dir = cacheDir()): CostConstants {
  try {
    const parsed = parseCostConstants(JSON.parse(fs.readFileSync(costModelFile(dir), "utf8")));
    if (parsed) return parsed;
  } catch {
    // no file or not JSON: defaults
  }
  return { ...DEFAULT_COSTS };
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** Deterministic pseudo-random field table of 2^n small entries. */
function table(n: number, seed: number): FrVector {
  let a = seed >>> 0;
  const v = new Float64Array(2 ** n);
  for (let i = 0; i < v.length; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    v[i] = (a % 65536) - 32768;
  }
  return FrVector.fromIntegers(v);
}

async function groth16Chain(n: number, dir: string): Promise<number> {
  const build = () => {
    const b = new R1csBuilder();
    let x = b.privateInputs([3n], "x")[0]!;
    for (let i = 0; i < n; i++) x = b.mul(x, x, "sq");
    b.output(x, "y");
    return b.build();
  };
  const c = build();
  const keys = await setupGroth16(c.r1cs, { cacheDir: dir });
  await proveGroth16(c.r1cs, c.witness, keys); // warm-up (curve and worker start)
  const t0 = performance.now();
  await proveGroth16(c.r1cs, c.witness, keys, { checkWitness: false });
  return seconds(t0);
}

/**
 * Measure the constants and store them (see the module header).
 * @param opts.groth16 also measure Groth16 proving (slower: needs keys)
 */
export async function calibrateCosts(opts: { groth16?: boolean; cacheDir?: string } = {}): Promise<CostConstants> {
  const dir = opts.cacheDir ?? cacheDir();
  const n = 14;
  const a = table(n, 1);
  const b = table(n, 2);
  proveSumcheck({ polys: [a, b], terms: [{ coeff: 1n, factors: [0, 1] }] }, new Transcript("zkc/calibrate")); // warm-up
  let t0 = performance.now();
  proveSumcheck({ polys: [a, b], terms: [{ coeff: 1n, factors: [0, 1] }] }, new Transcript("zkc/calibrate"));
  const fieldNs = (seconds(t0) * 1e9) / 2 ** n;

  const values = new Float64Array(2 ** 12).map((_, i) => (i * 7919) % 65536);
  await commit(values.subarray(0, 256), 8); // warm-up (generators)
  t0 = performance.now();
  await commit(values, 12);
  const commitNs = (seconds(t0) * 1e9) / values.length;

  const out: CostConstants = { ...DEFAULT_COSTS, source: `measured ${new Date().toISOString()}`, fieldNs, commitNs };
  if (opts.groth16) {
    const small = await groth16Chain(500, dir);
    const large = await groth16Chain(2000, dir);
    out.groth16Ns = Math.max(1, ((large - small) / 1500) * 1e9);
    // snarkjs's own intercept plus what zkc adds per kernel around it (circuit build, witness,
    // key digest), measured once from prove()'s per-kernel stats: see DEFAULT_COSTS
    out.groth16ProveMs = Math.max(1, (small - (500 * out.groth16Ns) / 1e9) * 1000) + GROTH16_HARNESS_MS;
  }
  writeFileAtomic(costModelFile(dir), `${JSON.stringify(out, null, 2)}\n`);
  return out;
}
