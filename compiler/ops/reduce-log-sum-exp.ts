/**
 * ReduceLogSumExp: log(sum(exp(x))), accumulated stably over `axes` (all axes when none are given), `keepdims` default 1.
 * Opset 1-17: axes as an attribute. Opset 18+: axes as optional input 1 (constant at compile
 * time), and `noop_with_empty_axes=1` turns an empty axes list into no reduction.
 */
import { type ReduceSpec, reduceOp } from "./util/reduce.js";

/** log(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

const semantics: Omit<ReduceSpec, "opType" | "sinceVersion" | "axesFrom"> = {
  init: -Infinity,
  fold: logAddExp,
};

/** opset 1-17: `axes` attribute */
export const ReduceLogSumExp_1 = reduceOp({ opType: "ReduceLogSumExp", sinceVersion: 1, axesFrom: "attribute", ...semantics });
/** opset 18+: `axes` input and `noop_with_empty_axes` */
export const ReduceLogSumExp_18 = reduceOp({ opType: "ReduceLogSumExp", sinceVersion: 18, axesFrom: "input", ...semantics });
