/**
 * Lookups into constant tables of any size, by evaluating the table's multilinear extension at the
 * bits of the index with a *split* evaluation.
 *
 * With the index bits split into h high and l low bits (h + l = m), the table is a 2^h × 2^l
 * matrix T[i][j] and the entry at the index is
 *   Σ_i eqHigh_i · T[i][j] (free: a linear combination per column j, since T is constant),
 * folded over the l low bits (one product per pair). eqHigh (the one-hot vector of the high bits)
 * costs 2^h − h − 1 products (the last product of each level is `bit − Σ others`, since the
 * entries sum to one), the fold 2^l − 1 (2^(l−1) − 1 when h = 0: the first fold of constants is
 * free). With h ≈ m/2 a lookup costs about 2·2^(m/2) constraints instead of the plain fold's
 * 2^(m−1): a 4096-entry table costs 120 (+ 13 for the index bits) instead of 2047. The number of
 * nonzero coefficients is about the table size per lookup (the columns' combinations); the wide
 * side of every fold product sits in A, where snarkjs's setup does G1 (not G2) work.
 */
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";

/** Constraints of a split evaluation over m bits with h high bits. */
export function splitCost(m: number, h: number): number {
  const l = m - h;
  const eq = h <= 1 ? 0 : 2 ** h - h - 1;
  const fold = h === 0 ? (l >= 1 ? 2 ** (l - 1) - 1 : 0) : 2 ** l - 1;
  return eq + fold;
}

/** The number of high bits with the fewest constraints for a table over m index bits. */
export function bestSplit(m: number): number {
  let best = 0;
  for (let h = 1; h <= m; h++) if (splitCost(m, h) < splitCost(m, best)) best = h;
  return best;
}

/**
 * eq vector of Boolean signals: entry i is Π_t (bit_t(i) ? bits[t] : 1 − bits[t]), bits[0] the
 * least significant. Cost: 2^h − h − 1 constraints.
 */
export function eqVector(b: R1csBuilder, bits: readonly Signal[]): Signal[] {
  let eq: Signal[] = [LinComb.constant(1n)];
  for (const bit of bits) {
    const high: Signal[] = [];
    let sumOthers: Signal = LinComb.constant(0n);
    for (let i = 0; i < eq.length; i++) {
      // the entries of eq sum to one, so the last product is bit − Σ (other products): no constraint
      const p = i === eq.length - 1 ? bit.minus(sumOthers) : b.mul(eq[i]!, bit, "eq");
      if (i < eq.length - 1) sumOthers = sumOthers.plus(p);
      high.push(p);
    }
    eq = [...eq.map((e, i) => e.minus(high[i]!)), ...high];
  }
  return eq;
}

/**
 * table[index] where `index` = Σ bits[t]·2^t (bits already constrained Boolean by the caller);
 * entries beyond the table are zero. Cost: {@link splitCost}(m, bestSplit(m)) constraints.
 */
export function tableAtBits(b: R1csBuilder, bits: readonly Signal[], table: readonly bigint[]): Signal {
  const m = bits.length;
  if (m === 0) return LinComb.constant(table[0] ?? 0n);
  const h = bestSplit(m);
  const l = m - h;
  const eqHigh = eqVector(b, bits.slice(l));
  const cols = 2 ** l;
  let level: Signal[] = [];
  for (let j = 0; j < cols; j++) {
    const parts: [bigint, Signal][] = [];
    for (let i = 0; i < eqHigh.length; i++) {
      const v = table[i * cols + j] ?? 0n;
      if (v !== 0n) parts.push([v, eqHigh[i]!]);
    }
    level.push(LinComb.sum(parts));
  }
  for (let t = 0; t < l; t++) {
    const next: Signal[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const lo = level[i]!;
      // wide side first: it lands in A
      next.push(lo.plus(b.mul(level[i + 1]!.minus(lo), bits[t]!, "fold")));
    }
    level = next;
  }
  return level[0]!;
}
