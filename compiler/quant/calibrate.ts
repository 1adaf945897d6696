/**
 * Calibration: observe the float range of every value on sample inputs, then search fixed-point
 * settings and keep the cheapest one that meets the accuracy target.
 */
import { ZkcError } from "../errors.js";
import { runFloat } from "../float/interpret.js";
import type { Graph } from "../ir/graph.js";
import { type Tensor, isFloat, tensor } from "../ir/tensor.js";
import { type AccuracyReport, measureAccuracy } from "./accuracy.js";
import { DEFAULT_CONFIG, type QuantConfig } from "./builder.js";
import type { ValueRange } from "./lower-context.js";
import type { QProgram } from "./prim.js";
import { quantiseGraph } from "./quantise.js";
import { mulberry32 } from "../util/rng.js";

export type Feeds = Record<string, Tensor>;

/** min/max of every numeric (non-bool) value of the graph over the samples. */
export function collectRanges(graph: Graph, samples: readonly Feeds[]): Map<string, ValueRange> {
  const ranges = new Map<string, ValueRange>();
  for (const feeds of samples) {
    const all = runFloat(graph, feeds, { keepAll: true });
    for (const [name, t] of all) {
      // integers too (they bound integer inputs); booleans are 0/1 by their type
      if (t.dtype === "bool" || graph.constants.has(name) || t.data.length === 0) continue;
      let min = Infinity;
      let max = -Infinity;
      for (const v of t.data) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const r = ranges.get(name);
      ranges.set(name, r ? { min: Math.min(r.min, min), max: Math.max(r.max, max) } : { min, max });
    }
  }
  return ranges;
}

/** A deterministic PRNG (mulberry32) so calibration and tests repeat exactly. */
export const seededRandom = mulberry32;

/**
 * Random inputs uniformly in each input's observed range (from `seeds`, e.g. the user's input),
 * or in [-1, 1] when nothing was observed.
 */
export function randomSamples(graph: Graph, count: number, seed: number, seeds: readonly Feeds[] = []): Feeds[] {
  const rand = seededRandom(seed);
  const out: Feeds[] = [];
  for (let s = 0; s < count; s++) {
    const feeds: Feeds = {};
    for (const input of graph.inputs) {
      let lo = -1;
      let hi = 1;
      if (seeds.length) {
        lo = Infinity;
        hi = -Infinity;
        for (const f of seeds) for (const v of f[input.name]!.data) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      }
      const n = input.shape.reduce((a, b) => a * b, 1);
      const data = new Float64Array(n);
      // integer and bool inputs get values of their type: a fraction is no integer input
      const store = input.dtype === "bool" ? (u: number) => (u < 0.5 ? 0 : 1) : isFloat(input.dtype) ? (u: number) => Math.fround(lo + (hi - lo) * u) : (u: number) => Math.round(lo + (hi - lo) * u);
      for (let i = 0; i < n; i++) data[i] = store(rand());
      feeds[input.name] = tensor(input.dtype, input.shape, data);
    }
    out.push(feeds);
  }
  return out;
}

export interface CalibrationResult {
  config: QuantConfig;
  program: QProgram;
  ranges: Map<string, ValueRange>;
  accuracy: AccuracyReport;
  /** every setting tried, cheapest first, with whether it met the target */
  tried: { scale: number; relL2: number; met: boolean }[];
  metTarget: boolean;
}

export interface CalibrateOptions {
  /** target relative L2 error of every output (default 1e-2) */
  targetRelL2?: number;
  /** scales to try, cheapest first (default 4..16) */
  scales?: number[];
  /** fixed overrides: skip the search for what is given */
  scale?: number;
  paramScale?: number;
}

/**
 * Tries activation/input/param scales from cheap to expensive and keeps the first whose outputs
 * stay within the target relative L2 error on every sample; if none does, keeps the most
 * accurate one and says so (`metTarget: false`).
 */
export function calibrate(graph: Graph, samples: readonly Feeds[], opts: CalibrateOptions = {}): CalibrationResult {
  if (samples.length === 0) throw new ZkcError("INPUT", "calibration needs at least one sample input");
  const target = opts.targetRelL2 ?? 1e-2;
  const ranges = collectRanges(graph, samples);
  const floatOutputs = samples.map((f) => runFloat(graph, f));
  const scales = opts.scale !== undefined ? [opts.scale] : (opts.scales ?? [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]);
  const tried: CalibrationResult["tried"] = [];
  let best: Omit<CalibrationResult, "tried" | "metTarget"> | undefined;
  let lastError: unknown;
  for (const s of scales) {
    // weights get their own scales (s + 4 bits of precision) unless the user fixed one
    const config: QuantConfig =
      opts.paramScale !== undefined
        ? { ...DEFAULT_CONFIG, inputScale: s, activationScale: s, paramScale: opts.paramScale }
        : { ...DEFAULT_CONFIG, inputScale: s, activationScale: s, paramScale: 0, paramBits: s + 4 };
    let program: QProgram;
    try {
      program = quantiseGraph(graph, config, ranges);
    } catch (e) {
      // a scale too fine for the safe bound: coarser ones were already tried, finer ones fail too
      if (e instanceof ZkcError && e.code === "QUANTISATION") {
        lastError = e;
        break;
      }
      throw e;
    }
    const accuracy = measureAccuracy(graph, program, samples, floatOutputs);
    // the search keeps a factor-two margin: calibration samples are few, new inputs vary more
    const met = accuracy.worstRelL2 <= target / 2;
    tried.push({ scale: s, relL2: accuracy.worstRelL2, met });
    if (!best || accuracy.worstRelL2 < best.accuracy.worstRelL2) best = { config, program, ranges, accuracy };
    if (met) return { config, program, ranges, accuracy, tried, metTarget: true };
  }
  if (!best) throw lastError;
  return { ...best, tried, metTarget: false };
}
