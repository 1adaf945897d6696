/** Log: natural logarithm (NaN below 0, -inf at 0, as in numpy). */
import { unaryOp } from "./util/elementwise.js";

export const Log_1 = unaryOp({ opType: "Log", sinceVersion: 1, dtypes: "float", fn: () => Math.log });
