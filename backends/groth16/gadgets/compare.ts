/**
 * Sign, comparison, ReLU, max and argmax over signed fixed-point integers.
 *
 * Convention: `bits` bounds the *inputs*: every input lies in [-2^(bits-1), 2^(bits-1)). A
 * difference of two inputs then lies in (-2^bits, 2^bits) and is compared through a
 * decomposition of d + 2^bits over bits + 1 bits (the brief's "a - b + 2^(b-1)" with b = bits + 1).
 * If an input is outside its bound the prover cannot build a witness (strict builder error).
 *
 * Soundness: isNonNegative and relu range-check their input; lessThan, max2, maxOf and argmax
 * decompose only differences, so their inputs must already be bounded (a rescale output, a
 * linear combination of bounded signals, a public input) or be passed through rangeCheck first.
 */
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";
import { toBits } from "./bits.js";

function checkWidth(fn: string, bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 250) {
    throw new RangeError(`${fn}: bits must be an integer in [1, 250], got ${bits}`);
  }
}

/**
 * 1 when x >= 0, else 0, for x in [-2^(bits-1), 2^(bits-1)) (which this also proves).
 * Cost: bits + 1 constraints.
 */
export function isNonNegative(b: R1csBuilder, x: Signal, bits: number): Signal {
  checkWidth("isNonNegative", bits);
  return b.scoped("sign", () => {
    const decomposed = toBits(b, x.plus(1n << BigInt(bits - 1)), bits);
    return decomposed[bits - 1]!;
  });
}

/** 1 when a < c, else 0 (inputs `bits`-bit signed). Cost: bits + 2 constraints. */
export function lessThan(b: R1csBuilder, a: Signal, c: Signal, bits: number): Signal {
  checkWidth("lessThan", bits);
  return b.one.minus(isNonNegative(b, a.minus(c), bits + 1));
}

/** max(x, 0) for each x (inputs `bits`-bit signed). Cost per element: bits + 2 constraints. */
export function relu(b: R1csBuilder, xs: readonly Signal[], bits: number): Signal[] {
  checkWidth("relu", bits);
  return b.scoped("relu", () => xs.map((x) => b.mul(isNonNegative(b, x, bits), x, "relu")));
}

/**
 * s ? a : c for a Boolean signal s, as a fresh wire with one constraint s·(a - c) = out - c.
 * Returning a wire (rather than c + s·(a - c)) keeps running values such as a max or an index
 * from growing a term per step, which would make a scan's R1CS quadratic in nonzeros.
 */
export function select(b: R1csBuilder, s: Signal, a: Signal, c: Signal, name = "select"): Signal {
  if (s.isConstant()) return s.constantTerm() === 0n ? c : a;
  const diff = a.minus(c);
  if (diff.isConstant()) return c.plus(s.times(diff.constantTerm())); // linear: no constraint
  const out = b.witness(b.value(s) === 0n ? b.value(c) : b.value(a), name);
  b.constrain(s, diff, out.minus(c));
  return out;
}

/** max(a, c) (inputs `bits`-bit signed). Cost: bits + 3 constraints. */
export function max2(b: R1csBuilder, a: Signal, c: Signal, bits: number): Signal {
  checkWidth("max2", bits);
  return b.scoped("max2", () => select(b, isNonNegative(b, a.minus(c), bits + 1), a, c, "max"));
}

/** Maximum of a non-empty vector (inputs `bits`-bit signed). Cost: (n - 1)·(bits + 3). */
export function maxOf(b: R1csBuilder, xs: readonly Signal[], bits: number): Signal {
  if (xs.length === 0) throw new RangeError("maxOf: empty vector");
  return b.scoped("max", () => xs.slice(1).reduce((m, x) => max2(b, x, m, bits), xs[0]!));
}

/**
 * Index of the maximum (ties resolve to the first index, as ONNX ArgMax does by default) and
 * the maximum itself. A running scan: element i replaces the current best only when strictly
 * greater, c_i = [x_i - m - 1 >= 0]; then m := c_i ? x_i : m and idx := c_i ? i : idx
 * (see {@link select}). Cost: (n - 1)·(bits + 4) constraints.
 */
export function argmax(b: R1csBuilder, xs: readonly Signal[], bits: number): { index: Signal; max: Signal } {
  checkWidth("argmax", bits);
  if (xs.length === 0) throw new RangeError("argmax: empty vector");
  return b.scoped("argmax", () => {
    let m = xs[0]!;
    let index = LinComb.constant(0n);
    for (let i = 1; i < xs.length; i++) {
      const x = xs[i]!;
      const greater = b.scoped(`step${i}`, () => isNonNegative(b, x.minus(m).minus(1n), bits + 1));
      m = select(b, greater, x, m, "max");
      index = select(b, greater, LinComb.constant(BigInt(i)), index, "idx");
    }
    return { index, max: m };
  });
}

/** Reference semantics: first index of the maximum. */
export function argmaxValue(xs: readonly bigint[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}
