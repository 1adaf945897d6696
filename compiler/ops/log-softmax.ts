/**
 * LogSoftmax: x - max - log(sum(exp(x - max))). Opset 1-12 coerce to 2-D at `axis` (default 1);
 * opset 13+ work along the single `axis` (default -1).
 */
import { laneOp } from "./softmax.js";

export function logSoftmaxLane(lane: Float64Array): void {
  let max = -Infinity;
  for (const v of lane) if (v > max) max = v;
  let sum = 0;
  for (const v of lane) sum += Math.exp(v - max);
  const logSum = Math.log(sum);
  for (let k = 0; k < lane.length; k++) lane[k] = lane[k]! - max - logSum;
}

/** opset 1-12: 2-D coercion at `axis` (default 1) */
export const LogSoftmax_1 = laneOp("LogSoftmax", 1, logSoftmaxLane);
/** opset 13+: single axis (default -1) */
export const LogSoftmax_13 = laneOp("LogSoftmax", 13, logSoftmaxLane);
