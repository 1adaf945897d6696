/**
 * Softmax. Opset 1-12: the input is coerced to 2-D [..axis) x [axis..) (axis default 1) and
 * each row is normalised. Opset 13+: normalised along the single `axis` (default -1).
 */
import type { Tensor } from "../ir/tensor.js";
import { type OpDef, required } from "./op.js";
import { checkDType } from "./util/elementwise.js";
import { type AxisSplit, axisAttr, coerce2D, mapLanes, splitAtAxis } from "./util/reduce.js";

/** exp(x - max) / sum, in place; max subtraction keeps exp from overflowing. */
export function softmaxLane(lane: Float64Array): void {
  let max = -Infinity;
  for (const v of lane) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < lane.length; k++) {
    lane[k] = Math.exp(lane[k]! - max);
    sum += lane[k]!;
  }
  for (let k = 0; k < lane.length; k++) lane[k] = lane[k]! / sum;
}

/**
 * An OpDef that maps lanes along an axis: shared by Softmax, LogSoftmax and Hardmax, which
 * differ only in the lane function.
 */
export function laneOp(opType: string, sinceVersion: number, lane: (l: Float64Array) => void): OpDef {
  const coerced = sinceVersion < 13;
  const split = (shape: readonly number[], axis: number): AxisSplit =>
    coerced ? coerce2D(shape, axis) : splitAtAxis(shape, axis);
  return {
    opType,
    sinceVersion,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      checkDType(ctx, x.dtype, "float", 0);
      axisAttr(ctx, x.shape, coerced ? 1 : -1);
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
    run(inputs, ctx): Tensor[] {
      const x = required(ctx, inputs, 0);
      const axis = axisAttr(ctx, x.shape, coerced ? 1 : -1);
      return [mapLanes(x, split(x.shape, axis), x.dtype, lane)];
    },
  };
}

/** opset 1-12: 2-D coercion at `axis` (default 1) */
export const Softmax_1 = laneOp("Softmax", 1, softmaxLane);
/** opset 13+: single axis (default -1) */
export const Softmax_13 = laneOp("Softmax", 13, softmaxLane);
