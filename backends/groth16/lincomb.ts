/**
 * Sparse linear combinations over wires: Σ coeff_i · wire_i, where wire 0 is the constant 1.
 *
 * A {@link LinComb} is what zkc calls a *signal* in the Groth16 backend: a single wire is a
 * linear combination with one term, and linear operations (add, scale by a constant, a linear
 * layer with constant weights) build new combinations without adding constraints. Only products
 * of two non-constant signals cost a constraint.
 */
import { fieldAdd, fieldMod, fieldMul } from "./field.js";

/** Builder-local wire id; 0 is the constant-one wire. */
export type WireId = number;

/** The wire holding the constant 1. */
export const ONE_WIRE: WireId = 0;

/** Immutable sparse linear combination; coefficients are canonical and never zero. */
export class LinComb {
  /** wire id → coefficient in [1, r) */
  readonly terms: ReadonlyMap<WireId, bigint>;

  private constructor(terms: ReadonlyMap<WireId, bigint>) {
    this.terms = terms;
  }

  /** The combination `c · 1`. */
  static constant(c: bigint): LinComb {
    const v = fieldMod(c);
    return new LinComb(v === 0n ? new Map() : new Map([[ONE_WIRE, v]]));
  }

  /** The combination `1 · wire`. */
  static wire(id: WireId): LinComb {
    return new LinComb(new Map([[id, 1n]]));
  }

  /** Wraps a map that the caller promises not to mutate afterwards (zero coefficients dropped). */
  static fromTerms(terms: Map<WireId, bigint>): LinComb {
    for (const [w, c] of terms) if (c === 0n) terms.delete(w);
    return new LinComb(terms);
  }

  /** Σ coeff_i · parts_i, built in one pass (use this for wide sums such as a linear layer). */
  static sum(parts: ReadonlyArray<readonly [bigint, LinComb]>, constant = 0n): LinComb {
    const acc = new Map<WireId, bigint>();
    const c0 = fieldMod(constant);
    if (c0 !== 0n) acc.set(ONE_WIRE, c0);
    for (const [coeff, lc] of parts) addScaledInto(acc, lc, fieldMod(coeff));
    return LinComb.fromTerms(acc);
  }

  /** this + other (a bigint is read as a constant). */
  plus(other: LinComb | bigint): LinComb {
    const o = typeof other === "bigint" ? LinComb.constant(other) : other;
    const acc = new Map(this.terms);
    addScaledInto(acc, o, 1n);
    return LinComb.fromTerms(acc);
  }

  /** this - other. */
  minus(other: LinComb | bigint): LinComb {
    const o = typeof other === "bigint" ? LinComb.constant(other) : other;
    const acc = new Map(this.terms);
    addScaledInto(acc, o, fieldMod(-1n));
    return LinComb.fromTerms(acc);
  }

  /** c · this for a constant c. */
  times(c: bigint): LinComb {
    const k = fieldMod(c);
    if (k === 0n) return LinComb.constant(0n);
    const acc = new Map<WireId, bigint>();
    for (const [w, v] of this.terms) acc.set(w, fieldMul(v, k));
    return new LinComb(acc);
  }

  /** True when only the constant wire appears (the combination is a known constant). */
  isConstant(): boolean {
    return this.terms.size === 0 || (this.terms.size === 1 && this.terms.has(ONE_WIRE));
  }

  /** The constant term (coefficient of wire 0). */
  constantTerm(): bigint {
    return this.terms.get(ONE_WIRE) ?? 0n;
  }

  /** The wire id when this is exactly `1 · wire` for a non-constant wire, else undefined. */
  singleWire(): WireId | undefined {
    if (this.terms.size !== 1) return undefined;
    const [[w, c]] = this.terms;
    return c === 1n && w !== ONE_WIRE ? w : undefined;
  }
}

function addScaledInto(acc: Map<WireId, bigint>, lc: LinComb, k: bigint): void {
  if (k === 0n) return;
  for (const [w, v] of lc.terms) {
    const prev = acc.get(w);
    const add = k === 1n ? v : fieldMul(v, k);
    acc.set(w, prev === undefined ? add : fieldAdd(prev, add));
  }
}
