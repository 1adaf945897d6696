/**
 * TreeEnsembleClassifier (ai.onnx.ml 1, 3): class scores Z [N, classes] (leaf weights summed per
 * class plus base_values, through post_transform) and the label Y [N], the int64 class label at
 * the argmax of the scores (onnxruntime's rule for three or more classes). Two-class models are
 * refused: onnxruntime labels them by a threshold on one score and rewrites the score columns.
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "../op.js";
import { ML, classLabels, featureRows } from "./common.js";
import { type Forest, checkFeatures, classifierForest, forestScores } from "./forest.js";
import { argmaxLabels } from "./linear-classifier.js";

export function classifierOf(ctx: OpContext): { forest: Forest; labels: number[] } {
  const labels = classLabels(ctx, "classlabels_int64s", "classlabels_strings");
  // onnxruntime labels two-class ensembles by thresholds on the second score (0 or 0.5, by the
  // weights' signs), not by the argmax, and rewrites the scores: not reproduced yet
  if (labels.length === 2) {
    throw unsupported(ctx, "a two-class TreeEnsembleClassifier: onnxruntime's binary rules (labels by a threshold on one score, rewritten score columns) are not reproduced yet", "export the binary model as a TreeEnsembleRegressor of the raw score and compare it with the threshold, or train with three or more classes");
  }
  return { forest: classifierForest(ctx, labels.length), labels };
}

function make(sinceVersion: number): OpDef {
  return {
    opType: "TreeEnsembleClassifier",
    domain: ML,
    sinceVersion,
    infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
      const { rows, cols } = featureRows(ctx, required(ctx, inputs, 0));
      const { forest } = classifierOf(ctx);
      checkFeatures(ctx, forest, cols);
      return [
        { dtype: "int64", shape: [rows] },
        { dtype: "float32", shape: [rows, forest.targets] },
      ];
    },
    run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
      const x = required(ctx, inputs, 0);
      const { rows, cols } = featureRows(ctx, x);
      const { forest, labels } = classifierOf(ctx);
      const raw = forestScores(forest, x, rows, cols, false);
      const y = argmaxLabels(raw, rows, forest.targets, labels);
      const z = forestScores(forest, x, rows, cols);
      return [tensor("int64", [rows], y), tensor("float32", [rows, forest.targets], z.map(Math.fround))];
    },
  };
}

export const TreeEnsembleClassifier_1 = make(1);
export const TreeEnsembleClassifier_3 = make(3);
