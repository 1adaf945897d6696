/**
 * Lowerings of the ONNX-ML ops (ai.onnx.ml). Features are [rows, cols] integer tensors; linear
 * models are one matmul with the constant weights (products at the sum of the scales, biases
 * added there exactly, one rescale); Binarizer is logic.ts's comparison with a constant; labels
 * are the argmax of the raw scores mapped to the class labels; post_transforms reuse the
 * Sigmoid table and the Softmax lowering.
 */
import { sizeOf, tensor } from "../../ir/tensor.js";
import { type PostTransform } from "../../ops/ml/common.js";
import { classifierPlan } from "../../ops/ml/linear-classifier.js";
import { linearPlan, type LinearPlan } from "../../ops/ml/linear-regressor.js";
import { normOf } from "../../ops/ml/normalizer.js";
import { scalerColumns } from "../../ops/ml/scaler.js";
import { Sigmoid_1 } from "../../ops/sigmoid.js";
import { lowerAsLookup } from "../generic.js";
import type { LowerContext } from "../lower-context.js";
import type { QTensor } from "../prim.js";
import { type Lower, filled, maxOverLast, notQuantisable, reshape, repeatEach } from "./common.js";
import { lowerGreater } from "./logic.js";
import { lowerSoftmax } from "./reduce.js";

/** The features as [rows, cols]. */
export function featureMatrix(ctx: LowerContext, x: QTensor, rows: number, cols: number): QTensor {
  return reshape(ctx.q, x, [rows, cols]);
}

export const lowerScaler: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const x = X.value();
  const cols = X.shape.length ? X.shape[X.shape.length - 1]! : 1;
  const { offset, scale } = scalerColumns(ctx, cols);
  const n = sizeOf(X.shape);
  // (x - o)·s = x·s - o·s: one product with the per-column scale, the shift added at the product scale
  const s = q.param(`${ctx.node.name}/scale`, x.shape, Float64Array.from({ length: n }, (_, i) => scale[i % cols]!), "weight");
  const xs = q.mulT(x, s);
  const shift = q.param(`${ctx.node.name}/shift`, x.shape, Float64Array.from({ length: n }, (_, i) => -offset[i % cols]! * scale[i % cols]!), xs.scale);
  return [q.toScale(q.addT(xs, shift), q.config.activationScale)];
};

export const lowerBinarizer: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const threshold = { name: `${ctx.node.name}/threshold`, shape: [], dtype: X.dtype, constant: tensor("float32", [], [ctx.attrs.float("threshold", 0)]), value: () => q.param("threshold", [], [ctx.attrs.float("threshold", 0)], X.value().scale) };
  const [d] = lowerGreater([X, threshold], { ...ctx, outputs: [{ dtype: "bool", shape: X.shape }] });
  // the truth value, in X's type: at the activation scale for floats
  return [q.toScale(d!, X.dtype === "float32" || X.dtype === "float64" ? q.config.activationScale : 0)];
};

/**
 * Normalizer: MAX and L1 divide each row by its maximum or its sum of |x| (an all-zero row stays
 * zero: the denominator is kept at least one grid step). MAX is proven for non-negative features
 * only (the calibrated range decides), where the row maximum is positive or the row is zero.
 */
export const lowerNormalizer: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const X = inputs[0]!;
  const norm = normOf(ctx);
  const cols = X.shape[X.shape.length - 1]!;
  const rows = sizeOf(X.shape) / cols;
  const x = featureMatrix(ctx, X.value(), rows, cols);
  let den: QTensor;
  if (norm === "L2") {
    throw notQuantisable(ctx, "Normalizer with norm L2 needs a square root of a sum of squares, which zkc cannot prove yet", "use norm L1 or MAX, or scale the features before export");
  }
  if (norm === "MAX") {
    const r = ctx.range(X.name);
    if (!r || r.min < 0) throw notQuantisable(ctx, `Normalizer MAX divides by the row maximum, proven for non-negative features only (calibrated minimum ${r ? r.min : "unknown"})`, "use norm L1, or calibrate with the non-negative features the model sees");
    den = maxOverLast(q, x, rows, cols, [rows]);
  } else {
    const pos = q.clamp(x, 0, x.maxAbs);
    const abs = q.subT(q.scaleBy(pos, 2), x);
    den = q.reduceSum(abs, rows, cols, 1, [rows]);
  }
  den = q.clamp(den, 1, den.maxAbs);
  const act = q.config.activationScale;
  const y = q.divide(x, q.gather([den], [rows, cols], repeatEach(rows, cols)), act + den.scale - x.scale);
  return [q.tighten(reshape(q, y, X.shape), 2 ** act)];
};

/** X·Wᵀ + b at the product scale, [rows, outputs]. */
export function linearLayer(ctx: LowerContext, x: QTensor, p: LinearPlan): QTensor {
  const { q } = ctx;
  const wt = new Float64Array(p.cols * p.outputs);
  for (let o = 0; o < p.outputs; o++) for (let c = 0; c < p.cols; c++) wt[c * p.outputs + o] = p.coefficients[o * p.cols + c]!;
  const w = q.param(`${ctx.node.name}/coefficients`, [p.cols, p.outputs], wt, "weight");
  const y = q.matmul(featureMatrix(ctx, x, p.rows, p.cols), w, { batch: 1, bBatch: 1, m: p.rows, k: p.cols, n: p.outputs }, [p.rows, p.outputs]);
  const b = Float64Array.from({ length: p.rows * p.outputs }, (_, i) => p.intercepts[i % p.outputs]!);
  return q.addT(y, q.param(`${ctx.node.name}/intercepts`, [p.rows, p.outputs], b, y.scale));
}

export const lowerLinearRegressor: Lower = (inputs, ctx) => {
  const X = inputs[0]!;
  const p = linearPlan(ctx, { dtype: X.dtype ?? "float32", shape: X.shape }, ctx.attrs.int("targets", 1));
  return [ctx.q.toScale(linearLayer(ctx, X.value(), p), ctx.q.config.activationScale)];
};

const sigmoidTable = lowerAsLookup(Sigmoid_1.run);

/** Scores [rows, width] through a post_transform, at the activation scale. */
export function postTransformed(ctx: LowerContext, scores: QTensor, t: PostTransform): QTensor {
  const { q } = ctx;
  const s = q.toScale(scores, q.config.activationScale);
  if (t === "NONE") return s;
  // the scores are no ONNX value: the table's domain comes from their static bound
  const input = { name: `${ctx.node.name}/scores`, shape: s.shape, dtype: "float32" as const, value: () => s };
  const sub = { ...ctx, outputs: [{ dtype: "float32" as const, shape: s.shape }] };
  if (t === "LOGISTIC") return sigmoidTable([input], sub)[0]!;
  if (t === "SOFTMAX") return lowerSoftmax([input], sub)[0]!;
  throw notQuantisable(ctx, `post_transform ${t} has no quantised lowering yet`, "export with post_transform NONE, LOGISTIC or SOFTMAX");
}

/**
 * The int64 label at the first maximum of each row of `scores` [rows, width], from regular
 * primitives only (no `argmax` kernel, so a classifier proves in GKR kernels): e_j = [s_j = max]
 * = clamp(s_j - max + 1, 0, 1) on integers, c = e·U (U upper triangular: the running count of
 * maxima), first_j = e_j·[c_j <= 1], and label = first·labels, a matmul that also maps the index
 * to the class label.
 */
export function labelsAtArgmax(ctx: LowerContext, scores: QTensor, rows: number, width: number, labels: readonly number[]): QTensor {
  const { q } = ctx;
  const shape = [rows, width];
  const m = maxOverLast(q, scores, rows, width, [rows]);
  const e = q.clamp(q.addT(q.subT(scores, q.gather([m], shape, repeatEach(rows, width))), filled(q, shape, 1, scores.scale, "one")), 0, 1, 0);
  const upper = new Float64Array(width * width);
  for (let k = 0; k < width; k++) for (let j = k; j < width; j++) upper[k * width + j] = 1;
  const count = q.matmul(e, q.paramInts(`${ctx.node.name}/running-count`, [width, width], upper, 0), { batch: 1, bBatch: 1, m: rows, k: width, n: width }, shape);
  const atMostOne = q.clamp(q.subT(filled(q, shape, 2, 0, "two"), count), 0, 1, 0);
  const first = q.tighten(q.mulT(e, atMostOne), 1);
  const label = q.matmul(first, q.paramInts(`${ctx.node.name}/labels`, [width, 1], Float64Array.from(labels), 0), { batch: 1, bBatch: 1, m: rows, k: width, n: 1 }, [rows, 1]);
  return q.tighten(reshape(q, label, [rows]), Math.max(...labels.map(Math.abs)));
}

export const lowerLinearClassifier: Lower = (inputs, ctx) => {
  const X = inputs[0]!;
  const p = classifierPlan(ctx, { dtype: X.dtype ?? "float32", shape: X.shape });
  const raw = linearLayer(ctx, X.value(), p);
  return [labelsAtArgmax(ctx, raw, p.rows, p.outputs, p.labels), postTransformed(ctx, raw, p.postTransform)];
};

