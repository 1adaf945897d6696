/**
 * LpPool: the p-norm of each window, (sum |x|^p)^(1/p), padding contributing nothing. One
 * definition serves opset 1 onward: opset 1 wrote p as a float, 2 as an int (both read here),
 * 11 added auto_pad values, 18 dilations and ceil_mode (defaults give the earlier behaviour).
 */
import { type Tensor, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required } from "./op.js";
import { cachedWindowIndexMap } from "./util/conv-geometry.js";
import { poolPlan } from "./util/pool-plan.js";

export const LpPool_1: OpDef = {
  opType: "LpPool",
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: poolPlan(ctx, x.shape).outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const plan = poolPlan(ctx, x.shape);
    const p = ctx.attrs.float("p", 2);
    const map = cachedWindowIndexMap(plan.geom);
    const kSize = sizeOf(plan.geom.kernelShape);
    const inSize = sizeOf(plan.geom.inShape);
    const outSize = sizeOf(plan.geom.outShape);
    const out = new Float64Array(plan.planes * outSize);
    for (let plane = 0; plane < plan.planes; plane++) {
      for (let o = 0; o < outSize; o++) {
        let sum = 0;
        for (let k = 0; k < kSize; k++) {
          const idx = map[o * kSize + k]!;
          if (idx >= 0) sum += Math.abs(x.data[plane * inSize + idx]!) ** p;
        }
        out[plane * outSize + o] = storeAs(x.dtype, sum ** (1 / p));
      }
    }
    return [tensor(x.dtype, plan.outShape, out)];
  },
};
