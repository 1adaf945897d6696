/**
 * CumSum (opset 11): running sum along the axis given by input 1 (a constant scalar), with
 * `exclusive` (leave out the current element) and `reverse` (sum from the end).
 */
import { type Tensor, shapeToString, sizeOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, constantInput, normaliseAxis, required, shapeError } from "./op.js";
import { checkDType } from "./util/elementwise.js";
import { mapLanes, splitAtAxis } from "./util/reduce.js";

function axisOf(ctx: OpContext, axisTensor: Tensor, rank: number): number {
  if (sizeOf(axisTensor.shape) !== 1) {
    throw shapeError(ctx, "the axis input must be a scalar", "[] or [1]", shapeToString(axisTensor.shape));
  }
  return normaliseAxis(ctx, axisTensor.data[0]!, rank);
}

export const CumSum_11: OpDef = {
  opType: "CumSum",
  sinceVersion: 11,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    checkDType(ctx, x.dtype, "numeric", 0);
    axisOf(ctx, constantInput(ctx, inputs, 1, "the cumulative-sum axis"), x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const axis = axisOf(ctx, required(ctx, inputs, 1), x.shape.length);
    const exclusive = ctx.attrs.int("exclusive", 0) !== 0;
    const reverse = ctx.attrs.int("reverse", 0) !== 0;
    return [
      mapLanes(x, splitAtAxis(x.shape, axis), x.dtype, (lane) => {
        const n = lane.length;
        let acc = 0;
        for (let s = 0; s < n; s++) {
          const k = reverse ? n - 1 - s : s;
          const v = lane[k]!;
          lane[k] = exclusive ? acc : acc + v;
          acc += v;
        }
      }),
    ];
  },
};
