/**
 * TreeEnsemble (ai.onnx.ml 5): Y [N, n_targets] in X's float type, leaf weights aggregated
 * (aggregate_function 0..3 = AVERAGE, SUM, MIN, MAX) through post_transform; nodes and leaves
 * are indexed arrays and tree_roots names each tree's root. See forest.ts.
 */
import { type Tensor, tensor, storeAs } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "../op.js";
import { ML, featureRows } from "./common.js";
import { checkFeatures, ensembleForest, forestScores } from "./forest.js";

export const TreeEnsemble_5: OpDef = {
  opType: "TreeEnsemble",
  domain: ML,
  sinceVersion: 5,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    if (x.dtype !== "float32" && x.dtype !== "float64" && x.dtype !== "float16") throw unsupported(ctx, `TreeEnsemble of ${x.dtype} features`, "TreeEnsemble takes float features; cast them first");
    const { rows, cols } = featureRows(ctx, x.dtype === "float16" ? { ...x, dtype: "float32" } : x);
    const f = ensembleForest(ctx);
    checkFeatures(ctx, f, cols);
    return [{ dtype: x.dtype, shape: [rows, f.targets] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const { rows, cols } = featureRows(ctx, x.dtype === "float16" ? { ...x, dtype: "float32" } : x);
    const f = ensembleForest(ctx);
    return [tensor(x.dtype, [rows, f.targets], forestScores(f, x, rows, cols).map((v) => storeAs(x.dtype, v)))];
  },
};
