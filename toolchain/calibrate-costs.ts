/**
 * Measures the cost model's machine constants (Node only: reads and writes the user cache). Each
 * backend measures its own (`Backend.calibrate`: small benchmarks such as a sumcheck, a Hyrax
 * commitment, and with `thorough` a pair of Groth16 proofs); constants a backend does not measure
 * keep their shipped defaults. Stored in `<cache>/cost-model.json` and read back by compile.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultCosts, parseCostConstants, type CostConstants } from "../compiler/plan/cost.js";
import type { PlannerBackend } from "../compiler/plan/backend.js";
import type { Backend } from "../backends/contract.js";
import { defaultBackends } from "../backends/registry.js";
import { cacheDir, writeFileAtomic } from "../backends/groth16/keys.js";

/** File of the measured constants. */
export function costModelFile(dir = cacheDir()): string {
  return path.join(dir, "cost-model.json");
}

/** The measured constants if a valid file is cached, else the shipped defaults. */
export function loadCostModel(dir = cacheDir(), backends: readonly PlannerBackend[] = defaultBackends.list()): CostConstants {
  try {
    const parsed = parseCostConstants(JSON.parse(fs.readFileSync(costModelFile(dir), "utf8")), backends);
    if (parsed) return parsed;
  } catch {
    // no file or not JSON: defaults
  }
  return defaultCosts(backends);
}

/**
 * Measure the constants and store them (see the module header).
 * @param opts.thorough also run the slow measurements (e.g. Groth16 proving, which needs keys)
 */
export async function calibrateCosts(opts: { thorough?: boolean; cacheDir?: string; backends?: readonly Backend[] } = {}): Promise<CostConstants> {
  const dir = opts.cacheDir ?? cacheDir();
  const backends = opts.backends ?? defaultBackends.list();
  const out: CostConstants = { ...defaultCosts(backends), source: `measured ${new Date().toISOString()}` };
  for (const b of backends) Object.assign(out, (await b.calibrate?.({ cacheDir: dir, thorough: opts.thorough === true })) ?? {});
  writeFileAtomic(costModelFile(dir), `${JSON.stringify(out, null, 2)}\n`);
  return out;
}
