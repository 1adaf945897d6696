/** Abs: |x|. (Opset 1-5's `consumed_inputs` was an in-place hint that does not change results.) */
import { unaryOp } from "./util/elementwise.js";

export const Abs_1 = unaryOp({ opType: "Abs", sinceVersion: 1, fn: () => (x) => Math.abs(x) });
