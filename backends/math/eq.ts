/**
 * eq(r, .) tables, the same values as `eqTable` of `backends/math/mle.ts` (which this only speeds
 * up; the math layer's version stays the reference): built in place in one output buffer, level by
 * level through the field kernels (one product and one subtraction per new entry, no intermediate
 * vectors). GKR builds eq tables over whole padded tensors, so this is on the hot path.
 */
import { FR_MODULUS, FrVector, writeMont } from "./field.js";
import { kernels } from "./kernels.js";

const CHUNK = 4096;
/** 32-bit words per element (a local constant: imported bindings cost a getter call under tsx). */
const LIMBS = 8;

/**
 * eq(point, x) for every x in {0,1}^n in table order (variable 0 = top index bit).
 * @throws RangeError for a non-canonical coordinate
 */
export function eqTableFast(point: readonly bigint[]): FrVector {
  for (const c of point) {
    if (typeof c !== "bigint" || c < 0n || c >= FR_MODULUS) throw new RangeError(`eqTableFast: expected canonical coordinates, got ${String(c)}`);
  }
  const n = point.length;
  const out = new FrVector(2 ** n);
  writeMont(out.limbs, 0, 1n);
  const k = kernels();
  const heap = k.heap;
  const [src, hi, lo, rSlot] = [0, CHUNK, 2 * CHUNK, 3 * CHUNK];
  const limbs = out.limbs;
  // Add variables from the last to the first: the table [0, s) becomes [t(1-r) | t r] over [0, 2s).
  let s = 1;
  for (let j = n - 1; j >= 0; j--) {
    writeMont(heap, rSlot * LIMBS, point[j]!);
    for (let c = 0; c < s; c += CHUNK) {
      const m = Math.min(CHUNK, s - c);
      heap.set(limbs.subarray(c * LIMBS, (c + m) * LIMBS), src * LIMBS);
      k.mul(hi, src, rSlot, m, 0);
      k.sub(lo, src, hi, m);
      limbs.set(heap.subarray(hi * LIMBS, (hi + m) * LIMBS), (s + c) * LIMBS);
      limbs.set(heap.subarray(lo * LIMBS, (lo + m) * LIMBS), c * LIMBS);
    }
    s *= 2;
  }
  return out;
}
