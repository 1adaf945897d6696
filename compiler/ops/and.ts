/** And: logical and of two bool tensors; numpy broadcasting from opset 7, `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const and = () => (a: number, b: number) => (a !== 0 && b !== 0 ? 1 : 0);

/** opset 1-6: broadcasting only with `broadcast=1` */
export const And_1 = binaryOp({ opType: "And", sinceVersion: 1, dtypes: "bool", fn: and, legacyBroadcast: true });
/** opset 7+: numpy broadcasting */
export const And_7 = binaryOp({ opType: "And", sinceVersion: 7, dtypes: "bool", fn: and });
