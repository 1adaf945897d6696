/**
 * ReduceL2: the Euclidean norm over `axes` (all axes when none are given), `keepdims` default 1.
 * Opset 1-17: axes as an attribute. Opset 18+: axes as optional input 1 (constant at compile
 * time), and `noop_with_empty_axes=1` turns an empty axes list into no reduction.
 */
import { type ReduceSpec, reduceOp } from "./util/reduce.js";

const semantics: Omit<ReduceSpec, "opType" | "sinceVersion" | "axesFrom"> = {
  init: 0,
  fold: (acc, x) => acc + x * x,
  finish: (sumSq) => Math.sqrt(sumSq),
};

/** opset 1-17: `axes` attribute */
export const ReduceL2_1 = reduceOp({ opType: "ReduceL2", sinceVersion: 1, axesFrom: "attribute", ...semantics });
/** opset 18+: `axes` input and `noop_with_empty_axes` */
export const ReduceL2_18 = reduceOp({ opType: "ReduceL2", sinceVersion: 18, axesFrom: "input", ...semantics });
