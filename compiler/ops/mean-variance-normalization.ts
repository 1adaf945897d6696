/**
 * MeanVarianceNormalization (opset 9 and 13 share semantics): Y = (X - E[X]) / (sqrt(E[X^2] -
 * E[X]^2) + 1e-9), with the expectations over `axes` (default [0, 2, 3]), as ONNX's function body
 * defines it.
 */
import { type Tensor, sizeOf, stridesOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, normaliseAxis, required } from "./op.js";

const EPSILON = 1e-9;

function readAxes(ctx: OpContext, rank: number): Set<number> {
  return new Set(ctx.attrs.ints("axes", [0, 2, 3]).map((a) => normaliseAxis(ctx, a, rank)));
}

export const MeanVarianceNormalization_9: OpDef = {
  opType: "MeanVarianceNormalization",
  sinceVersion: 9,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    readAxes(ctx, x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const axes = readAxes(ctx, x.shape.length);
    // group index of each element: its coordinates on the kept axes, flattened
    const kept = x.shape.map((d, a) => (axes.has(a) ? 1 : d));
    const keptStrides = stridesOf(kept);
    const strides = stridesOf(x.shape);
    const groups = sizeOf(kept);
    const count = sizeOf(x.shape) / groups;
    const group = new Int32Array(x.data.length);
    for (let i = 0; i < x.data.length; i++) {
      let rem = i;
      let g = 0;
      for (let a = 0; a < x.shape.length; a++) {
        const c = Math.floor(rem / strides[a]!);
        rem -= c * strides[a]!;
        if (!axes.has(a)) g += c * keptStrides[a]!;
      }
      group[i] = g;
    }
    const sum = new Float64Array(groups);
    const sumSq = new Float64Array(groups);
    for (let i = 0; i < x.data.length; i++) {
      sum[group[i]!]! += x.data[i]!;
      sumSq[group[i]!]! += x.data[i]! ** 2;
    }
    const y = new Float64Array(x.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const g = group[i]!;
      const mean = sum[g]! / count;
      const std = Math.sqrt(Math.max(0, sumSq[g]! / count - mean * mean));
      y[i] = storeAs(x.dtype, (x.data[i]! - mean) / (std + EPSILON));
    }
    return [tensor(x.dtype, x.shape, y)];
  },
};
