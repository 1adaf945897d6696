/** Tan: element-wise `Math.tan` (opset 7). */
import { unaryOp } from "./util/elementwise.js";

export const Tan_7 = unaryOp({ opType: "Tan", sinceVersion: 7, dtypes: "float", fn: () => Math.tan });
