/**
 * Hardmax: 1 at the first maximum of each lane, 0 elsewhere. Opset 1-12 coerce to 2-D at `axis`
 * (default 1); opset 13+ work along the single `axis` (default -1).
 */
import { laneOp } from "./softmax.js";

export function hardmaxLane(lane: Float64Array): void {
  let best = 0;
  for (let k = 1; k < lane.length; k++) if (lane[k]! > lane[best]!) best = k;
  lane.fill(0);
  if (lane.length > 0) lane[best] = 1;
}

/** opset 1-12: 2-D coercion at `axis` (default 1) */
export const Hardmax_1 = laneOp("Hardmax", 1, hardmaxLane);
/** opset 13+: single axis (default -1) */
export const Hardmax_13 = laneOp("Hardmax", 13, hardmaxLane);
