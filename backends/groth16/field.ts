/**
 * Minimal BN254 scalar-field helpers on plain `bigint`, private to the Groth16 backend.
 *
 * Kept deliberately small (a handful of functions) so they can be swapped for the shared
 * `backends/math` field once that settles. Values are canonical residues in [0, r).
 * Signed integers are embedded as v mod r, so a negative v is r - |v|.
 */

/** The BN254 scalar field modulus r (snarkjs's `bn128` Fr). */
export const FIELD_MODULUS =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const R = FIELD_MODULUS;
const HALF_R = R >> 1n;

/** Reduces any bigint (negative included) to its canonical residue in [0, r). */
export function fieldMod(x: bigint): bigint {
  const m = x % R;
  return m < 0n ? m + R : m;
}

/** (a + b) mod r for canonical inputs. */
export function fieldAdd(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s >= R ? s - R : s;
}

/** (a - b) mod r for canonical inputs. */
export function fieldSub(a: bigint, b: bigint): bigint {
  const s = a - b;
  return s < 0n ? s + R : s;
}

/** (a · b) mod r. */
export function fieldMul(a: bigint, b: bigint): bigint {
  return (a * b) % R;
}

/** -a mod r. */
export function fieldNeg(a: bigint): bigint {
  return a === 0n ? 0n : R - a;
}

/** a^e mod r by square and multiply. */
export function fieldPow(a: bigint, e: bigint): bigint {
  let base = fieldMod(a);
  let result = 1n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % R;
    base = (base * base) % R;
    e >>= 1n;
  }
  return result;
}

/**
 * Multiplicative inverse (Fermat). Returns 0 for 0, so callers that need a true inverse
 * must check for zero themselves.
 */
export function fieldInv(a: bigint): bigint {
  return fieldPow(a, R - 2n);
}

/**
 * Signed view of a field element: values above r/2 are read as negative.
 * `toSigned(fromSigned(v)) === v` for |v| < r/2.
 */
export function toSigned(x: bigint): bigint {
  return x > HALF_R ? x - R : x;
}

/** Embeds a signed integer into the field (alias of {@link fieldMod}, named for intent). */
export function fromSigned(v: bigint): bigint {
  return fieldMod(v);
}

/** Floor division for signed bigints (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Smallest m with 2^m >= n (0 for n <= 1). */
export function ceilLog2(n: number): number {
  let m = 0;
  while (2 ** m < n) m++;
  return m;
}
