/**
 * TreeEnsembleClassifier (ai.onnx.ml 1, 3): class scores Z [N, classes] (leaf weights summed per
 * class plus base_values, through post_transform) and the label Y [N], the int64 class label at
 * the argmax of the scores. Binary models that score one class only are refused (onnxruntime
 * derives the second column by rules that depend on the weights' signs).
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "../op.js";
import { ML, classLabels, featureRows } from "./common.js";
import { type Forest, checkFeatures, classifierForest, forestScores } from "./forest.js";
import { argmaxLabels } from "./linear-classifier.js";

export function classifierOf(ctx: OpContext): { forest: Forest; labels: number[] } {
  const labels = classLabels(ctx, "classlabels_int64s", "classlabels_strings");
  const forest = classifierForest(ctx, labels.length);
  const ids = ctx.attrs.ints("class_ids");
  if (labels.length === 2 && ids.every((c) => c === 0)) {
    throw unsupported(ctx, "a binary TreeEnsembleClassifier that scores one class only", "export the classifier with one score column per class (e.g. a random forest), or use TreeEnsembleRegressor + a threshold");
  }
  return { forest, labels };
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
