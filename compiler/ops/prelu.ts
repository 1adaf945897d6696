/**
 * PRelu: x for x >= 0, slope * x below. From opset 7 the slope broadcasts to X (unidirectional
 * numpy broadcasting: the output has X's shape). Before, the slope was X's shape, a single value,
 * or one value per channel (axis 1).
 */
import { type Tensor, shapeToString, sizeOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, required, shapeError } from "./op.js";
import { broadcastOrThrow, broadcastMap2, checkDType, checkSameDType } from "./util/elementwise.js";

const prelu = (x: number, slope: number) => (x < 0 ? slope * x : x);

/** The slope's shape, made numpy-broadcastable to X; a SHAPE error when it cannot reach X's shape. */
function slopeShape(ctx: OpContext, x: readonly number[], slope: readonly number[], legacy: boolean): number[] {
  let s = [...slope];
  if (legacy && sizeOf(slope) !== 1 && slope.length === 1 && x.length > 2 && slope[0] === x[1]) {
    s = [slope[0]!, ...new Array<number>(x.length - 2).fill(1)];
  }
  const out = broadcastOrThrow(ctx, [x, s]);
  if (out.length !== x.length || out.some((d, i) => d !== x[i])) {
    throw shapeError(
      ctx,
      `slope of shape ${shapeToString(slope)} does not broadcast to X's shape ${shapeToString(x)}`,
      `a shape broadcastable to ${shapeToString(x)}`,
      shapeToString(slope),
    );
  }
  return s;
}

function preluOp(sinceVersion: number, legacy: boolean): OpDef {
  return {
    opType: "PRelu",
    sinceVersion,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const slope = required(ctx, inputs, 1);
      checkDType(ctx, x.dtype, "signed", 0);
      checkSameDType(ctx, [x, slope]);
      slopeShape(ctx, x.shape, slope.shape, legacy);
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
    run(inputs, ctx): Tensor[] {
      const x = required(ctx, inputs, 0);
      const slope = required(ctx, inputs, 1);
      const s = slopeShape(ctx, x.shape, slope.shape, legacy);
      return [broadcastMap2(x, { ...slope, shape: s }, x.shape, x.dtype, prelu)];
    },
  };
}

/** opset 1-6: slope of X's shape, of one value, or of one value per channel */
export const PRelu_1 = preluOp(1, true);
/** opset 7+: slope unidirectionally broadcast to X (9 and 16 only add dtypes) */
export const PRelu_7 = preluOp(7, false);
