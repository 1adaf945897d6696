/** Cos: element-wise `Math.cos` (opset 7). */
import { unaryOp } from "./util/elementwise.js";

export const Cos_7 = unaryOp({ opType: "Cos", sinceVersion: 7, dtypes: "float", fn: () => Math.cos });
