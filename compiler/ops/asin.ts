/** Asin: element-wise `Math.asin` (opset 7). */
import { unaryOp } from "./util/elementwise.js";

export const Asin_7 = unaryOp({ opType: "Asin", sinceVersion: 7, dtypes: "float", fn: () => Math.asin });
