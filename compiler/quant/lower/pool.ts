/**
 * Pooling lowerings through the shared window index map: windows are gathered into rows, then
 * summed (average) or reduced by a pairwise max tree (max). Padding never wins a max: it reads a
 * constant below every possible value.
 */
import { sizeOf } from "../../ir/tensor.js";
import { cachedWindowIndexMap, paddedWindowCounts } from "../../ops/util/conv-geometry.js";
import { poolPlan } from "../../ops/util/pool-plan.js";
import type { QTensor } from "../prim.js";
import { type Lower, filled, maxOverLast, mulByConstant, negate, notQuantisable, tableOn } from "./common.js";
import { rowNorms } from "./norm.js";
import { inputSpan } from "./reduce.js";

/** Gathers every window into a row: [planes * outSpatial, K]; padding reads source 1 (or zero). */
function windows(q: Parameters<Lower>[1]["q"], x: QTensor, planes: number, HW: number, OHW: number, K: number, win: Int32Array, pad: QTensor | null): QTensor {
  const idx = new Int32Array(planes * OHW * K);
  const src = pad ? new Int32Array(idx.length) : undefined;
  for (let p = 0; p < planes; p++)
    for (let o = 0; o < OHW; o++)
      for (let kk = 0; kk < K; kk++) {
        const at = (p * OHW + o) * K + kk;
        const sp = win[o * K + kk]!;
        if (sp >= 0) idx[at] = p * HW + sp;
        else if (pad) (idx[at] = 0), (src![at] = 1);
        else idx[at] = -1;
      }
  return q.gather(pad ? [x, pad] : [x], [planes * OHW, K], idx, src);
}

export const lowerMaxPool: Lower = (inputs, ctx) => {
  if (ctx.node.outputs.length > 1 && ctx.node.outputs[1] !== "") throw notQuantisable(ctx, "MaxPool's Indices output cannot be proven yet");
  const { q } = ctx;
  const x = inputs[0]!.value();
  const plan = poolPlan(ctx, x.shape);
  const K = sizeOf(plan.geom.kernelShape);
  const OHW = sizeOf(plan.geom.outShape);
  const low = q.paramInts("pool-pad", [1], Float64Array.of(-x.maxAbs - 1), x.scale);
  const rows = windows(q, x, plan.planes, sizeOf(plan.geom.inShape), OHW, K, cachedWindowIndexMap(plan.geom), low);
  return [maxOverLast(q, rows, plan.planes * OHW, K, plan.outShape)];
};

export const lowerAveragePool: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const x = inputs[0]!.value();
  const plan = poolPlan(ctx, x.shape);
  const K = sizeOf(plan.geom.kernelShape);
  const OHW = sizeOf(plan.geom.outShape);
  const win = cachedWindowIndexMap(plan.geom);
  const rows = windows(q, x, plan.planes, sizeOf(plan.geom.inShape), OHW, K, win, null);
  const sums = q.reduceSum(rows, plan.planes * OHW, K, 1, plan.outShape);
  const includePad = ctx.attrs.int("count_include_pad", 0) !== 0;
  const counts = includePad ? paddedWindowCounts(plan.geom) : null;
  const inv = new Float64Array(plan.planes * OHW);
  for (let o = 0; o < OHW; o++) {
    let c = counts ? counts[o]! : 0;
    if (!counts) for (let kk = 0; kk < K; kk++) if (win[o * K + kk]! >= 0) c++;
    for (let p = 0; p < plan.planes; p++) inv[p * OHW + o] = 1 / Math.max(1, c);
  }
  return [mulByConstant(q, sums, inv, "1/count")];
};

/** Extra output bits of the |x|^p table: the p-th root amplifies the rounding of small sums. */
const POWER_EXTRA_BITS = 8;

/**
 * LpPool: the p-norm of each gathered window (padding reads 0 and adds nothing). p = 1 and 2 are
 * exact sums (then a sqrt table for p = 2); any other p >= 1 looks up |x|^p (at 8 extra bits),
 * sums, and takes the p-th root from two tables: a fine one for sums below 1, where the root is
 * steep, and one over [1, hi] (hi from the calibrated output range), chosen by [sum >= 1].
 */
export const lowerLpPool: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const x = X.value();
  const p = ctx.attrs.float("p", 2);
  if (!(p >= 1) || !Number.isFinite(p)) throw notQuantisable(ctx, `LpPool with p = ${p}: only finite p >= 1 is a norm`, "use p >= 1");
  const plan = poolPlan(ctx, x.shape);
  const K = sizeOf(plan.geom.kernelShape);
  const OHW = sizeOf(plan.geom.outShape);
  const rows = windows(q, x, plan.planes, sizeOf(plan.geom.inShape), OHW, K, cachedWindowIndexMap(plan.geom), null);
  const span = inputSpan(ctx, X, x);
  if (p === 1 || p === 2) return [rowNorms(ctx, rows, plan.planes * OHW, K, p, span, plan.outShape)];
  const act = q.config.activationScale;
  const ps = act + POWER_EXTRA_BITS;
  const powers = tableOn(q, q.maxT(rows, negate(q, rows)), (v) => v ** p, 0, span, ps, `abs^${p}:${ctx.node.name}`);
  const sums = q.reduceSum(powers, plan.planes * OHW, K, 1, plan.outShape);
  // the root's domain: what the calibrated output allows, else the inputs' bound
  const out = ctx.range(ctx.node.outputs[0]!);
  const hi = Math.max(1, out ? Math.min(K * span ** p, (Math.max(Math.abs(out.min), Math.abs(out.max)) * q.config.rangeMargin) ** p) : K * span ** p);
  const root = (v: number) => v ** (1 / p);
  const fine = tableOn(q, sums, root, 0, 1, act, `root${p}<1:${ctx.node.name}`);
  const coarse = tableOn(q, sums, root, 1, hi, act, `root${p}>=1:${ctx.node.name}`);
  const atLeastOne = q.clamp(q.addT(sums, filled(q, sums.shape, 1 - 2 ** ps, ps, "1-one")), 0, 1, 0);
  return [q.tighten(q.addT(fine, q.mulT(atLeastOne, q.subT(coarse, fine))), Math.max(fine.maxAbs, coarse.maxAbs))];
};

function globalPool(kind: "avg" | "max"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const x = inputs[0]!.value();
    const planes = x.shape[0]! * x.shape[1]!;
    const HW = sizeOf(x.shape.slice(2));
    const outShape = ctx.outputs[0]!.shape;
    if (kind === "max") return [maxOverLast(q, x, planes, HW, outShape)];
    const sums = q.reduceSum(x, planes, HW, 1, outShape);
    return [mulByConstant(q, sums, new Float64Array(planes).fill(1 / HW), "1/HW")];
  };
}
export const lowerGlobalAveragePool = globalPool("avg");
export const lowerGlobalMaxPool = globalPool("max");
