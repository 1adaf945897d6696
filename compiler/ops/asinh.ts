/** Asinh: element-wise `Math.asinh` (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const Asinh_9 = unaryOp({ opType: "Asinh", sinceVersion: 9, dtypes: "float", fn: () => Math.asinh });
