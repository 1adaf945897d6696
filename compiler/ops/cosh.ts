/** Cosh: element-wise `Math.cosh` (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const Cosh_9 = unaryOp({ opType: "Cosh", sinceVersion: 9, dtypes: "float", fn: () => Math.cosh });
