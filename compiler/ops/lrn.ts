/**
 * LRN (opset 1 and 13 share semantics): local response normalisation across channels,
 * Y = X / (bias + alpha / size * sum of X^2 over a window of `size` channels) ^ beta, the window
 * reaching floor((size-1)/2) channels down and ceil((size-1)/2) up.
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { attributeError } from "./util/conv-geometry.js";

function check(ctx: OpContext, x: readonly number[]): number {
  if (x.length < 3) throw shapeError(ctx, "LRN input must be [N, C, spatial...]", "rank >= 3", shapeToString(x));
  const size = ctx.attrs.int("size");
  if (!(size >= 1)) throw attributeError(ctx, "LRN attribute size must be positive", ">= 1", String(size));
  return size;
}

export const LRN_1: OpDef = {
  opType: "LRN",
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    check(ctx, x.shape);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const size = check(ctx, x.shape);
    const alpha = ctx.attrs.float("alpha", 1e-4);
    const beta = ctx.attrs.float("beta", 0.75);
    const bias = ctx.attrs.float("bias", 1);
    const channels = x.shape[1]!;
    const spatial = sizeOf(x.shape.slice(2));
    const down = Math.floor((size - 1) / 2);
    const up = Math.ceil((size - 1) / 2);
    const y = new Float64Array(x.data.length);
    for (let n = 0; n < x.shape[0]!; n++) {
      for (let c = 0; c < channels; c++) {
        const lo = Math.max(0, c - down);
        const hi = Math.min(channels - 1, c + up);
        for (let s = 0; s < spatial; s++) {
          let sq = 0;
          for (let cc = lo; cc <= hi; cc++) sq += x.data[(n * channels + cc) * spatial + s]! ** 2;
          const i = (n * channels + c) * spatial + s;
          y[i] = storeAs(x.dtype, x.data[i]! / Math.pow(bias + (alpha / size) * sq, beta));
        }
      }
    }
    return [tensor(x.dtype, x.shape, y)];
  },
};
