/**
 * RMSNormalization (opset 23): Y = X / sqrt(mean(X^2 over axes [axis, rank)) + epsilon) * Scale,
 * LayerNormalization without the mean and the bias. Scale broadcasts (unidirectionally) onto the
 * normalised shape. Statistics are computed in float64; stash_type only names the precision the
 * ONNX function body computes them in (float32 by default).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, normaliseAxis, required, shapeError } from "./op.js";
import { broadcastIndex } from "./util/broadcast.js";

/** Normalised rows and their length; checks that Scale broadcasts onto the normalised shape. */
export function rmsPlan(ctx: OpContext, x: { readonly shape: readonly number[] }, scale: { readonly shape: readonly number[] }): { axis: number; rows: number; cols: number } {
  const rank = x.shape.length;
  if (rank < 1) throw shapeError(ctx, "RMSNormalization input must have rank >= 1", "rank >= 1", shapeToString(x.shape));
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", -1), rank);
  const normShape = x.shape.slice(axis);
  const ok = scale.shape.length <= normShape.length && scale.shape.every((d, i) => d === 1 || d === normShape[normShape.length - scale.shape.length + i]);
  if (!ok) throw shapeError(ctx, "RMSNormalization Scale does not broadcast to the normalised shape", shapeToString(normShape), shapeToString(scale.shape));
  return { axis, rows: sizeOf(x.shape.slice(0, axis)), cols: sizeOf(normShape) };
}

export const RMSNormalization_23: OpDef = {
  opType: "RMSNormalization",
  sinceVersion: 23,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    rmsPlan(ctx, x, required(ctx, inputs, 1));
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const scale = required(ctx, inputs, 1);
    const p = rmsPlan(ctx, x, scale);
    const eps = ctx.attrs.float("epsilon", 1e-5);
    const sIdx = broadcastIndex(scale.shape, x.shape.slice(p.axis));
    const y = new Float64Array(x.data.length);
    for (let r = 0; r < p.rows; r++) {
      const base = r * p.cols;
      let sq = 0;
      for (let c = 0; c < p.cols; c++) sq += x.data[base + c]! ** 2;
      const inv = 1 / Math.sqrt(sq / p.cols + eps);
      for (let c = 0; c < p.cols; c++) y[base + c] = storeAs(x.dtype, x.data[base + c]! * inv * scale.data[sIdx[c]!]!);
    }
    return [tensor(x.dtype, x.shape, y)];
  },
};
