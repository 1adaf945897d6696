/**
 * SoftmaxCrossEntropyLoss (opset 12; 13 only adds dtypes): log_softmax of scores [N, C, d...]
 * along the class axis 1, then NegativeLogLikelihoodLoss with the labels, optional weights,
 * `reduction` and `ignore_index`. Optional output 1 is the log probabilities.
 */
import type { Tensor } from "../ir/tensor.js";
import { logSoftmaxLane } from "./log-softmax.js";
import { checkTargets, lossReduction, lossShape, nllLoss } from "./negative-log-likelihood-loss.js";
import { type OpDef, type OutputInfo, required } from "./op.js";
import { mapLanes, splitAtAxis } from "./util/reduce.js";

export const SoftmaxCrossEntropyLoss_12: OpDef = {
  opType: "SoftmaxCrossEntropyLoss",
  sinceVersion: 12,
  infer(inputs, ctx): OutputInfo[] {
    const scores = required(ctx, inputs, 0);
    const shape = lossShape(ctx, scores, required(ctx, inputs, 1), inputs[2], lossReduction(ctx));
    return [
      { dtype: scores.dtype, shape },
      { dtype: scores.dtype, shape: [...scores.shape] },
    ];
  },
  run(inputs, ctx): Tensor[] {
    const scores = required(ctx, inputs, 0);
    const labels = required(ctx, inputs, 1);
    const ignoreIndex = ctx.attrs.has("ignore_index") ? ctx.attrs.int("ignore_index") : undefined;
    checkTargets(ctx, labels, scores.shape[1]!, ignoreIndex);
    // log probabilities in float64 first: the loss should not see them rounded to float32
    const logProb64 = mapLanes(scores, splitAtAxis(scores.shape, 1), "float64", logSoftmaxLane);
    const loss = nllLoss(logProb64, labels, inputs[2], lossReduction(ctx), ignoreIndex, scores.dtype);
    const logProb = mapLanes(scores, splitAtAxis(scores.shape, 1), scores.dtype, logSoftmaxLane);
    return [loss, logProb];
  },
};
