/**
 * Div: element-wise quotient. Integer dtypes truncate toward zero (C semantics, as ONNX
 * runtimes do); an integer division by zero has no defined result and gives 0 here.
 */
import type { DType } from "../ir/tensor.js";
import type { OpContext } from "./op.js";
import { binaryOp, isIntegerDType } from "./util/elementwise.js";

const div = (_ctx: OpContext, dtype: DType) =>
  isIntegerDType(dtype) ? (a: number, b: number) => (b === 0 ? 0 : Math.trunc(a / b)) : (a: number, b: number) => a / b;

/** opset 1-6: broadcasting only with `broadcast=1` (B aligned at `axis`) */
export const Div_1 = binaryOp({ opType: "Div", sinceVersion: 1, fn: div, legacyBroadcast: true });
/** opset 7+: numpy multidirectional broadcasting (13, 14 only add dtypes) */
export const Div_7 = binaryOp({ opType: "Div", sinceVersion: 7, fn: div });
