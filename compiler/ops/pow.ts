/**
 * Pow: base ** exponent, element-wise with broadcasting; the result has the base's dtype. The
 * exponent may be any tensor here; zkc's quantised lowering later requires it constant.
 */
import { binaryOp } from "./util/elementwise.js";

/** C `pow`, which differs from `Math.pow` on 1**NaN and (-1)**±Infinity (both 1). */
export function cPow(base: number, exponent: number): number {
  if (base === 1) return 1;
  if (base === -1 && (exponent === Infinity || exponent === -Infinity)) return 1;
  return Math.pow(base, exponent);
}

const pow = () => cPow;

/** opset 1-6: broadcasting only with `broadcast=1` (exponent aligned at `axis`) */
export const Pow_1 = binaryOp({
  opType: "Pow",
  sinceVersion: 1,
  fn: pow,
  legacyBroadcast: true,
  sameDType: false,
});
/** opset 7+: numpy broadcasting; 12 and 15 only widen the dtypes of base and exponent */
export const Pow_7 = binaryOp({ opType: "Pow", sinceVersion: 7, fn: pow, sameDType: false });
