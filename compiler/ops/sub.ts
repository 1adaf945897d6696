/** Sub: element-wise difference, numpy broadcasting from opset 7; `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const sub = () => (a: number, b: number) => a - b;

/** opset 1-6: broadcasting only with `broadcast=1` (B aligned at `axis`) */
export const Sub_1 = binaryOp({ opType: "Sub", sinceVersion: 1, fn: sub, legacyBroadcast: true });
/** opset 7+: numpy multidirectional broadcasting (13, 14 only add dtypes); integers wrap */
export const Sub_7 = binaryOp({ opType: "Sub", sinceVersion: 7, fn: sub });
