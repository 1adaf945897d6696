/** Accuracy of the integer program against the float interpreter, per output. */
import { runFloat } from "../float/interpret.js";
import type { Graph } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { dequantise, quantiseInput, runProgram } from "../../runtime/witness.js";
import type { QProgram } from "./prim.js";

export interface OutputAccuracy {
  name: string;
  /** largest |quantised - float| over all samples and elements */
  maxAbsError: number;
  /** mean over elements of |q - f| / max(|f|, 1e-3) */
  meanRelError: number;
  /** worst per-sample ||q - f||_2 / ||f||_2 */
  worstRelL2: number;
  /** fraction of samples whose argmax agrees (over the last axis, per row) */
  argmaxAgreement: number;
}

export interface AccuracyReport {
  samples: number;
  outputs: OutputAccuracy[];
  worstRelL2: number;
  /** input values clamped to the calibrated range, over all samples */
  clampedInputs: number;
}

export interface MeasureOptions {
  /**
   * Stop after the first sample whose relative L2 error exceeds this: the calibration search
   * only needs to know that a scale fails. The report then covers the samples run so far.
   */
  stopAbove?: number;
}

/** Runs float and integer versions on every sample and compares the outputs. */
export function measureAccuracy(
  graph: Graph,
  program: QProgram,
  samples: readonly Record<string, Tensor>[],
  floatOutputs?: ReadonlyMap<string, Tensor>[],
  opts: MeasureOptions = {},
): AccuracyReport {
  const acc = graph.outputs.map((o) => ({ name: o.name, maxAbs: 0, relSum: 0, relCount: 0, worstL2: 0, agree: 0, rows: 0 }));
  let clampedInputs = 0;
  let evaluated = 0;
  for (const [si, feeds] of samples.entries()) {
    const floats = floatOutputs?.[si] ?? runFloat(graph, feeds);
    const qin = new Map<string, Float64Array>();
    for (const name of program.inputs) {
      const r = quantiseInput(program, name, feeds[name]!.data);
      clampedInputs += r.clamped;
      qin.set(name, r.values);
    }
    const values = runProgram(program, qin);
    graph.outputs.forEach((o, k) => {
      const qt = program.tensors.get(program.outputs[k]!)!;
      const q = dequantise(values.get(qt.name)!, qt.scale);
      const f = floats.get(o.name)!.data;
      const a = acc[k]!;
      let num = 0;
      let den = 0;
      for (let i = 0; i < f.length; i++) {
        const d = Math.abs(q[i]! - f[i]!);
        a.maxAbs = Math.max(a.maxAbs, d);
        a.relSum += d / Math.max(Math.abs(f[i]!), 1e-3);
        a.relCount++;
        num += d * d;
        den += f[i]! * f[i]!;
      }
      a.worstL2 = Math.max(a.worstL2, den > 0 ? Math.sqrt(num / den) : Math.sqrt(num));
      const last = o.shape.length ? o.shape[o.shape.length - 1]! : 1;
      for (let r = 0; r + last <= f.length; r += last) {
        a.rows++;
        if (argmax(q, r, last) === argmax(f, r, last)) a.agree++;
      }
    });
    evaluated++;
    if (opts.stopAbove !== undefined && acc.some((a) => a.worstL2 > opts.stopAbove!)) break;
  }
  const outputs = acc.map((a) => ({
    name: a.name,
    maxAbsError: a.maxAbs,
    meanRelError: a.relCount ? a.relSum / a.relCount : 0,
    worstRelL2: a.worstL2,
    argmaxAgreement: a.rows ? a.agree / a.rows : 1,
  }));
  return { samples: evaluated, outputs, worstRelL2: Math.max(0, ...outputs.map((o) => o.worstRelL2)), clampedInputs };
}

function argmax(v: ArrayLike<number>, start: number, n: number): number {
  let best = start;
  for (let i = start + 1; i < start + n; i++) if (v[i]! > v[best]!) best = i;
  return best - start;
}
