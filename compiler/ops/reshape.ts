/**
 * Reshape: same data, new shape. A 0 in the target copies the input dim at that position (unless
 * `allowzero`, opset 14), one -1 takes whatever size is left. Reshape-1 takes the shape as an
 * attribute, later versions as a (compile-time) input.
 */
import { sizeOf, shapeToString } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, constantInput, required, shapeError } from "./op.js";
import { asInfos, intList } from "./util/shape-args.js";

/** The output shape of reshaping `inShape` to `target` (ONNX rules). */
export function reshapeTarget(ctx: OpContext, inShape: readonly number[], target: readonly number[], allowZero: boolean): number[] {
  if (allowZero && target.includes(0) && target.includes(-1)) {
    throw shapeError(ctx, "with allowzero = 1 the shape may not contain both 0 and -1", "no 0 together with -1", shapeToString(target));
  }
  const out = target.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= inShape.length) throw shapeError(ctx, `shape entry ${i} is 0 (copy) but the input has rank ${inShape.length}`, undefined, shapeToString(target));
      return inShape[i]!;
    }
    if (d < -1 || !Number.isInteger(d)) throw shapeError(ctx, `invalid shape entry ${d}`, "dims >= -1", shapeToString(target));
    return d;
  });
  const free = out.filter((d) => d === -1).length;
  if (free > 1) throw shapeError(ctx, "the shape has more than one -1", "at most one -1", shapeToString(target));
  const total = sizeOf(inShape);
  const known = out.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (free === 1) {
    if (known === 0 || total % known !== 0) {
      throw shapeError(ctx, `cannot reshape ${shapeToString(inShape)} (${total} elements) to ${shapeToString(target)}`, `a multiple of ${known} elements`, `${total}`);
    }
    out[out.indexOf(-1)] = total / known;
  } else if (known !== total) {
    throw shapeError(ctx, `cannot reshape ${shapeToString(inShape)} to ${shapeToString(target)}`, `${total} elements`, `${known}`);
  }
  return out;
}

function reshapeOp(since: number, shapeOf: (inputs: (InputInfo | undefined)[], ctx: OpContext) => number[], allowZeroAttr: boolean): OpDef {
  const plan = (inputs: (InputInfo | undefined)[], ctx: OpContext) =>
    reshapeTarget(ctx, required(ctx, inputs, 0).shape, shapeOf(inputs, ctx), allowZeroAttr && ctx.attrs.int("allowzero", 0) === 1);
  return {
    opType: "Reshape",
    sinceVersion: since,
    infer(inputs, ctx) {
      return [{ dtype: required(ctx, inputs, 0).dtype, shape: plan(inputs, ctx) }];
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: plan(asInfos(inputs), ctx), data: x.data }];
    },
  };
}

const shapeInput = (inputs: (InputInfo | undefined)[], ctx: OpContext) => intList(constantInput(ctx, inputs, 1, "the target shape"));

/** Reshape-1: `shape` attribute. */
export const Reshape_1: OpDef = reshapeOp(1, (_i, ctx) => ctx.attrs.ints("shape"), false);
/** Reshape-5: shape input. */
export const Reshape_5: OpDef = reshapeOp(5, shapeInput, false);
/** Reshape-14: `allowzero` attribute. */
export const Reshape_14: OpDef = reshapeOp(14, shapeInput, true);
