/**
 * Lowerings of reductions and the ops built on them: ReduceSum/Mean/Max/Min, ArgMax, Softmax,
 * LogSoftmax, LayerNormalization. A reduction works on a [outer, len, inner] view; max-like
 * reductions first move the reduced axis last.
 */
import { ZkcError } from "../../errors.js";
import { sizeOf, tensor } from "../../ir/tensor.js";
import { normaliseAxis } from "../../ops/op.js";
import { quantiseValue } from "../builder.js";
import type { LowerContext, LowerInput } from "../lower-context.js";
import type { QTensor } from "../prim.js";
import { equalOnGrid } from "./logic.js";
import { type Lower, constantAs, filled, maxOverLast, moveAxisBack, moveAxisLast, mulByConstant, negate, notQuantisable, repeatEach, reshape } from "./common.js";

/** Reduced axes of a ReduceX node: from the attribute or from constant input 1. */
function reduceAxes(inputs: (LowerInput | undefined)[], ctx: LowerContext, rank: number): number[] {
  let raw: number[] = [];
  if (ctx.attrs.has("axes")) raw = ctx.attrs.ints("axes");
  else if (inputs[1]) {
    if (!inputs[1].constant) throw notQuantisable(ctx, "reduction axes must be constant");
    raw = [...inputs[1].constant.data];
  }
  if (raw.length === 0) {
    // no axes: reduce everything, unless the node asks for a no-op (axes-as-input versions)
    if (ctx.attrs.int("noop_with_empty_axes", 0) !== 0) return [];
    return [...Array(rank).keys()];
  }
  return [...new Set(raw.map((a) => normaliseAxis(ctx, a, rank)))].sort((a, b) => a - b);
}

/** Moves the reduced axes together at the end: x viewed as [kept..., reduced...] -> [rows, len]. */
export function groupReduced(q: LowerContext["q"], x: QTensor, axes: number[]): { t: QTensor; rows: number; len: number; idx?: Int32Array } {
  const shape = x.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const rows = sizeOf(kept.map((i) => shape[i]!));
  const len = sizeOf(axes.map((i) => shape[i]!));
  if (perm.every((p, i) => p === i)) return { t: x, rows, len };
  const permShape = perm.map((i) => shape[i]!);
  const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)));
  const n = sizeOf(shape);
  const idx = new Int32Array(n);
  const coord = new Array<number>(perm.length).fill(0);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += coord[d]! * strides[perm[d]!]!;
    idx[o] = src;
    for (let d = perm.length - 1; d >= 0; d--) {
      if (++coord[d]! < permShape[d]!) break;
      coord[d] = 0;
    }
  }
  return { t: q.gather([x], [rows, len], idx), rows, len, idx };
}

function reduction(kind: "sum" | "mean" | "max" | "min"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const x = inputs[0]!.value();
    const axes = reduceAxes(inputs, ctx, x.shape.length);
    const outShape = ctx.outputs[0]!.shape;
    if (axes.length === 0) return [x];
    const { t, rows, len } = groupReduced(q, x, axes);
    if (kind === "max") return [maxOverLast(q, t, rows, len, outShape)];
    if (kind === "min") return [negate(q, maxOverLast(q, negate(q, t), rows, len, outShape))];
    const s = q.reduceSum(t, rows, len, 1, outShape);
    return [kind === "sum" ? s : mulByConstant(q, s, new Float64Array(rows).fill(1 / len), "1/n")];
  };
}
/**
 * A function of a non-negative intermediate by table, on the real domain [0, hi] (`hi` from the
 * calibrated range of the node's input): the grid is the input's scale, made coarser until the
 * table fits; values beyond `hi` saturate. `floor` is the smallest real argument used (a positive
 * one keeps log finite at 0).
 */
export function tableOnRange(ctx: LowerContext, x: QTensor, fn: (v: number) => number, hi: number, kind: string, floor = 0): QTensor {
  const { q } = ctx;
  const act = q.config.activationScale;
  let t = x.scale;
  while (t > 0 && hi * 2 ** t + 1 > 2 ** q.config.maxTableBits) t--;
  const hiI = Math.max(1, Math.ceil(hi * 2 ** t));
  const loI = Math.min(hiI, Math.ceil(floor * 2 ** t));
  const values = new Float64Array(hiI - loI + 1);
  for (let j = 0; j < values.length; j++) values[j] = quantiseValue(fn(Math.max(floor, (loI + j) / 2 ** t)), act);
  const xs = q.clamp(q.toScale(x, t), loI, hiI);
  return q.lookup(xs, { id: `${kind}@${t}->${act}:${ctx.node.name}`, lo: loI, values }, act);
}

/** The largest |value| of the node's input, from its calibrated range (widened), else its bound. */
export function inputSpan(ctx: LowerContext, input: LowerInput, x: QTensor): number {
  const r = ctx.range(input.name);
  return r ? Math.max(Math.abs(r.min), Math.abs(r.max)) * ctx.q.config.rangeMargin : x.maxAbs / 2 ** x.scale;
}

/**
 * ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum, ReduceLogSumExp on the [rows, len] view of
 * the reduced axes: sums of |x| or x² (exact), then sqrt or log by table; LogSumExp subtracts
 * the lane maximum first, as Softmax does, so its exp table covers (-L, 0] only.
 */
function derivedReduction(kind: "l1" | "l2" | "sumsquare" | "logsum" | "logsumexp"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const input = inputs[0]!;
    const x = input.value();
    const axes = reduceAxes(inputs, ctx, x.shape.length);
    const outShape = ctx.outputs[0]!.shape;
    const { t, rows, len } = axes.length ? groupReduced(q, x, axes) : { t: x, rows: sizeOf(x.shape), len: 1 };
    const span = inputSpan(ctx, input, x);
    const act = q.config.activationScale;
    const sum = (v: QTensor) => q.reduceSum(v, rows, len, 1, outShape);
    if (kind === "l1") return [q.toScale(sum(q.maxT(t, negate(q, t))), act)];
    if (kind === "sumsquare" || kind === "l2") {
      const ss = sum(q.rescale(q.mulT(t, t), t.scale));
      return [kind === "sumsquare" ? q.toScale(ss, act) : tableOnRange(ctx, ss, Math.sqrt, len * span * span, "sqrt")];
    }
    if (len === 0 && (kind === "logsum" || kind === "logsumexp")) {
      throw notQuantisable(ctx, `${ctx.node.opType} over an empty axis is -infinity, which has no fixed-point value`);
    }
    if (kind === "logsum") {
      // log of a non-positive sum is -inf or NaN in floats: it saturates at the finest grid point
      return [tableOnRange(ctx, sum(t), Math.log, len * span, "log", 2 ** -t.scale)];
    }
    const m = maxOverLast(q, t, rows, len, [rows]);
    const e = expNonPositive(ctx, q.subT(t, q.gather([m], t.shape, repeatEach(rows, len))));
    // the lane maximum contributes exp(0) = 1: the sum lies in [1, len]
    const ls = tableOnRange(ctx, q.reduceSum(e, rows, len, 1, [rows]), Math.log, len, "log-sum-exp", 1);
    return [reshape(q, q.addT(q.toScale(m, act), ls), outShape)];
  };
}
export const lowerReduceL1 = derivedReduction("l1");
export const lowerReduceL2 = derivedReduction("l2");
export const lowerReduceSumSquare = derivedReduction("sumsquare");
export const lowerReduceLogSum = derivedReduction("logsum");
export const lowerReduceLogSumExp = derivedReduction("logsumexp");

export const lowerReduceSum = reduction("sum");
export const lowerReduceMean = reduction("mean");
export const lowerReduceMax = reduction("max");
export const lowerReduceMin = reduction("min");

/**
 * ArgMax, and ArgMin as the ArgMax of -x. With select_last_index the axis is reversed first, so
 * the first extreme found is the last one, and its index i maps back to len - 1 - i.
 */
function argExtreme(sign: 1 | -1): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const v = inputs[0]!.value();
    const x = sign === 1 ? v : negate(q, v);
    const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), x.shape.length);
    const outer = sizeOf(x.shape.slice(0, axis));
    const len = x.shape[axis]!;
    const inner = sizeOf(x.shape.slice(axis + 1));
    const outShape = ctx.outputs[0]!.shape;
    if (ctx.attrs.int("select_last_index", 0) === 0) return [q.argmax(x, outer, len, inner, outShape)];
    const reversed = new Int32Array(outer * len * inner);
    for (let o = 0; o < outer; o++)
      for (let k = 0; k < len; k++)
        for (let i = 0; i < inner; i++) reversed[(o * len + k) * inner + i] = (o * len + (len - 1 - k)) * inner + i;
    const r = q.argmax(q.gather([x], x.shape, reversed), outer, len, inner, outShape);
    return [q.subT(filled(q, outShape, len - 1, r.scale, "last-index"), r)];
  };
}
export const lowerArgMax = argExtreme(1);
export const lowerArgMin = argExtreme(-1);

/**
 * CumSum: the lanes of the axis times a constant 0/1 matrix (M[k][j] = 1 when element k enters
 * sum j, per `exclusive` and `reverse`), one exact matmul; no rescale (the weights are integers).
 */
export const lowerCumSum: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const x = inputs[0]!.value();
  const axisT = inputs[1]?.constant;
  if (!axisT || axisT.data.length !== 1) throw notQuantisable(ctx, "the CumSum axis must be a constant scalar");
  const axis = normaliseAxis(ctx, axisT.data[0]!, x.shape.length);
  const exclusive = ctx.attrs.int("exclusive", 0) !== 0;
  const reverse = ctx.attrs.int("reverse", 0) !== 0;
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const rows = outer * inner;
  const t = inner === 1 ? reshape(q, x, [rows, len]) : q.gather([x], [rows, len], moveAxisLast(outer, len, inner));
  const m = new Float64Array(len * len);
  for (let k = 0; k < len; k++)
    for (let j = 0; j < len; j++) {
      const enters = reverse ? (exclusive ? k > j : k >= j) : exclusive ? k < j : k <= j;
      if (enters) m[k * len + j] = 1;
    }
  const y = q.matmul(t, q.paramInts("cumsum", [len, len], m, 0), { batch: 1, bBatch: 1, m: rows, k: len, n: len }, [rows, len]);
  return [backToLayout(ctx, y, outer, len, inner, x.shape)];
};

/** ReduceProd: pairwise products of column halves, each rescaled back to the input's scale. */
export const lowerReduceProd: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const x = inputs[0]!.value();
  const axes = reduceAxes(inputs, ctx, x.shape.length);
  const outShape = ctx.outputs[0]!.shape;
  if (axes.length === 0) return [x];
  let { t, rows, len } = groupReduced(q, x, axes);
  if (len === 0) return [filled(q, outShape, 1, 0, "prod-of-nothing")];
  const columns = (from: number, count: number, width: number) => {
    const idx = new Int32Array(rows * count);
    for (let r = 0; r < rows; r++) for (let c = 0; c < count; c++) idx[r * count + c] = r * width + from + c;
    return idx;
  };
  while (len > 1) {
    const half = Math.floor(len / 2);
    const a = q.gather([t], [rows, half], columns(0, half, len));
    const b = q.gather([t], [rows, half], columns(half, half, len));
    const p = q.rescale(q.mulT(a, b), t.scale);
    if (len % 2 === 0) t = p;
    else {
      // the odd column out joins the next round
      const idx = new Int32Array(rows * (half + 1));
      const src = new Int32Array(rows * (half + 1));
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < half; c++) idx[r * (half + 1) + c] = r * half + c;
        idx[r * (half + 1) + half] = r * len + len - 1;
        src[r * (half + 1) + half] = 1;
      }
      t = q.gather([p, t], [rows, half + 1], idx, src);
    }
    len = t.shape[1]!;
  }
  return [q.toScale(reshape(q, t, outShape), q.config.activationScale)];
};

/** Softmax/LogSoftmax lanes: [outer, len, inner], opset < 13 coerces to 2-D at `axis`. */
function lanes(ctx: LowerContext, shape: number[]): { outer: number; len: number; inner: number } {
  const coerced = ctx.opset < 13 && ctx.node.opType !== "LayerNormalization";
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", coerced ? 1 : -1), shape.length);
  if (coerced) return { outer: sizeOf(shape.slice(0, axis)), len: sizeOf(shape.slice(axis)), inner: 1 };
  return { outer: sizeOf(shape.slice(0, axis)), len: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}

/** x - max(x) per lane, as [rows, len] with the reduced axis last, and the layout to go back. */
function shiftedByMax(ctx: LowerContext, x: QTensor) {
  const { q } = ctx;
  const { outer, len, inner } = lanes(ctx, x.shape);
  const rows = outer * inner;
  const t = inner === 1 ? x : q.gather([x], [rows, len], moveAxisLast(outer, len, inner));
  const m = maxOverLast(q, t, rows, len, [rows]);
  const d = q.subT(t, q.gather([m], t.shape, repeatEach(rows, len)));
  return { d, rows, len, outer, inner };
}

/** exp over (-L, 0]: the table stops where exp underflows the output grid. */
function expNonPositive(ctx: LowerContext, d: QTensor): QTensor {
  const { q } = ctx;
  const act = q.config.activationScale;
  const L = (act + 1) * Math.LN2;
  let t = d.scale;
  while (t > 0 && L * 2 ** t + 1 > 2 ** q.config.maxTableBits) t--;
  const lo = -Math.ceil(L * 2 ** t);
  const values = new Float64Array(-lo + 1);
  for (let j = 0; j < values.length; j++) values[j] = quantiseValue(Math.exp((lo + j) / 2 ** t), act);
  const xs = q.clamp(q.toScale(d, t), lo, 0);
  return q.lookup(xs, { id: `exp<=0@${t}->${act}`, lo, values }, act);
}

function backToLayout(ctx: LowerContext, y: QTensor, outer: number, len: number, inner: number, shape: number[]): QTensor {
  const { q } = ctx;
  if (inner === 1) return reshape(q, y, shape);
  return q.gather([y], shape, moveAxisBack(outer, len, inner));
}

/** Shared by Softmax and LogSoftmax: x - max per lane, its exp, and the lane sums of the exp. */
function expAndSums(ctx: LowerContext, x: QTensor) {
  const lane = shiftedByMax(ctx, x);
  const e = expNonPositive(ctx, lane.d);
  return { ...lane, e, s: ctx.q.reduceSum(e, lane.rows, lane.len, 1, [lane.rows]) };
}

export const lowerSoftmax: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const x = inputs[0]!.value();
  const { e, s, rows, len, outer, inner } = expAndSums(ctx, x);
  const act = q.config.activationScale;
  // the lane maximum contributes exp(0) = 2^act, so the sum is at least that
  const y = q.divide(e, q.gather([s], [rows, len], repeatEach(rows, len)), act, 2 ** act);
  return [backToLayout(ctx, y, outer, len, inner, x.shape)];
};

export const lowerLogSoftmax: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const x = inputs[0]!.value();
  const { d, s, rows, len, outer, inner } = expAndSums(ctx, x);
  // log of the sum (in [1, len] in reals) by a table on a grid coarse enough to fit
  const act = q.config.activationScale;
  let t = s.scale;
  while (t > 0 && (len - 1) * 2 ** t + 2 > 2 ** q.config.maxTableBits) t--;
  const lo = 2 ** t;
  const hi = Math.ceil(len * 2 ** t) + 1;
  const values = new Float64Array(hi - lo + 1);
  for (let j = 0; j < values.length; j++) values[j] = quantiseValue(Math.log((lo + j) / 2 ** t), d.scale);
  const ls = q.lookup(q.clamp(q.toScale(s, t), lo, hi), { id: `log-sum@${t}->${d.scale}`, lo, values }, d.scale);
  const y = q.toScale(q.subT(d, q.gather([ls], [rows, len], repeatEach(rows, len))), act);
  return [backToLayout(ctx, y, outer, len, inner, x.shape)];
};

/**
 * Hardmax: the lane's argmax (first maximum, as the float op), spread over the lane and compared
 * with the constant positions 0..len-1: a one-hot of 0/1 values, brought exactly to the
 * activation scale.
 */
export const lowerHardmax: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const x = inputs[0]!.value();
  const { outer, len, inner } = lanes(ctx, x.shape);
  const best = q.argmax(x, outer, len, inner, [outer * inner]);
  const spread = new Int32Array(outer * len * inner);
  const positions = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < len; k++)
      for (let i = 0; i < inner; i++) {
        spread[(o * len + k) * inner + i] = o * inner + i;
        positions[(o * len + k) * inner + i] = k;
      }
  const hot = equalOnGrid(q, q.gather([best], x.shape, spread), q.paramInts("positions", x.shape, positions, 0));
  return [q.toScale(hot, q.config.activationScale)];
};

/**
 * Rows of `x` viewed as [rows, len], normalised: mean, centred values, variance, a reciprocal
 * square root by table (domain from the calibrated input range), their product at the input's
 * scale. Shared by the normalisations, which differ in their rows and their scale and bias.
 * `inverseStd` maps a variance to the factor (`step` is the table's grid step).
 */
export function normalisedRows(ctx: LowerContext, X: LowerInput, x: QTensor, rows: number, len: number, eps: number, inverseStd = (v: number, _step: number) => 1 / Math.sqrt(v + eps)) {
  const { q } = ctx;
  const s = x.scale;
  const flat = [rows, len];
  const xf = reshape(q, x, flat);
  const sum = q.reduceSum(xf, rows, len, 1, [rows]);
  const mean = mulByConstant(q, sum, new Float64Array(rows).fill(1 / len), "1/len");
  const d = q.subT(xf, q.gather([mean], flat, repeatEach(rows, len)));
  const sq = q.rescale(q.mulT(d, d), s); // scale s
  const variance = mulByConstant(q, q.reduceSum(sq, rows, len, 1, [rows]), new Float64Array(rows).fill(1 / len), "1/len");

  const rstd = inverseStdByTable(ctx, X, x, variance, inverseStd);
  const rs = rstd.scale;
  const y = q.rescale(q.mulT(d, q.gather([rstd], flat, repeatEach(rows, len))), rs); // scale s
  return { y, mean, rstd, flat };
}

/**
 * The factor `inverseStd(variance)` per row by table over [0, span²] (the span of the node's
 * input `X` from its calibrated range), at the input's scale + 6: 1/sqrt(var) varies fast where
 * var is small. `step` is the table's grid step.
 */
export function inverseStdByTable(ctx: LowerContext, X: LowerInput, x: QTensor, variance: QTensor, inverseStd: (v: number, step: number) => number): QTensor {
  const { q } = ctx;
  const span = inputSpan(ctx, X, x);
  const vmax = span * span;
  let t = x.scale;
  while (t > 0 && vmax * 2 ** t + 1 > 2 ** q.config.maxTableBits) t--;
  const hiI = Math.max(1, Math.ceil(vmax * 2 ** t));
  const rs = x.scale + 6;
  const values = new Float64Array(hiI + 1);
  for (let j = 0; j <= hiI; j++) values[j] = quantiseValue(inverseStd(j / 2 ** t, 2 ** -t), rs);
  const vq = q.clamp(q.toScale(variance, t), 0, hiI);
  return q.lookup(vq, { id: `rsqrt@${t}->${rs}:${ctx.node.name}`, lo: 0, values }, rs);
}

/**
 * LayerNormalization over the trailing axes from `axis`: normalised rows, then scale and bias
 * per element of a row.
 */
export const lowerLayerNorm: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const [X, Sc, Bi] = inputs;
  if (!Sc?.constant || (Bi && !Bi.constant)) throw notQuantisable(ctx, "LayerNormalization needs constant scale and bias");
  const x = X!.value();
  const shape = x.shape;
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", -1), shape.length);
  const rows = sizeOf(shape.slice(0, axis));
  const len = sizeOf(shape.slice(axis));
  const n = normalisedRows(ctx, X!, x, rows, len, ctx.attrs.float("epsilon", 1e-5));
  let y = n.y;
  const gamma = constantAs(q, reshaped(Sc.constant, len), n.flat, "weight", Sc.name);
  y = q.mulT(y, gamma);
  if (Bi) y = q.addT(y, constantAs(q, reshaped(Bi.constant!, len), n.flat, y.scale, Bi.name));
  y = q.toScale(y, q.config.activationScale);
  // optional outputs: Mean and InvStdDev, one per normalised row
  const stats = ctx.outputs.slice(1).map((o, i) => (i === 0 ? reshape(q, n.mean, o.shape) : reshape(q, q.toScale(n.rstd, q.config.activationScale), o.shape)));
  return [reshape(q, y, shape), ...stats];
};

/**
 * InstanceNormalization (rows: the (n, c) planes) and GroupNormalization (rows: the (n, group)
 * blocks): normalised rows, then the per-channel (or, at GroupNormalization 18, per-group) scale
 * and bias, expanded to every element through `paramOf(row, j)`.
 */
function channelNorm(kind: "instance" | "group"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const [X, Sc, Bi] = inputs;
    if (!Sc?.constant || !Bi?.constant) throw notQuantisable(ctx, `${ctx.node.opType} needs constant scale and bias`);
    const x = X!.value();
    const shape = x.shape;
    const channels = shape[1]!;
    const spatial = sizeOf(shape.slice(2));
    const groups = kind === "instance" ? channels : ctx.attrs.int("num_groups");
    const perGroup = channels / groups;
    const perChannel = kind === "instance" || ctx.opset >= 21;
    const rows = shape[0]! * groups;
    const len = perGroup * spatial;
    const n = normalisedRows(ctx, X!, x, rows, len, ctx.attrs.float("epsilon", 1e-5));
    const expand = (c: NonNullable<LowerInput["constant"]>): Float64Array => {
      const out = new Float64Array(rows * len);
      for (let r = 0; r < rows; r++) {
        const g = r % groups;
        for (let j = 0; j < len; j++) out[r * len + j] = c.data[perChannel ? g * perGroup + Math.floor(j / spatial) : g]!;
      }
      return out;
    };
    let y = q.mulT(n.y, q.param(Sc.name, n.flat, expand(Sc.constant), "weight"));
    y = q.addT(y, q.param(Bi.name, n.flat, expand(Bi.constant), y.scale));
    return [reshape(q, q.toScale(y, q.config.activationScale), shape)];
  };
}
export const lowerInstanceNorm = channelNorm("instance");
export const lowerGroupNorm = channelNorm("group");

/**
 * LRN: squares summed over the channel window by one matmul with a constant 0/1 band matrix
 * (channels moved last), then (bias + alpha/size · sum)^-beta by table over the range the
 * calibrated input allows, times x.
 */
export const lowerLRN: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const x = X.value();
  const shape = x.shape;
  const size = ctx.attrs.int("size");
  const alpha = ctx.attrs.float("alpha", 1e-4);
  const beta = ctx.attrs.float("beta", 0.75);
  const bias = ctx.attrs.float("bias", 1);
  const outer = shape[0]!;
  const channels = shape[1]!;
  const inner = sizeOf(shape.slice(2));
  const rows = outer * inner;
  const down = Math.floor((size - 1) / 2);
  const up = Math.ceil((size - 1) / 2);
  const t = q.gather([x], [rows, channels], moveAxisLast(outer, channels, inner));
  const sq = q.rescale(q.mulT(t, t), t.scale); // scale s
  const band = new Float64Array(channels * channels);
  for (let k = 0; k < channels; k++) for (let c = Math.max(0, k - up); c <= Math.min(channels - 1, k + down); c++) band[k * channels + c] = 1;
  const sums = q.matmul(sq, q.paramInts("lrn-window", [channels, channels], band, 0), { batch: 1, bBatch: 1, m: rows, k: channels, n: channels }, [rows, channels]);
  const span = inputSpan(ctx, X, x);
  const hi = Math.min(size, channels) * span * span;
  const factor = tableOnRange(ctx, sums, (v) => Math.pow(bias + (alpha / size) * v, -beta), hi, "lrn");
  const y = q.toScale(q.rescale(q.mulT(t, factor), factor.scale), q.config.activationScale);
  return [backToLayout(ctx, y, outer, channels, inner, shape)];
};

function reshaped(c: NonNullable<LowerInput["constant"]>, len: number) {
  if (c.data.length !== len && c.data.length !== 1) {
    throw new ZkcError("SHAPE", `LayerNormalization parameter has ${c.data.length} values for ${len} normalised elements`);
  }
  return tensor(c.dtype, c.data.length === 1 ? [1] : [len], c.data);
}
