/** Or: logical or of two bool tensors; numpy broadcasting from opset 7, `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const or = () => (a: number, b: number) => (a !== 0 || b !== 0 ? 1 : 0);

/** opset 1-6: broadcasting only with `broadcast=1` */
export const Or_1 = binaryOp({ opType: "Or", sinceVersion: 1, dtypes: "bool", fn: or, legacyBroadcast: true });
/** opset 7+: numpy broadcasting */
export const Or_7 = binaryOp({ opType: "Or", sinceVersion: 7, dtypes: "bool", fn: or });
