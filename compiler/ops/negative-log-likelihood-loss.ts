/**
 * NegativeLogLikelihoodLoss (opset 12; 13 only adds dtypes): input [N, C, d1..dk] of log
 * probabilities, integer target [N, d1..dk], optional weight [C]. Each element's loss is
 * -input[n, target, d] * weight[target]; targets equal to `ignore_index` contribute 0 and no
 * weight. reduction "none" keeps [N, d1..dk]; "sum" adds; "mean" (default) divides the sum by the
 * total weight of the elements that were not ignored.
 */
import { ZkcError } from "../errors.js";
import { type DType, type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { attributeError, checkDType } from "./util/elementwise.js";

export type LossReduction = "none" | "sum" | "mean";

/** The `reduction` attribute, checked. */
export function lossReduction(ctx: OpContext): LossReduction {
  const r = ctx.attrs.string("reduction", "mean");
  if (r !== "none" && r !== "sum" && r !== "mean") throw attributeError(ctx, "reduction", `"none", "sum" or "mean"`, JSON.stringify(r));
  return r;
}

/**
 * Shape rule shared with SoftmaxCrossEntropyLoss: input [N, C, d...], target [N, d...], weight
 * [C]; returns the loss shape for `reduction`.
 */
export function lossShape(
  ctx: OpContext,
  input: InputInfo,
  target: InputInfo,
  weight: InputInfo | undefined,
  reduction: LossReduction,
): number[] {
  checkDType(ctx, input.dtype, "float", 0);
  checkDType(ctx, target.dtype, "integer", 1);
  const [n, c, ...rest] = input.shape;
  const want = [n, ...rest];
  if (input.shape.length < 2 || target.shape.length !== want.length || target.shape.some((d, i) => d !== want[i])) {
    throw shapeError(
      ctx,
      `target of shape ${shapeToString(target.shape)} does not match input of shape ${shapeToString(input.shape)}`,
      `input [N, C, d...] with target [N, d...]`,
      `${shapeToString(input.shape)} and ${shapeToString(target.shape)}`,
    );
  }
  if (weight && (weight.shape.length !== 1 || weight.shape[0] !== c)) {
    throw shapeError(ctx, `weight must have shape [C] = [${c}]`, `[${c}]`, shapeToString(weight.shape));
  }
  return reduction === "none" ? (want as number[]) : [];
}

/** The loss itself, over log probabilities `logProb` [N, C, d...]. */
export function nllLoss(
  logProb: Tensor,
  target: Tensor,
  weight: Tensor | undefined,
  reduction: LossReduction,
  ignoreIndex: number | undefined,
  outDType: DType,
): Tensor {
  const [n, c] = logProb.shape as [number, number];
  const inner = sizeOf(logProb.shape.slice(2));
  const losses = new Float64Array(n * inner);
  let sum = 0;
  let weightSum = 0;
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < inner; j++) {
      const t = target.data[b * inner + j]!;
      if (t === ignoreIndex) continue;
      const w = weight ? weight.data[t]! : 1;
      const loss = -logProb.data[(b * c + t) * inner + j]! * w;
      losses[b * inner + j] = loss;
      sum += loss;
      weightSum += w;
    }
  }
  if (reduction === "none") {
    return tensor(outDType, target.shape, losses.map((v) => storeAs(outDType, v)));
  }
  return tensor(outDType, [], [storeAs(outDType, reduction === "sum" ? sum : sum / weightSum)]);
}

/** Targets must name a class (or be the ignored index): a bad label is bad user input. */
export function checkTargets(ctx: OpContext, target: Tensor, classes: number, ignoreIndex: number | undefined): void {
  for (const t of target.data) {
    if (t !== ignoreIndex && (t < 0 || t >= classes)) {
      throw new ZkcError("INPUT", `target value ${t} is not a class index`, {
        file: ctx.source,
        node: ctx.node.name,
        op: ctx.node.opType,
        expected: `0 <= target < ${classes}${ignoreIndex === undefined ? "" : ` or ${ignoreIndex} (ignore_index)`}`,
        got: String(t),
        hint: "labels must name one of the input's classes",
      });
    }
  }
}

export const NegativeLogLikelihoodLoss_12: OpDef = {
  opType: "NegativeLogLikelihoodLoss",
  sinceVersion: 12,
  infer(inputs, ctx): OutputInfo[] {
    const input = required(ctx, inputs, 0);
    const shape = lossShape(ctx, input, required(ctx, inputs, 1), inputs[2], lossReduction(ctx));
    return [{ dtype: input.dtype, shape }];
  },
  run(inputs, ctx): Tensor[] {
    const input = required(ctx, inputs, 0);
    const target = required(ctx, inputs, 1);
    const ignoreIndex = ctx.attrs.has("ignore_index") ? ctx.attrs.int("ignore_index") : undefined;
    checkTargets(ctx, target, input.shape[1]!, ignoreIndex);
    return [nllLoss(input, target, inputs[2], lossReduction(ctx), ignoreIndex, input.dtype)];
  },
};
