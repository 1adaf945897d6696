/** Exp: e^x. */
import { unaryOp } from "./util/elementwise.js";

export const Exp_1 = unaryOp({ opType: "Exp", sinceVersion: 1, dtypes: "float", fn: () => Math.exp });
