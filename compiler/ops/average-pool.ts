/**
 * AveragePool: mean over each window. Padding counts towards the divisor only with
 * count_include_pad=1 (the overhang ceil_mode adds never does). One definition serves opset 1
 * onward: later versions add attributes (count_include_pad in 7, ceil_mode in 10, dilations in
 * 19) whose defaults give the earlier behaviour.
 */
import { type Tensor, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required } from "./op.js";
import { paddedWindowCounts, cachedWindowIndexMap } from "./util/conv-geometry.js";
import { poolPlan } from "./util/pool-plan.js";

function inferAveragePool(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
  const x = required(ctx, inputs, 0);
  return [{ dtype: x.dtype, shape: poolPlan(ctx, x.shape).outShape }];
}

function runAveragePool(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
  const x = required(ctx, inputs, 0);
  const p = poolPlan(ctx, x.shape);
  const includePad = ctx.attrs.int("count_include_pad", 0) !== 0;
  const map = cachedWindowIndexMap(p.geom);
  const padded = includePad ? paddedWindowCounts(p.geom) : undefined;
  const kSize = sizeOf(p.geom.kernelShape);
  const inSize = sizeOf(p.geom.inShape);
  const outSize = sizeOf(p.geom.outShape);
  const out = new Float64Array(p.planes * outSize);
  const xd = x.data;
  for (let plane = 0; plane < p.planes; plane++) {
    const inBase = plane * inSize;
    const outBase = plane * outSize;
    for (let o = 0; o < outSize; o++) {
      let sum = 0;
      let count = 0;
      const mBase = o * kSize;
      for (let k = 0; k < kSize; k++) {
        const idx = map[mBase + k]!;
        if (idx < 0) continue;
        sum += xd[inBase + idx]!;
        count++;
      }
      const divisor = padded ? padded[o]! : count;
      out[outBase + o] = storeAs(x.dtype, divisor > 0 ? sum / divisor : NaN);
    }
  }
  return [tensor(x.dtype, p.outShape, out)];
}

/** AveragePool, opset 1 onward. */
export const AveragePool_1: OpDef = { opType: "AveragePool", sinceVersion: 1, infer: inferAveragePool, run: runAveragePool };
