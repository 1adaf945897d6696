/** Sum: element-wise sum of one or more inputs. */
import { variadicOp } from "./util/elementwise.js";

const fold = (a: number, b: number) => a + b;

/** opset 1-7: all inputs of one shape */
export const Sum_1 = variadicOp({ opType: "Sum", sinceVersion: 1, fold, broadcast: false });
/** opset 8+: numpy broadcasting (13 only adds dtypes) */
export const Sum_8 = variadicOp({ opType: "Sum", sinceVersion: 8, fold, broadcast: true });
