/** Ceil: smallest integer >= x. */
import { unaryOp } from "./util/elementwise.js";

export const Ceil_1 = unaryOp({ opType: "Ceil", sinceVersion: 1, dtypes: "float", fn: () => Math.ceil });
