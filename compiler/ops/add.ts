/** Add: element-wise sum, numpy broadcasting from opset 7; `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const add = () => (a: number, b: number) => a + b;

/** opset 1-6: broadcasting only with `broadcast=1` (B aligned at `axis`) */
export const Add_1 = binaryOp({ opType: "Add", sinceVersion: 1, fn: add, legacyBroadcast: true });
/** opset 7+: numpy multidirectional broadcasting (13, 14 only add dtypes) */
export const Add_7 = binaryOp({ opType: "Add", sinceVersion: 7, fn: add });
