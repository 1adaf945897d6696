/** Sin: element-wise `Math.sin` (opset 7). */
import { unaryOp } from "./util/elementwise.js";

export const Sin_7 = unaryOp({ opType: "Sin", sinceVersion: 7, dtypes: "float", fn: () => Math.sin });
