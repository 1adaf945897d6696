/** Atanh: element-wise `Math.atanh` (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const Atanh_9 = unaryOp({ opType: "Atanh", sinceVersion: 9, dtypes: "float", fn: () => Math.atanh });
