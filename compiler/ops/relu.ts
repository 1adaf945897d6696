/** Relu: max(0, x); opset 14 only adds signed integer dtypes. */
import { unaryOp } from "./util/elementwise.js";

// NaN stays NaN, as in numpy's maximum
export const Relu_1 = unaryOp({ opType: "Relu", sinceVersion: 1, dtypes: "signed", fn: () => (x) => (x < 0 ? 0 : x) });
