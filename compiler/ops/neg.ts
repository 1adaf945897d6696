/** Neg: -x. (Opset 1-5's `consumed_inputs` was an in-place hint that does not change results.) */
import { unaryOp } from "./util/elementwise.js";

export const Neg_1 = unaryOp({ opType: "Neg", sinceVersion: 1, dtypes: "signed", fn: () => (x) => -x });
