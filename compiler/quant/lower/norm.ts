/**
 * LpNormalization, MeanVarianceNormalization and RMSNormalization: sums, a table (sqrt, or the reciprocal standard
 * deviation of the shared normalisation rows) and a proven division or product.
 */
import { sizeOf } from "../../ir/tensor.js";
import { normaliseAxis } from "../../ops/op.js";
import type { LowerContext } from "../lower-context.js";
import type { QTensor } from "../prim.js";
import { type Lower, moveAxisBack, moveAxisLast, mulByConstant, negate, notQuantisable, repeatEach, reshape } from "./common.js";
import { broadcastIndex } from "../../ops/util/broadcast.js";
import { rmsPlan } from "../../ops/rms-normalization.js";
import { groupReduced, inputSpan, inverseStdByTable, normalisedRows, tableOnRange } from "./reduce.js";

/**
 * The p-norm (p = 1, 2) of each row of `t` ([rows, len]) at the activation scale: the sum of
 * max(x, -x) exactly, or sqrt of the sum of squares by a table over the range the calibrated
 * input `span` allows.
 */
export function rowNorms(ctx: LowerContext, t: QTensor, rows: number, len: number, p: number, span: number, outShape: number[]): QTensor {
  const { q } = ctx;
  if (p === 1) return q.toScale(q.reduceSum(q.maxT(t, negate(q, t)), rows, len, 1, outShape), q.config.activationScale);
  const ss = q.reduceSum(q.rescale(q.mulT(t, t), t.scale), rows, len, 1, outShape);
  return tableOnRange(ctx, ss, Math.sqrt, len * span * span, "sqrt");
}

/**
 * LpNormalization: x / ||x||_p along `axis` with the proven `divide`. The norm is raised to one
 * grid step first, so the divisor is positive: an all-zero lane gives 0, as the float op does
 * (ONNX's reference too), instead of 0/0. |x| <= ||x||_p, so the quotient saturates at ±1.
 */
export const lowerLpNormalization: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const x = X.value();
  const p = ctx.attrs.int("p", 2);
  if (p !== 1 && p !== 2) throw notQuantisable(ctx, `LpNormalization with p = ${p}: only p = 1 and 2 are defined`);
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", -1), x.shape.length);
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const rows = outer * inner;
  const t = inner === 1 ? reshape(q, x, [rows, len]) : q.gather([x], [rows, len], moveAxisLast(outer, len, inner));
  const norm = rowNorms(ctx, t, rows, len, p, inputSpan(ctx, X, x), [rows]);
  const den = q.gather([q.clamp(norm, 1, norm.maxAbs)], [rows, len], repeatEach(rows, len));
  const act = q.config.activationScale;
  // quotient at the activation scale: num·2^shift / den has scale t.scale + shift - den.scale
  const shift = act - t.scale + den.scale;
  const num = shift >= 0 ? t : q.scaleBy(t, 2 ** -shift, t.scale - shift);
  const y = q.clamp(q.divide(num, den, Math.max(0, shift), 1), -(2 ** act), 2 ** act);
  return [inner === 1 ? reshape(q, y, x.shape) : q.gather([y], x.shape, moveAxisBack(outer, len, inner))];
};

/**
 * MeanVarianceNormalization: (x - mean) / (sqrt(var) + 1e-9) over `axes`, through the rows
 * LayerNormalization uses (the reciprocal by table). A variance that rounds to 0 reads as half a
 * grid step, so the table stays finite; its centred values round to 0 or nearly so.
 */
export const lowerMeanVarianceNormalization: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const x = X.value();
  const axes = [...new Set(ctx.attrs.ints("axes", [0, 2, 3]).map((a) => normaliseAxis(ctx, a, x.shape.length)))].sort((a, b) => a - b);
  const { t, rows, len, idx } = groupReduced(q, x, axes);
  const n = normalisedRows(ctx, X, t, rows, len, 0, (v, step) => 1 / (Math.sqrt(Math.max(v, step / 2)) + 1e-9));
  const y = q.toScale(n.y, q.config.activationScale);
  if (!idx) return [reshape(q, y, x.shape)];
  const back = new Int32Array(idx.length);
  for (let o = 0; o < idx.length; o++) back[idx[o]!] = o;
  return [q.gather([y], x.shape, back)];
};

/**
 * RMSNormalization: the mean of x² per normalised row, 1/sqrt(. + eps) by the table
 * LayerNormalization uses, times x and the constant Scale.
 */
export const lowerRMSNormalization: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const [X, Sc] = inputs;
  if (!Sc?.constant) throw notQuantisable(ctx, "RMSNormalization needs a constant scale");
  const x = X!.value();
  const { axis, rows, cols } = rmsPlan(ctx, x, Sc.constant);
  const eps = ctx.attrs.float("epsilon", 1e-5);
  const flat = [rows, cols];
  const xf = reshape(q, x, flat);
  const squares = q.rescale(q.mulT(xf, xf), x.scale);
  const meanSquare = mulByConstant(q, q.reduceSum(squares, rows, cols, 1, [rows]), new Float64Array(rows).fill(1 / cols), "1/len");
  const rstd = inverseStdByTable(ctx, X!, x, meanSquare, (v) => 1 / Math.sqrt(v + eps));
  const normed = q.rescale(q.mulT(xf, q.gather([rstd], flat, repeatEach(rows, cols))), rstd.scale);
  const sIdx = broadcastIndex(Sc.constant.shape, x.shape.slice(axis));
  const gamma = Float64Array.from({ length: rows * cols }, (_, i) => Sc.constant!.data[sIdx[i % cols]!]!);
  const g = q.param(Sc.name, flat, gamma, "weight");
  const y = q.rescale(q.mulT(normed, g), g.scale);
  return [reshape(q, q.toScale(y, q.config.activationScale), x.shape)];
};
