/** Softsign: x / (1 + |x|). */
import { unaryOp } from "./util/elementwise.js";

export const Softsign_1 = unaryOp({
  opType: "Softsign",
  sinceVersion: 1,
  dtypes: "float",
  fn: () => (x) => x / (1 + Math.abs(x)),
});
