/** Sinh: element-wise `Math.sinh` (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const Sinh_9 = unaryOp({ opType: "Sinh", sinceVersion: 9, dtypes: "float", fn: () => Math.sinh });
