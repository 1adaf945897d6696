/** Reciprocal: 1 / x (±inf at ±0). */
import { unaryOp } from "./util/elementwise.js";

export const Reciprocal_1 = unaryOp({ opType: "Reciprocal", sinceVersion: 1, dtypes: "float", fn: () => (x) => 1 / x });
