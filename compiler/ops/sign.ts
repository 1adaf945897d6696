/** Sign: -1, 0 or 1 (NaN stays NaN). */
import { unaryOp } from "./util/elementwise.js";

export const Sign_9 = unaryOp({ opType: "Sign", sinceVersion: 9, fn: () => (x) => (x > 0 ? 1 : x < 0 ? -1 : x) });
