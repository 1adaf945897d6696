/** Xor: logical xor of two bool tensors; numpy broadcasting from opset 7, `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const xor = () => (a: number, b: number) => ((a !== 0) !== (b !== 0) ? 1 : 0);

/** opset 1-6: broadcasting only with `broadcast=1` */
export const Xor_1 = binaryOp({ opType: "Xor", sinceVersion: 1, dtypes: "bool", fn: xor, legacyBroadcast: true });
/** opset 7+: numpy broadcasting */
export const Xor_7 = binaryOp({ opType: "Xor", sinceVersion: 7, dtypes: "bool", fn: xor });
