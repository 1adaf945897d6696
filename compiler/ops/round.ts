/** Round: to the nearest integer, halves to even (numpy `round`, not JS `Math.round`). */
import { unaryOp } from "./util/elementwise.js";

/** Rounds half to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const diff = x - f;
  const r = diff < 0.5 ? f : diff > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  // numpy keeps the sign of a zero result: round(-0.4) is -0
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

export const Round_11 = unaryOp({ opType: "Round", sinceVersion: 11, dtypes: "float", fn: () => roundHalfEven });
