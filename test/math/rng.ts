/** Deterministic test randomness (64-bit LCG): field elements, small ints, edge values. */
import { FR_MODULUS } from "../../backends/math/field.js";

export const EDGE_VALUES: readonly bigint[] = [0n, 1n, 2n, FR_MODULUS - 1n, FR_MODULUS - 2n, FR_MODULUS >> 1n, (FR_MODULUS >> 1n) + 1n, (1n << 253n) - 1n];

export function makeRng(seed: number) {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  const next = (): bigint => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return s;
  };
  return {
    /** uniform-ish in [0, r) */
    field: (): bigint => ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) % FR_MODULUS,
    /** edge values first-class: one in four draws is an edge value */
    fieldWithEdges: (): bigint => {
      const x = next();
      if ((x & 3n) === 0n) return EDGE_VALUES[Number((x >> 2n) % BigInt(EDGE_VALUES.length))]!;
      return ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) % FR_MODULUS;
    },
    /** signed int32 */
    int32: (): number => Number(next() >> 32n) | 0,
    /** integer in [0, n) */
    below: (n: number): number => Number((next() >> 11n) % BigInt(n)),
  };
}
