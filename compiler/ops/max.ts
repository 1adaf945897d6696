/** Max: element-wise maximum of one or more inputs (NaN propagates, as numpy's maximum). */
import { variadicOp } from "./util/elementwise.js";

const fold = (a: number, b: number) => (a >= b || Number.isNaN(a) ? a : b);

/** opset 1-7: all inputs of one shape */
export const Max_1 = variadicOp({ opType: "Max", sinceVersion: 1, fold, broadcast: false });
/** opset 8+: numpy broadcasting (12, 13 only add dtypes) */
export const Max_8 = variadicOp({ opType: "Max", sinceVersion: 8, fold, broadcast: true });
