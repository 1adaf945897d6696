/** Greater: element-wise `a > b` as a bool tensor; numpy broadcasting from opset 7, `broadcast`/`axis` attributes before. */
import { binaryOp } from "./util/elementwise.js";

const cmp = () => (a: number, b: number) => (a > b ? 1 : 0);

/** opset 1-6: broadcasting only with `broadcast=1` */
export const Greater_1 = binaryOp({
  opType: "Greater",
  sinceVersion: 1,
  dtypes: "numeric",
  outDType: "bool",
  fn: cmp,
  legacyBroadcast: true,
});
/** opset 7+: numpy broadcasting (later versions only add dtypes) */
export const Greater_7 = binaryOp({ opType: "Greater", sinceVersion: 7, dtypes: "numeric", outDType: "bool", fn: cmp });
