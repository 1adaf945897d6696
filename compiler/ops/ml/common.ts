/**
 * Shared rules of the ONNX-ML ops (domain ai.onnx.ml): feature inputs are [N, C] or [C] (one
 * row) of float, double, int64 or int32, and scores leave through a post_transform.
 */
import type { DType } from "../../ir/tensor.js";
import { type OpContext, shapeError, unsupported } from "../op.js";
import { attributeError } from "../util/conv-geometry.js";

export const ML = "ai.onnx.ml";

const FEATURE_DTYPES: readonly DType[] = ["float32", "float64", "int64", "int32"];

/** Rows and columns of a feature input: [N, C], or [C] read as one row. */
export function featureRows(ctx: OpContext, x: { dtype: DType; shape: readonly number[] }): { rows: number; cols: number } {
  if (!FEATURE_DTYPES.includes(x.dtype)) {
    throw unsupported(ctx, `${ctx.node.opType} reads float, double, int64 or int32 features, not ${x.dtype}`, "cast the features to float before this node");
  }
  if (x.shape.length === 1) return { rows: 1, cols: x.shape[0]! };
  if (x.shape.length === 2) return { rows: x.shape[0]!, cols: x.shape[1]! };
  throw shapeError(ctx, `${ctx.node.opType} takes features of shape [N, C] or [C]`, "rank 1 or 2", `rank ${x.shape.length}`);
}

export type PostTransform = "NONE" | "SOFTMAX" | "LOGISTIC" | "SOFTMAX_ZERO" | "PROBIT";
const POST_TRANSFORMS: readonly PostTransform[] = ["NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO", "PROBIT"];

export function postTransformOf(ctx: OpContext, name: string | number = "post_transform"): PostTransform {
  const v = typeof name === "number" ? POST_TRANSFORMS[name] : ctx.attrs.string(name, "NONE");
  if (!v || !POST_TRANSFORMS.includes(v as PostTransform)) {
    throw attributeError(ctx, `unknown post_transform "${String(v ?? name)}"`, POST_TRANSFORMS.join(", "), String(v ?? name));
  }
  return v as PostTransform;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** The inverse of the standard normal CDF (ONNX-ML's PROBIT), by the Winitzki approximation of erfinv. */
function probit(p: number): number {
  const x = 2 * p - 1;
  const a = 0.147;
  const ln = Math.log(1 - x * x);
  const t = 2 / (Math.PI * a) + ln / 2;
  return Math.SQRT2 * Math.sign(x) * Math.sqrt(Math.sqrt(t * t - ln / a) - t);
}

/** Applies a post_transform to scores [rows, width] in place, as ONNX-ML defines them. */
export function applyPostTransform(scores: Float64Array, rows: number, width: number, t: PostTransform): void {
  for (let r = 0; r < rows; r++) {
    const row = scores.subarray(r * width, (r + 1) * width);
    if (t === "LOGISTIC") row.forEach((v, i) => (row[i] = logistic(v)));
    else if (t === "PROBIT") row.forEach((v, i) => (row[i] = probit(v)));
    else if (t === "SOFTMAX" || t === "SOFTMAX_ZERO") {
      // SOFTMAX_ZERO leaves zero scores at zero
      const m = Math.max(...row);
      let s = 0;
      const e = Array.from(row, (v) => (t === "SOFTMAX_ZERO" && v === 0 ? 0 : Math.exp(v - m)));
      for (const v of e) s += v;
      row.forEach((_, i) => (row[i] = s === 0 ? 0 : e[i]! / s));
    }
  }
}

/** A required attribute array, or an ATTRIBUTE error naming it. */
export function requireLength(ctx: OpContext, name: string, values: readonly unknown[], length: number, what: string): void {
  if (values.length !== length) {
    throw attributeError(ctx, `attribute "${name}" has ${values.length} entries; ${what}`, String(length), String(values.length));
  }
}

/** Integer class labels; string labels are refused (zkc outputs int64 class ids). */
export function classLabels(ctx: OpContext, intsName: string, stringsName: string): number[] {
  if (ctx.attrs.has(stringsName)) {
    throw unsupported(
      ctx,
      `${ctx.node.opType} with string class labels ("${stringsName}"): zkc outputs class ids as int64 tensors`,
      "train or export with integer class labels (e.g. encode y with LabelEncoder before fitting), or drop the label output",
    );
  }
  const labels = ctx.attrs.ints(intsName, []);
  if (labels.length === 0) throw attributeError(ctx, `${ctx.node.opType} needs "${intsName}" (integer class labels)`);
  return labels;
}

