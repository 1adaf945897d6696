/**
 * Cost model, the generic part: estimates, machine constants and their file format.
 *
 * Each backend prices its own kernels (`PlannerBackend.estimate`) from machine constants it
 * declares with shipped defaults (`PlannerBackend.costDefaults`); `CostConstants` holds every
 * backend's constants side by side, plus where they come from. `zkc calibrate-costs` measures them
 * on this machine (toolchain/calibrate-costs.ts) and stores them as JSON; compile reads them back.
 */
import type { Prim } from "../quant/prim.js";
import type { PlannerBackend } from "./backend.js";

/** Machine constants of the cost model: every backend's, by name, plus their source. */
export type CostConstants = { source: string } & Record<string, number | string>;

/** Estimate of one kernel on one backend. */
export interface CostEstimate {
  proveSeconds: number;
  memoryBytes: number;
  proofBytes: number;
}

/** The shipped defaults of the given backends. */
export function defaultCosts(backends: readonly PlannerBackend[]): CostConstants {
  const out: CostConstants = { source: "defaults" };
  for (const b of backends) Object.assign(out, b.costDefaults);
  return out;
}

/**
 * A numeric constant of `costs`, else the default the backend declared.
 * @throws RangeError when neither has it (a backend reading a constant it did not declare)
 */
export function costConstant(costs: CostConstants, defaults: Readonly<Record<string, number>>, name: string): number {
  const v = costs[name];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  const d = defaults[name];
  if (d === undefined) throw new RangeError(`costConstant: no constant "${name}" (declare it in the backend's costDefaults)`);
  return d;
}

/** Primitives whose values are range-checked (decomposed into bits or limbs) by the backends. */
export type RangeCheckedPrim = Extract<Prim, { op: "rescale" | "clamp" | "max" | "divide" | "lookup" }>;

/**
 * Signed bit width of a range-checked primitive's values: the larger of its main input's and its
 * output's static bounds, plus the sign. Both shipped backends price their range checks by it.
 */
export function rangeCheckBits(p: RangeCheckedPrim, maxAbsOf: (tensor: string) => number): number {
  const inName = p.op === "max" ? p.a : p.op === "divide" ? p.num : p.in;
  return Math.max(1, Math.ceil(Math.log2(Math.max(maxAbsOf(inName), maxAbsOf(p.out)) + 1))) + 1;
}

/** Human size, e.g. "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(0)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** Human duration, e.g. "0.42 s". */
export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(0)} s`;
}

/**
 * Check a parsed cost file; undefined when it is not valid for these backends (a string `source`
 * and a positive finite number for every constant the backends declare).
 */
export function parseCostConstants(x: unknown, backends: readonly PlannerBackend[]): CostConstants | undefined {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.source !== "string") return undefined;
  const out: CostConstants = { source: o.source };
  for (const b of backends) {
    for (const k of Object.keys(b.costDefaults)) {
      const v = o[k];
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) return undefined;
      out[k] = v;
    }
  }
  return out;
}
