/** Min: element-wise minimum of one or more inputs (NaN propagates, as numpy's minimum). */
import { variadicOp } from "./util/elementwise.js";

const fold = (a: number, b: number) => (a <= b || Number.isNaN(a) ? a : b);

/** opset 1-7: all inputs of one shape */
export const Min_1 = variadicOp({ opType: "Min", sinceVersion: 1, fold, broadcast: false });
/** opset 8+: numpy broadcasting (12, 13 only add dtypes) */
export const Min_8 = variadicOp({ opType: "Min", sinceVersion: 8, fold, broadcast: true });
