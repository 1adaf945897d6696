/**
 * Bit decomposition, range checks and rescaling.
 *
 * Every range fact in this backend comes from one primitive: {@link toBits} decomposes a signal
 * into n boolean wires b_i (b_i·(b_i - 1) = 0) with Σ b_i·2^i = x. With n <= 252 the sum cannot
 * wrap mod r, so this proves 0 <= x < 2^n as an integer and the bits are unique.
 * Cost: n + 1 constraints.
 */
import { floorDiv } from "../field.js";
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";

/** Largest bit width a decomposition may use: 2^252 < r, so Σ b_i·2^i never wraps. */
export const MAX_BITS = 252;

function checkBits(fn: string, n: number, max = MAX_BITS): void {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new RangeError(`${fn}: bit width must be an integer in [1, ${max}], got ${n}`);
  }
}

/**
 * Decomposes x into n little-endian bits (bit 0 least significant), proving 0 <= x < 2^n.
 * Cost: n booleanity constraints + 1 linear constraint.
 * @throws RangeError for a bad width; ZkcError (strict builder) when x's value does not fit.
 */
export function toBits(b: R1csBuilder, x: Signal, n: number, name = "bit"): Signal[] {
  checkBits("toBits", n);
  let v = b.value(x);
  if (v >= 1n << BigInt(n)) {
    b.hintFailure(`value does not fit in ${n} bits`, { expected: `0 <= x < 2^${n}`, got: `${b.signedValue(x)}` });
    v &= (1n << BigInt(n)) - 1n;
  }
  const bits: Signal[] = [];
  for (let i = 0; i < n; i++) {
    const bit = b.witness((v >> BigInt(i)) & 1n, `${name}[${i}]`);
    b.assertBoolean(bit);
    bits.push(bit);
  }
  b.assertEqual(fromBits(bits), x);
  return bits;
}

/** Σ bits_i · 2^i as a linear combination (no constraints). */
export function fromBits(bits: readonly Signal[], shift = 0): Signal {
  return LinComb.sum(bits.map((bit, i) => [1n << BigInt(i + shift), bit] as const));
}

/**
 * Proves 0 <= x < 2^n (unsigned) or -2^(n-1) <= x < 2^(n-1) (signed). Cost: n + 1 constraints.
 */
export function rangeCheck(b: R1csBuilder, x: Signal, n: number, signed = false): void {
  b.scoped("range", () => {
    toBits(b, signed ? x.plus(1n << BigInt(n - 1)) : x, n);
  });
}

/** Range-checks every element of a vector. */
export function rangeCheckAll(b: R1csBuilder, xs: readonly Signal[], n: number, signed = false): void {
  xs.forEach((x) => rangeCheck(b, x, n, signed));
}

/** Internal: the decomposition behind rescale, shared by {@link rescale} and the fused ReLU. */
function rescaleOne(b: R1csBuilder, x: Signal, k: number, bits: number): { q: Signal; nonNegative: Signal } {
  checkBits("rescale", k + bits);
  if (bits < 1) throw new RangeError(`rescale: output bit bound must be >= 1, got ${bits}`);
  const half = k > 0 ? 1n << BigInt(k - 1) : 0n;
  const qOffset = 1n << BigInt(bits - 1);
  // y = x + 2^(k-1) + 2^(k+bits-1) = rem + 2^k·(q + 2^(bits-1)): low k bits are rem, high bits q + 2^(bits-1).
  const y = x.plus(half + (qOffset << BigInt(k)));
  const all = toBits(b, y, k + bits, "rq");
  const high = all.slice(k);
  const q = fromBits(high).minus(qOffset);
  return { q, nonNegative: high[bits - 1]! };
}

/**
 * Divides by 2^k with zkc's rounding, q = floor((x + 2^(k-1)) / 2^k) (half up; floor for
 * negatives), and bounds -2^(bits-1) <= q < 2^(bits-1).
 *
 * Proven as x + 2^(k-1) = q·2^k + rem, 0 <= rem < 2^k, with q + 2^(bits-1) in `bits` bits; both
 * decompositions are fused into one of x + 2^(k-1) + 2^(k+bits-1) over k + bits bits.
 * Cost per element: k + bits + 1 constraints; q is a linear combination of the high bits.
 * k = 0 is a pure signed range check of x.
 */
export function rescale(b: R1csBuilder, xs: readonly Signal[], k: number, bits: number): Signal[] {
  return b.scoped("rescale", () => xs.map((x) => rescaleOne(b, x, k, bits).q));
}

/**
 * rescale followed by ReLU, reusing the sign bit of the rescale decomposition (bit k + bits - 1
 * is 1 exactly when q >= 0). Cost per element: k + bits + 2 constraints.
 */
export function rescaleRelu(b: R1csBuilder, xs: readonly Signal[], k: number, bits: number): Signal[] {
  return b.scoped("rescale_relu", () =>
    xs.map((x) => {
      const { q, nonNegative } = rescaleOne(b, x, k, bits);
      return b.mul(nonNegative, q, "relu");
    }),
  );
}

/** zkc's integer rescale semantics, for witness generation and tests: floor((x + 2^(k-1)) / 2^k). */
export function rescaleValue(x: bigint, k: number): bigint {
  if (k === 0) return x;
  return floorDiv(x + (1n << BigInt(k - 1)), 1n << BigInt(k));
}
