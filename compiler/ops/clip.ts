/**
 * Clip: min(max(x, lo), hi). Opset 6-10 take the bounds from the `min`/`max` attributes
 * (defaults: the float32 range, so +-inf become +-FLT_MAX); opset 11+ from optional scalar
 * inputs 1 and 2 (omitted: no bound).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { checkDType, dtypeError } from "./util/elementwise.js";

function clipTensor(x: Tensor, lo: number, hi: number): Tensor {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    // NaN passes through; with lo > hi everything becomes hi, as the spec says
    out[i] = storeAs(x.dtype, Math.min(Math.max(x.data[i]!, lo), hi));
  }
  return tensor(x.dtype, x.shape, out);
}

/** numeric_limits<float>::max(), the spec's default bound before opset 11 */
const FLT_MAX = 3.4028234663852886e38;

/** opset 6-10: bounds as attributes */
export const Clip_6: OpDef = {
  opType: "Clip",
  sinceVersion: 6,
  infer(inputs, ctx): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    checkDType(ctx, x.dtype, "float", 0);
    ctx.attrs.float("min", -FLT_MAX);
    ctx.attrs.float("max", FLT_MAX);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [clipTensor(x, ctx.attrs.float("min", -FLT_MAX), ctx.attrs.float("max", FLT_MAX))];
  },
};

/** A bound input must hold one value of X's dtype. */
function checkBound(ctx: OpContext, bound: { dtype: string; shape: readonly number[] } | undefined, i: number, dtype: string): void {
  if (!bound) return;
  if (sizeOf(bound.shape) !== 1) {
    throw shapeError(ctx, `bound input ${i} ("${ctx.node.inputs[i]}") must be a scalar`, "[] or [1]", shapeToString(bound.shape));
  }
  if (bound.dtype !== dtype) throw dtypeError(ctx, `bound input ${i} must have X's dtype`, dtype, bound.dtype);
}

/** opset 11+: bounds as optional scalar inputs (12 and 13 only add dtypes) */
export const Clip_11: OpDef = {
  opType: "Clip",
  sinceVersion: 11,
  infer(inputs, ctx): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    checkDType(ctx, x.dtype, "numeric", 0);
    checkBound(ctx, inputs[1], 1, x.dtype);
    checkBound(ctx, inputs[2], 2, x.dtype);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const lo = inputs[1] ? inputs[1].data[0]! : -Infinity;
    const hi = inputs[2] ? inputs[2].data[0]! : Infinity;
    return [clipTensor(x, lo, hi)];
  },
};
