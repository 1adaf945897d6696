/**
 * LinearClassifier (ai.onnx.ml 1): scores Z = X·coefficientsᵀ + intercepts [N, E] through
 * post_transform (NONE, SOFTMAX, LOGISTIC); the label Y [N] is the int64 class label at the
 * argmax of the scores. With one coefficient row and two labels (a binary model) the scores are
 * [-s, s], as onnxruntime writes them, so the label is labels[1] exactly when s > 0.
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "../op.js";
import { attributeError } from "../util/conv-geometry.js";
import { ML, type PostTransform, applyPostTransform, classLabels, featureRows, postTransformOf } from "./common.js";
import { type LinearPlan, linearPlan, linearScores } from "./linear-regressor.js";

export interface ClassifierPlan extends LinearPlan {
  labels: number[];
  postTransform: PostTransform;
}

/** The classifier as a linear model with one row per class (a binary model's row doubled as [-w, w]). */
export function classifierPlan(ctx: OpContext, x: { dtype: Tensor["dtype"]; shape: readonly number[] }): ClassifierPlan {
  const labels = classLabels(ctx, "classlabels_ints", "classlabels_strings");
  const postTransform = postTransformOf(ctx);
  if (postTransform !== "NONE" && postTransform !== "SOFTMAX" && postTransform !== "LOGISTIC") {
    throw unsupported(ctx, `LinearClassifier with post_transform ${postTransform}`, "export with post_transform NONE, SOFTMAX or LOGISTIC");
  }
  const { cols } = featureRows(ctx, x);
  const rowsOfCoefficients = cols ? ctx.attrs.floats("coefficients").length / cols : 0;
  if (rowsOfCoefficients === 1 && labels.length === 2) {
    const one = linearPlan(ctx, x, 1);
    return {
      ...one,
      outputs: 2,
      coefficients: [...one.coefficients.map((v) => -v), ...one.coefficients],
      intercepts: [-one.intercepts[0]!, one.intercepts[0]!],
      labels,
      postTransform,
    };
  }
  if (rowsOfCoefficients !== labels.length) {
    throw attributeError(ctx, `"coefficients" hold ${rowsOfCoefficients} rows of ${cols} features for ${labels.length} class labels`, `${labels.length * cols} values`, String(ctx.attrs.floats("coefficients").length));
  }
  return { ...linearPlan(ctx, x, labels.length), labels, postTransform };
}

export const LinearClassifier_1: OpDef = {
  opType: "LinearClassifier",
  domain: ML,
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const p = classifierPlan(ctx, required(ctx, inputs, 0));
    return [
      { dtype: "int64", shape: [p.rows] },
      { dtype: "float32", shape: [p.rows, p.outputs] },
    ];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const p = classifierPlan(ctx, x);
    const scores = linearScores(x, p);
    const labels = argmaxLabels(scores, p.rows, p.outputs, p.labels);
    applyPostTransform(scores, p.rows, p.outputs, p.postTransform);
    return [tensor("int64", [p.rows], labels), tensor("float32", [p.rows, p.outputs], scores.map(Math.fround))];
  },
};

/** labels[argmax of each row] (the first maximum). */
export function argmaxLabels(scores: Float64Array, rows: number, width: number, labels: readonly number[]): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < width; j++) if (scores[r * width + j]! > scores[r * width + best]!) best = j;
    out[r] = labels[best]!;
  }
  return out;
}
