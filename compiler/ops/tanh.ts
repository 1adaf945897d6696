/** Tanh: hyperbolic tangent. */
import { unaryOp } from "./util/elementwise.js";

export const Tanh_1 = unaryOp({ opType: "Tanh", sinceVersion: 1, dtypes: "float", fn: () => Math.tanh });
