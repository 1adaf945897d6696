/**
 * ReduceSum: the sum over `axes` (all axes when none are given), `keepdims` default 1.
 * Opset 1-12: axes as an attribute. Opset 13+: axes as optional input 1 (constant at compile
 * time), and `noop_with_empty_axes=1` turns an empty axes list into no reduction.
 */
import { type ReduceSpec, reduceOp } from "./util/reduce.js";

const semantics: Omit<ReduceSpec, "opType" | "sinceVersion" | "axesFrom"> = {
  init: 0,
  fold: (acc, x) => acc + x,
};

/** opset 1-12: `axes` attribute */
export const ReduceSum_1 = reduceOp({ opType: "ReduceSum", sinceVersion: 1, axesFrom: "attribute", ...semantics });
/** opset 13+: `axes` input and `noop_with_empty_axes` */
export const ReduceSum_13 = reduceOp({ opType: "ReduceSum", sinceVersion: 13, axesFrom: "input", ...semantics });
