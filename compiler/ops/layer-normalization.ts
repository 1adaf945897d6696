/**
 * LayerNormalization (opset 17): normalises over axes [axis, rank), then scales and shifts:
 * Y = (X - mean) * InvStdDev * Scale + B, with InvStdDev = 1 / sqrt(var + epsilon) (population
 * variance). Optional outputs Mean and InvStdDev have X's shape with the normalised axes set to 1.
 * Statistics are computed in float64 and stored as float32 for stash_type=1 (the default).
 */
import { type DType, type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, normaliseAxis, required, shapeError } from "./op.js";
import { broadcastIndex } from "./util/broadcast.js";

interface LayerNormPlan {
  axis: number;
  /** number of independent rows (product of dims before axis) */
  rows: number;
  /** normalised size (product of dims from axis) */
  cols: number;
  statShape: number[];
  statDtype: DType;
}

function plan(ctx: OpContext, x: InputInfo | Tensor, scale: InputInfo | Tensor, bias?: InputInfo | Tensor): LayerNormPlan {
  const rank = x.shape.length;
  if (rank < 1) throw shapeError(ctx, "LayerNormalization input must have rank >= 1", "rank >= 1", shapeToString(x.shape));
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", -1), rank);
  const normShape = x.shape.slice(axis);
  for (const [what, t] of [["Scale", scale], ["B", bias]] as const) {
    if (!t) continue;
    // unidirectional broadcast onto the normalised shape
    const ok = t.shape.length <= normShape.length && t.shape.every((d, i) => d === 1 || d === normShape[normShape.length - t.shape.length + i]);
    if (!ok) throw shapeError(ctx, `LayerNormalization ${what} does not broadcast to the normalised shape`, shapeToString(normShape), shapeToString(t.shape));
  }
  const stash = ctx.attrs.int("stash_type", 1);
  return {
    axis,
    rows: sizeOf(x.shape.slice(0, axis)),
    cols: sizeOf(normShape),
    statShape: x.shape.map((d, i) => (i < axis ? d : 1)),
    statDtype: stash === 1 ? "float32" : x.dtype,
  };
}

export const LayerNormalization_17: OpDef = {
  opType: "LayerNormalization",
  sinceVersion: 17,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    const p = plan(ctx, x, required(ctx, inputs, 1), inputs[2]);
    return [
      { dtype: x.dtype, shape: [...x.shape] },
      { dtype: p.statDtype, shape: p.statShape },
      { dtype: p.statDtype, shape: p.statShape },
    ];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const scale = required(ctx, inputs, 1);
    const bias = inputs[2];
    const p = plan(ctx, x, scale, bias);
    const eps = ctx.attrs.float("epsilon", 1e-5);
    const normShape = x.shape.slice(p.axis);
    const sIdx = broadcastIndex(scale.shape, normShape);
    const bIdx = bias ? broadcastIndex(bias.shape, normShape) : undefined;
    const y = new Float64Array(x.data.length);
    const means = new Float64Array(p.rows);
    const invStd = new Float64Array(p.rows);
    for (let r = 0; r < p.rows; r++) {
      const base = r * p.cols;
      let sum = 0;
      for (let c = 0; c < p.cols; c++) sum += x.data[base + c]!;
      const mean = sum / p.cols;
      let sq = 0;
      for (let c = 0; c < p.cols; c++) {
        const d = x.data[base + c]! - mean;
        sq += d * d;
      }
      const inv = 1 / Math.sqrt(sq / p.cols + eps);
      means[r] = storeAs(p.statDtype, mean);
      invStd[r] = storeAs(p.statDtype, inv);
      for (let c = 0; c < p.cols; c++) {
        const v = (x.data[base + c]! - mean) * inv * scale.data[sIdx[c]!]! + (bias ? bias.data[bIdx![c]!]! : 0);
        y[base + c] = storeAs(x.dtype, v);
      }
    }
    return [tensor(x.dtype, x.shape, y), tensor(p.statDtype, p.statShape, means), tensor(p.statDtype, p.statShape, invStd)];
  },
};
