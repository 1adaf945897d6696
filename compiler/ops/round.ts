/** Round: to the nearest integer, halves to even (numpy `round`, not JS `Math.round`). */
import { unaryOp } from "./util/elementwise.js";

/** Rounds half to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export const Round_11 = unaryOp({ opType: "Round", sinceVersion: 11, dtypes: "float", fn: () => roundHalfEven });
