/**
 * LinearRegressor (ai.onnx.ml 1): Y [N, targets] = X·coefficientsᵀ + intercepts, coefficients
 * [targets, C] row-major. post_transform NONE only (PROBIT is refused).
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "../op.js";
import { attributeError } from "../util/conv-geometry.js";
import { ML, featureRows, postTransformOf, requireLength } from "./common.js";

/** The linear model of a LinearRegressor or LinearClassifier: weights [outputs, cols] and biases. */
export interface LinearPlan {
  rows: number;
  cols: number;
  outputs: number;
  coefficients: number[];
  intercepts: number[];
}

export function linearPlan(ctx: OpContext, x: { dtype: Tensor["dtype"]; shape: readonly number[] }, outputs: number): LinearPlan {
  const { rows, cols } = featureRows(ctx, x);
  const coefficients = ctx.attrs.floats("coefficients");
  requireLength(ctx, "coefficients", coefficients, outputs * cols, `expected ${outputs} rows of ${cols} features`);
  const intercepts = ctx.attrs.floats("intercepts", []);
  if (intercepts.length) requireLength(ctx, "intercepts", intercepts, outputs, `expected one per output`);
  return { rows, cols, outputs, coefficients, intercepts: intercepts.length ? intercepts : new Array(outputs).fill(0) };
}

/** X·Wᵀ + b, [rows, outputs], in float64. */
export function linearScores(x: Tensor, p: LinearPlan): Float64Array {
  const out = new Float64Array(p.rows * p.outputs);
  for (let r = 0; r < p.rows; r++)
    for (let o = 0; o < p.outputs; o++) {
      let s = p.intercepts[o]!;
      for (let c = 0; c < p.cols; c++) s += x.data[r * p.cols + c]! * p.coefficients[o * p.cols + c]!;
      out[r * p.outputs + o] = s;
    }
  return out;
}

function targetsOf(ctx: OpContext): number {
  if (postTransformOf(ctx) !== "NONE") throw unsupported(ctx, `LinearRegressor with post_transform ${postTransformOf(ctx)}`, "export the regressor without a post_transform");
  const targets = ctx.attrs.int("targets", 1);
  if (targets < 1) throw attributeError(ctx, '"targets" must be at least 1', ">= 1", String(targets));
  return targets;
}

export const LinearRegressor_1: OpDef = {
  opType: "LinearRegressor",
  domain: ML,
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const p = linearPlan(ctx, required(ctx, inputs, 0), targetsOf(ctx));
    return [{ dtype: "float32", shape: [p.rows, p.outputs] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const p = linearPlan(ctx, x, targetsOf(ctx));
    return [tensor("float32", [p.rows, p.outputs], linearScores(x, p).map(Math.fround))];
  },
};
