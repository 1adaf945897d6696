/** HardSwish: x * clamp(x / 6 + 1/2, 0, 1) (opset 14). */
import { unaryOp } from "./util/elementwise.js";

export const HardSwish_14 = unaryOp({
  opType: "HardSwish",
  sinceVersion: 14,
  dtypes: "float",
  fn: () => (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5)),
});
