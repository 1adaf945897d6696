/**
 * Lookup of a signal into a small constant table by multilinear interpolation over its bits.
 *
 * The input x must lie in [lo, lo + n). We decompose x - lo into m = ceil(log2 n) bits (which
 * proves 0 <= x - lo < 2^m), add an upper bound check when n is not a power of two, and evaluate
 * the multilinear extension of the (zero-padded) table at those bits by folding one variable at
 * a time: v'[i] = v[2i] + bit_j·(v[2i+1] - v[2i]). At Boolean points the MLE equals the table
 * entry. The first fold multiplies a bit by constants (free); later folds cost one product per pair.
 *
 * Cost: (m + 1) + (n < 2^m ? m + 1 : 0) + (2^(m-1) - 1) constraints, e.g. 16 entries: 12,
 * 256 entries: 136. (A one-hot selector would cost n + 2 and leave the selectors undetermined
 * for the under-constraint checker, so it is not offered.)
 */
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";
import { ceilLog2 } from "../field.js";
import { toBits } from "./bits.js";

/** table[x - lo] for an integer signal x in [lo, lo + table.length). */
export function lookup(b: R1csBuilder, x: Signal, table: readonly bigint[], lo = 0n): Signal {
  const n = table.length;
  if (n === 0) throw new RangeError("lookup: empty table");
  if (n === 1) {
    b.assertEqual(x, LinComb.constant(lo));
    return LinComb.constant(table[0]!);
  }
  const m = ceilLog2(n);
  return b.scoped("lookup", () => {
    const offset = x.minus(lo);
    const bits = toBits(b, offset, m, "idx");
    if (n < 2 ** m) b.scoped("upper", () => toBits(b, LinComb.constant(BigInt(n - 1)).minus(offset), m));
    let level: Signal[] = [];
    for (let i = 0; i < 2 ** m; i++) level.push(LinComb.constant(i < n ? table[i]! : 0n));
    for (let j = 0; j < m; j++) {
      const next: Signal[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const lo0 = level[i]!;
        next.push(lo0.plus(b.mul(bits[j]!, level[i + 1]!.minus(lo0), "fold")));
      }
      level = next;
    }
    return level[0]!;
  });
}

/** Looks up every element of a vector. */
export function lookupAll(b: R1csBuilder, xs: readonly Signal[], table: readonly bigint[], lo = 0n): Signal[] {
  return xs.map((x) => lookup(b, x, table, lo));
}
