/** Acos: element-wise `Math.acos` (opset 7). */
import { unaryOp } from "./util/elementwise.js";

export const Acos_7 = unaryOp({ opType: "Acos", sinceVersion: 7, dtypes: "float", fn: () => Math.acos });
