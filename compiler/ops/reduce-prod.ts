/**
 * ReduceProd: the product over `axes` (all axes when none are given), `keepdims` default 1.
 * Opset 1-17: axes as an attribute. Opset 18+: axes as optional input 1 (constant at compile
 * time), and `noop_with_empty_axes=1` turns an empty axes list into no reduction.
 */
import { type ReduceSpec, reduceOp } from "./util/reduce.js";

const semantics: Omit<ReduceSpec, "opType" | "sinceVersion" | "axesFrom"> = {
  init: 1,
  fold: (acc, x) => acc * x,
};

/** opset 1-17: `axes` attribute */
export const ReduceProd_1 = reduceOp({ opType: "ReduceProd", sinceVersion: 1, axesFrom: "attribute", ...semantics });
/** opset 18+: `axes` input and `noop_with_empty_axes` */
export const ReduceProd_18 = reduceOp({ opType: "ReduceProd", sinceVersion: 18, axesFrom: "input", ...semantics });
