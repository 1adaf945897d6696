/** Mean: element-wise average of one or more float inputs. */
import { variadicOp } from "./util/elementwise.js";

const fold = (a: number, b: number) => a + b;
const finish = (sum: number, count: number) => sum / count;

/** opset 1-7: all inputs of one shape */
export const Mean_1 = variadicOp({ opType: "Mean", sinceVersion: 1, dtypes: "float", fold, finish, broadcast: false });
/** opset 8+: numpy broadcasting (13 only adds dtypes) */
export const Mean_8 = variadicOp({ opType: "Mean", sinceVersion: 8, dtypes: "float", fold, finish, broadcast: true });
