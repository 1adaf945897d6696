/** Acosh: element-wise `Math.acosh` (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const Acosh_9 = unaryOp({ opType: "Acosh", sinceVersion: 9, dtypes: "float", fn: () => Math.acosh });
