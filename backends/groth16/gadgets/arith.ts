/**
 * Linear algebra with constant integer weights, and element-wise arithmetic.
 *
 * With constant weights every output of a linear layer is a linear combination of the inputs:
 * zero constraints. The cost shows up where the combination is consumed (a rescale puts it in one
 * linear constraint). Only the Hadamard product of two signals costs a constraint per element.
 */
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";

function shapeError(fn: string, expected: string, got: string): never {
  throw new RangeError(`${fn}: shape mismatch, expected ${expected}, got ${got}`);
}

/**
 * y = W·x + bias for constant W (rows = outputs). Cost: 0 constraints.
 * @param weights out × in integer matrix
 */
export function linear(_b: R1csBuilder, weights: readonly (readonly bigint[])[], xs: readonly Signal[], bias?: readonly bigint[]): Signal[] {
  if (bias && bias.length !== weights.length) shapeError("linear", `bias of length ${weights.length}`, `${bias.length}`);
  return weights.map((row, i) => {
    if (row.length !== xs.length) shapeError("linear", `row ${i} of length ${xs.length}`, `${row.length}`);
    return LinComb.sum(row.map((w, j) => [w, xs[j]!] as const), bias?.[i] ?? 0n);
  });
}

/** Y = X·W for signals X (m × k) and constant W (k × n). Cost: 0 constraints. */
export function matMulConstRight(_b: R1csBuilder, xs: readonly (readonly Signal[])[], weights: readonly (readonly bigint[])[]): Signal[][] {
  const k = weights.length;
  const n = k > 0 ? weights[0]!.length : 0;
  return xs.map((row, r) => {
    if (row.length !== k) shapeError("matMulConstRight", `row ${r} of length ${k}`, `${row.length}`);
    const out: Signal[] = [];
    for (let j = 0; j < n; j++) out.push(LinComb.sum(row.map((x, t) => [weights[t]![j]!, x] as const)));
    return out;
  });
}

/** Y = W·X for constant W (m × k) and signals X (k × n). Cost: 0 constraints. */
export function matMulConstLeft(_b: R1csBuilder, weights: readonly (readonly bigint[])[], xs: readonly (readonly Signal[])[]): Signal[][] {
  const k = xs.length;
  const n = k > 0 ? xs[0]!.length : 0;
  return weights.map((row, i) => {
    if (row.length !== k) shapeError("matMulConstLeft", `row ${i} of length ${k}`, `${row.length}`);
    const out: Signal[] = [];
    for (let j = 0; j < n; j++) out.push(LinComb.sum(row.map((w, t) => [w, xs[t]![j]!] as const)));
    return out;
  });
}

/** Element-wise a + c. Cost: 0. */
export function add(_b: R1csBuilder, a: readonly Signal[], c: readonly Signal[]): Signal[] {
  if (a.length !== c.length) shapeError("add", `${a.length} elements`, `${c.length}`);
  return a.map((x, i) => x.plus(c[i]!));
}

/** Element-wise a - c. Cost: 0. */
export function sub(_b: R1csBuilder, a: readonly Signal[], c: readonly Signal[]): Signal[] {
  if (a.length !== c.length) shapeError("sub", `${a.length} elements`, `${c.length}`);
  return a.map((x, i) => x.minus(c[i]!));
}

/** Element-wise product a ⊙ c. Cost: one constraint per element (none where a side is constant). */
export function hadamard(b: R1csBuilder, a: readonly Signal[], c: readonly Signal[]): Signal[] {
  if (a.length !== c.length) shapeError("hadamard", `${a.length} elements`, `${c.length}`);
  return b.scoped("hadamard", () => a.map((x, i) => b.mul(x, c[i]!)));
}

/** Multiplies every element by a constant integer. Cost: 0. */
export function scale(_b: R1csBuilder, xs: readonly Signal[], factor: bigint): Signal[] {
  return xs.map((x) => x.times(factor));
}

/** Σ xs. Cost: 0. */
export function sum(_b: R1csBuilder, xs: readonly Signal[]): Signal {
  return LinComb.sum(xs.map((x) => [1n, x] as const));
}
