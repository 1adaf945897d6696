/** Sqrt: square root (NaN below 0). */
import { unaryOp } from "./util/elementwise.js";

export const Sqrt_1 = unaryOp({ opType: "Sqrt", sinceVersion: 1, dtypes: "float", fn: () => Math.sqrt });
