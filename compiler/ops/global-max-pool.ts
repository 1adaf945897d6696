/** GlobalMaxPool (opset 1 onward): maximum over all spatial axes, X [N, C, d...] -> [N, C, 1...]. */
import type { Tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required } from "./op.js";
import { globalPoolRun, globalPoolShape } from "./global-average-pool.js";

export const GlobalMaxPool_1: OpDef = {
  opType: "GlobalMaxPool",
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: globalPoolShape(ctx, x.shape) }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    return [
      globalPoolRun(ctx, required(ctx, inputs, 0), (d, start, len) => {
        let m = -Infinity;
        for (let i = start; i < start + len; i++) if (d[i]! > m || Number.isNaN(d[i]!)) m = d[i]!;
        return m;
      }),
    ];
  },
};
