/** Mul: element-wise product, numpy broadcasting from opset 7; `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const mul = () => (a: number, b: number) => a * b;

/** opset 1-6: broadcasting only with `broadcast=1` (B aligned at `axis`) */
export const Mul_1 = binaryOp({ opType: "Mul", sinceVersion: 1, fn: mul, legacyBroadcast: true });
/** opset 7+: numpy multidirectional broadcasting (13, 14 only add dtypes); integers wrap */
export const Mul_7 = binaryOp({ opType: "Mul", sinceVersion: 7, fn: mul });
