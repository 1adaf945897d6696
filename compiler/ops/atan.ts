/** Atan: element-wise `Math.atan` (opset 7). */
import { unaryOp } from "./util/elementwise.js";

export const Atan_7 = unaryOp({ opType: "Atan", sinceVersion: 7, dtypes: "float", fn: () => Math.atan });
