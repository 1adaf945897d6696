/**
 * Multilinear-extension evaluation of a tensor at a point, inside the circuit and outside.
 *
 * Convention (shared with the GKR kernels; see docs/groth16.md): the tensor is flattened
 * row-major, zero-padded to 2^m entries, and index bit j (bit 0 = least significant) is variable
 * j. So MLE(T)(r) = Σ_i T[i] · Π_j (bit_j(i) ? r_j : 1 - r_j).
 */
import { fieldAdd, fieldMod, fieldMul, fieldSub } from "../field.js";
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";

function checkPoint(fn: string, n: number, m: number): void {
  if (n > 2 ** m) throw new RangeError(`${fn}: a point with ${m} coordinates covers 2^${m} = ${2 ** m} entries, the tensor has ${n}`);
}

/**
 * MLE(values)(point) as a signal, folding variable 0 first: v'[i] = v[2i] + r_j·(v[2i+1] - v[2i]).
 * Cost: at most 2^m - 1 constraints; folds of constant pairs (constant tensors, zero padding) are free
 * on the first level, so a constant tensor costs 2^(m-1) - 1.
 */
export function mleEvaluate(b: R1csBuilder, values: readonly Signal[], point: readonly Signal[]): Signal {
  checkPoint("mleEvaluate", values.length, point.length);
  return b.scoped("mle", () => {
    let level: Signal[] = [];
    for (let i = 0; i < 2 ** point.length; i++) level.push(values[i] ?? LinComb.constant(0n));
    for (const r of point) {
      const next: Signal[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const lo = level[i]!;
        next.push(lo.plus(b.mul(r, level[i + 1]!.minus(lo), "fold")));
      }
      level = next;
    }
    return level[0]!;
  });
}

/** The same evaluation on plain field elements (the verifier side). */
export function mleEvaluateValues(values: readonly bigint[], point: readonly bigint[]): bigint {
  checkPoint("mleEvaluateValues", values.length, point.length);
  let level: bigint[] = [];
  for (let i = 0; i < 2 ** point.length; i++) level.push(fieldMod(values[i] ?? 0n));
  for (const r0 of point) {
    const r = fieldMod(r0);
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(fieldAdd(level[i]!, fieldMul(r, fieldSub(level[i + 1]!, level[i]!))));
    level = next;
  }
  return level[0]!;
}
