/**
 * Calibration: observe the float range of every value on sample inputs, then search fixed-point
 * settings and keep the cheapest one that meets the accuracy target.
 */
import { ZkcError } from "../errors.js";
import { runFloat } from "../float/interpret.js";
import { onnxruntimeRunner } from "../float/onnxruntime.js";
import type { Graph } from "../ir/graph.js";
import { type Tensor, isFloat, tensor } from "../ir/tensor.js";
import { type AccuracyReport, measureAccuracy } from "./accuracy.js";
import { DEFAULT_CONFIG, type QuantConfig } from "./builder.js";
import type { ValueRange } from "./lower-context.js";
import type { QProgram } from "./prim.js";
import { quantiseGraph } from "./quantise.js";
import { mulberry32 } from "../util/rng.js";

export type Feeds = Record<string, Tensor>;

/** Which engine computed the float values calibration observed. */
export type FloatEngine = "interpreter" | "onnxruntime";

/** What calibration needs from the float model: every value's range and the outputs per sample. */
export interface FloatPass {
  ranges: Map<string, ValueRange>;
  /** graph outputs, one map per sample: the reference of the accuracy report */
  outputs: Map<string, Tensor>[];
  engine: FloatEngine;
  /** why onnxruntime was not used, when it was wanted and present but failed */
  notes: string[];
}

/** Folds values into min/max ranges: every numeric (non-bool) non-constant value, integers too. */
class RangeCollector {
  readonly ranges = new Map<string, ValueRange>();
  constructor(private readonly graph: Graph) {}
  add(name: string, t: Tensor): void {
    // integers too (they bound integer inputs); booleans are 0/1 by their type
    if (t.dtype === "bool" || this.graph.constants.has(name) || t.data.length === 0) return;
    let min = Infinity;
    let max = -Infinity;
    let negInf = false;
    let posInf = false;
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      // ±inf and NaN (x/0, log 0) have no place on a fixed-point grid: ranges hold finite values
      if (!Number.isFinite(v)) {
        // an attention mask's -inf is noted: its fixed-point stand-in must survive saturation
        if (v === -Infinity) negInf = true;
        else if (v === Infinity) posInf = true;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) return; // nothing finite
    const r = this.ranges.get(name);
    const range: ValueRange = r ? { ...r, min: Math.min(r.min, min), max: Math.max(r.max, max) } : { min, max };
    if (negInf) range.negInf = true;
    if (posInf) range.posInf = true;
    this.ranges.set(name, range);
  }
}

/** One interpreter pass per sample: ranges and outputs together, intermediates freed as they go. */
export function floatPassInterpreter(graph: Graph, samples: readonly Feeds[]): FloatPass {
  const rc = new RangeCollector(graph);
  const outputs = samples.map((feeds) => runFloat(graph, feeds, { onValue: (name, t) => rc.add(name, t) }));
  return { ranges: rc.ranges, outputs, engine: "interpreter", notes: [] };
}

/** One onnxruntime run per sample, or the reason it cannot be used on this graph. */
export async function floatPassOnnxruntime(graph: Graph, samples: readonly Feeds[]): Promise<FloatPass | string> {
  const runner = await onnxruntimeRunner(graph);
  if (typeof runner === "string") return runner;
  try {
    const rc = new RangeCollector(graph);
    const outputs: Map<string, Tensor>[] = [];
    for (const feeds of samples) {
      for (const input of graph.inputs) rc.add(input.name, feeds[input.name]!);
      const all = await runner.run(feeds);
      for (const [name, t] of all) rc.add(name, t);
      const outs = new Map<string, Tensor>();
      for (const o of graph.outputs) outs.set(o.name, all.get(o.name) ?? graph.constants.get(o.name) ?? feeds[o.name]!);
      outputs.push(outs);
    }
    return { ranges: rc.ranges, outputs, engine: "onnxruntime", notes: [] };
  } catch (e) {
    return `onnxruntime failed on the model: ${(e as Error).message.split("\n")[0]}`;
  } finally {
    // a failed release leaves nothing to undo: the values are already copied out
    await runner.release().catch(() => undefined);
  }
}

/**
 * The float pass on the requested engine. "auto" uses onnxruntime-node when it is installed and
 * runs the model, else the interpreter; a failure (not the package's absence) is kept as a note.
 */
export async function floatPass(graph: Graph, samples: readonly Feeds[], engine: "auto" | FloatEngine = "auto"): Promise<FloatPass> {
  // a graph folded to constants has nothing to run (and onnxruntime refuses a graph without nodes)
  const nothingToRun = graph.nodes.length === 0 && engine === "auto";
  if (engine !== "interpreter" && !nothingToRun) {
    const r = await floatPassOnnxruntime(graph, samples);
    if (typeof r !== "string") return r;
    const absent = r.startsWith("onnxruntime-node is not available");
    const pass = floatPassInterpreter(graph, samples);
    if (!absent || engine === "onnxruntime") pass.notes.push(`float values from the interpreter: ${r}`);
    return pass;
  }
  return floatPassInterpreter(graph, samples);
}

/** min/max of every numeric (non-bool) value of the graph over the samples. */
export function collectRanges(graph: Graph, samples: readonly Feeds[]): Map<string, ValueRange> {
  return floatPassInterpreter(graph, samples).ranges;
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

/**
 * A scale is accepted when its worst relative L2 error on the calibration samples is at most
 * target / SEARCH_MARGIN: inputs beyond the samples vary more. Reports state this limit.
 */
export const SEARCH_MARGIN = 2;

export interface CalibrationResult {
  config: QuantConfig;
  /** the target asked for, and the limit the search held the calibration samples to (target / SEARCH_MARGIN) */
  target: number;
  searchLimit: number;
  program: QProgram;
  ranges: Map<string, ValueRange>;
  accuracy: AccuracyReport;
  /** every setting tried, cheapest first, with whether it met the search limit */
  tried: { scale: number; relL2: number; met: boolean; samples: number }[];
  metTarget: boolean;
  /** samples the caller gave (e.g. --calibrate), and seeded random ones added to them */
  userSamples: number;
  syntheticSamples: number;
  /** the engine of the float pass, and why onnxruntime was not used when it failed */
  floatEngine: FloatEngine;
  notes: string[];
}

export interface CalibrateOptions {
  /** target relative L2 error of every output (default 1e-2) */
  targetRelL2?: number;
  /** scales to try, cheapest first (default 4..16) */
  scales?: number[];
  /** fixed overrides: skip the search for what is given */
  scale?: number;
  paramScale?: number;
  /** how many of the samples (the first ones) are the caller's; the rest are synthetic (default: all) */
  userSamples?: number;
  /** float values already computed for these samples (one float pass serves the whole search) */
  float?: FloatPass;
  /**
   * Measure every scale on every sample (default false: a scale stops at the first sample that
   * fails it, so `tried` reports its worst error over the samples run, a lower bound)
   */
  exhaustive?: boolean;
}

export interface CalibrateAsyncOptions extends CalibrateOptions {
  /** float engine (default "auto": onnxruntime-node when installed, else the interpreter) */
  floatEngine?: "auto" | FloatEngine;
}

/** `calibrate` with the float pass on onnxruntime-node when it is installed (see floatPass). */
export async function calibrateAsync(graph: Graph, samples: readonly Feeds[], opts: CalibrateAsyncOptions = {}): Promise<CalibrationResult> {
  if (samples.length === 0) throw new ZkcError("INPUT", "calibration needs at least one sample input");
  const float = opts.float ?? (await floatPass(graph, samples, opts.floatEngine ?? "auto"));
  return calibrate(graph, samples, { ...opts, float });
}

/**
 * Tries activation/input/param scales from cheap to expensive and keeps the first whose outputs
 * stay within the target relative L2 error on every sample; if none does, keeps the most
 * accurate one and says so (`metTarget: false`).
 */
export function calibrate(graph: Graph, samples: readonly Feeds[], opts: CalibrateOptions = {}): CalibrationResult {
  if (samples.length === 0) throw new ZkcError("INPUT", "calibration needs at least one sample input");
  const target = opts.targetRelL2 ?? 1e-2;
  // one float pass serves every candidate scale: ranges and the accuracy report's reference
  const float = opts.float ?? floatPassInterpreter(graph, samples);
  const { ranges } = float;
  const userSamples = Math.min(samples.length, Math.max(0, opts.userSamples ?? samples.length));
  const info = { userSamples, syntheticSamples: samples.length - userSamples, floatEngine: float.engine, notes: float.notes, target, searchLimit: target / SEARCH_MARGIN };
  const scales = opts.scale !== undefined ? [opts.scale] : (opts.scales ?? [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]);
  const configFor = (s: number): QuantConfig =>
    // weights get their own scales (s + 4 bits of precision) unless the user fixed one
    opts.paramScale !== undefined
      ? { ...DEFAULT_CONFIG, inputScale: s, activationScale: s, paramScale: opts.paramScale }
      : { ...DEFAULT_CONFIG, inputScale: s, activationScale: s, paramScale: 0, paramBits: s + 4 };
  // calibration samples are few and new inputs vary more: a scale must beat the target by a margin
  const limit = target / SEARCH_MARGIN;
  const tried: CalibrationResult["tried"] = [];
  let best: Omit<CalibrationResult, "tried" | "metTarget" | keyof typeof info> | undefined;
  let lastError: unknown;
  for (const s of scales) {
    const config = configFor(s);
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
    // a failing scale needs no more samples once one fails it
    const accuracy = measureAccuracy(graph, program, samples, float.outputs, opts.exhaustive ? {} : { stopAbove: limit });
    const met = accuracy.worstRelL2 <= limit;
    tried.push({ scale: s, relL2: accuracy.worstRelL2, met, samples: accuracy.samples });
    if (met) return { config, program, ranges, accuracy, tried, metTarget: true, ...info };
    // keep the most accurate complete measurement in case no scale meets the target
    if (accuracy.samples === samples.length && (!best || accuracy.worstRelL2 < best.accuracy.worstRelL2)) best = { config, program, ranges, accuracy };
  }
  // none met the target: the most accurate one is kept (the first on ties), which needs every
  // sample on every scale; scales that stopped early are measured again in full
  let bestI = -1;
  tried.forEach((t, i) => {
    if (t.samples < samples.length) {
      const accuracy = measureAccuracy(graph, quantiseGraph(graph, configFor(t.scale), ranges), samples, float.outputs);
      Object.assign(t, { relL2: accuracy.worstRelL2, samples: accuracy.samples });
    }
    if (bestI < 0 || t.relL2 < tried[bestI]!.relL2) bestI = i;
  });
  if (bestI < 0) throw lastError;
  if (best?.config.activationScale !== tried[bestI]!.scale) {
    const config = configFor(tried[bestI]!.scale);
    const program = quantiseGraph(graph, config, ranges);
    best = { config, program, ranges, accuracy: measureAccuracy(graph, program, samples, float.outputs) };
  }
  return { ...best, tried, metTarget: false, ...info };
}
