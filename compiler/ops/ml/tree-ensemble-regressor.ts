/**
 * TreeEnsembleRegressor (ai.onnx.ml 1, 3): Y [N, n_targets], the trees' leaf weights aggregated
 * (SUM, AVERAGE, MIN, MAX) plus base_values, through post_transform. Version 3 adds the
 * *_as_tensor forms of the float arrays. See forest.ts for the attribute rules.
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import type { InputInfo, OpContext, OpDef, OutputInfo } from "../op.js";
import { required } from "../op.js";
import { ML, featureRows } from "./common.js";
import { checkFeatures, forestScores, regressorForest } from "./forest.js";

function make(sinceVersion: number): OpDef {
  return {
    opType: "TreeEnsembleRegressor",
    domain: ML,
    sinceVersion,
    infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
      const { rows, cols } = featureRows(ctx, required(ctx, inputs, 0));
      const f = regressorForest(ctx);
      checkFeatures(ctx, f, cols);
      return [{ dtype: "float32", shape: [rows, f.targets] }];
    },
    run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
      const x = required(ctx, inputs, 0);
      const { rows, cols } = featureRows(ctx, x);
      const f = regressorForest(ctx);
      return [tensor("float32", [rows, f.targets], forestScores(f, x, rows, cols).map(Math.fround))];
    },
  };
}

export const TreeEnsembleRegressor_1 = make(1);
export const TreeEnsembleRegressor_3 = make(3);
