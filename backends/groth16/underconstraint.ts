/**
 * Under-constraint checker: a static analysis of an R1CS that flags
 *  1. wires that no constraint touches (a free witness value), and
 *  2. wires, in particular public outputs, that the constraints do not provably determine from
 *     the inputs.
 *
 * "Determined" starts from wire 0 and all inputs (public and private) and propagates to a fixed
 * point with these rules (docs/groth16.md lists them too):
 *  - Boolean wires: a constraint (αw + β)·(γw + δ) = 0 whose roots are {0, 1} marks w Boolean.
 *  - Rule L (linear): when a constraint is linear in its undetermined wires — B (or A) is a
 *    constant k, so the constraint reads k·A - C = 0, or A and B are both fully determined, so
 *    A·B is known — and exactly one undetermined wire remains with a nonzero coefficient, that
 *    wire is determined.
 *  - Rule D (decomposition): in such a linear constraint, if every undetermined wire is Boolean
 *    and their coefficients, read as signed integers, all have the same sign, are superincreasing
 *    (each exceeds the sum of the smaller ones) and sum to less than r, the subset sum is unique,
 *    so all of them are determined.
 * Nothing else determines a wire: a constraint like x·inv = 1 determines inv only if x ≠ 0 is
 * known, which this analysis cannot see, so it is reported (conservative, never optimistic).
 */
import { fieldAdd, fieldInv, fieldMul, fieldNeg, toSigned, FIELD_MODULUS } from "./field.js";
import type { R1cs, Terms } from "./r1cs.js";

/** Result of {@link checkUnderConstrained}. */
export interface UnderConstraintReport {
  /** true when every wire is touched and every output and internal wire is determined */
  readonly ok: boolean;
  /** wires (other than 0) that appear in no constraint */
  readonly unconstrained: number[];
  /** public outputs the constraints do not determine */
  readonly undeterminedOutputs: number[];
  /** all undetermined internal wires (informational; a sound circuit may have none) */
  readonly undeterminedInternal: number[];
  /** one line per finding, with wire names */
  readonly messages: string[];
}

function isConstantTerms(t: Terms): boolean {
  return t.length === 0 || (t.length === 1 && t[0]![0] === 0);
}

function constantOf(t: Terms): bigint {
  return t.length > 0 && t[0]![0] === 0 ? t[0]![1] : 0n;
}

/** Roots of αw + β over a single wire w (plus constant): returns -β/α, or undefined. */
function rootOf(t: Terms): { wire: number; root: bigint } | undefined {
  let wire = -1;
  let alpha = 0n;
  let beta = 0n;
  for (const [w, c] of t) {
    if (w === 0) beta = c;
    else if (wire === -1) {
      wire = w;
      alpha = c;
    } else return undefined;
  }
  if (wire === -1) return undefined;
  return { wire, root: fieldMul(fieldNeg(beta), fieldInv(alpha)) };
}

/**
 * Runs the analysis. Cost: a few passes over the constraints (each pass is linear in the
 * number of nonzero coefficients); passes repeat until nothing new is determined.
 */
export function checkUnderConstrained(r1cs: R1cs): UnderConstraintReport {
  const n = r1cs.nWires;
  const touched = new Uint8Array(n);
  const boolean = new Uint8Array(n);
  const determined = new Uint8Array(n);
  determined[0] = 1;
  const firstInternal = 1 + r1cs.nPubOut + r1cs.nPubIn + r1cs.nPrvIn;
  for (let w = 1 + r1cs.nPubOut; w < firstInternal; w++) determined[w] = 1;

  for (const k of r1cs.constraints) {
    for (const t of [k.a, k.b, k.c]) for (const [w] of t) touched[w] = 1;
    if (k.c.length === 0) {
      const ra = rootOf(k.a);
      const rb = rootOf(k.b);
      if (ra && rb && ra.wire === rb.wire) {
        const roots = new Set([ra.root, rb.root]);
        if (roots.has(0n) && roots.has(1n)) boolean[ra.wire] = 1;
      }
    }
  }

  const allDetermined = (t: Terms): boolean => t.every(([w]) => determined[w] === 1);

  /** Undetermined wires of the linear form k·L1 - L2 with their merged coefficients. */
  const undeterminedOf = (k: bigint, l1: Terms, l2: Terms): Map<number, bigint> => {
    const m = new Map<number, bigint>();
    for (const [w, c] of l1) if (!determined[w]) m.set(w, fieldAdd(m.get(w) ?? 0n, fieldMul(k, c)));
    for (const [w, c] of l2) if (!determined[w]) m.set(w, fieldAdd(m.get(w) ?? 0n, fieldNeg(c)));
    for (const [w, c] of m) if (c === 0n) m.delete(w);
    return m;
  };

  const resolveLinear = (free: Map<number, bigint>): boolean => {
    if (free.size === 0) return false;
    if (free.size === 1) {
      for (const [w] of free) determined[w] = 1;
      return true;
    }
    for (const [w] of free) if (!boolean[w]) return false;
    const signed = [...free.values()].map(toSigned);
    const positive = signed[0]! > 0n;
    if (!signed.every((c) => (c > 0n) === positive)) return false;
    const mags = signed.map((c) => (c < 0n ? -c : c)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    let total = 0n;
    for (const c of mags) {
      if (c <= total) return false;
      total += c;
    }
    if (total >= FIELD_MODULUS) return false;
    for (const [w] of free) determined[w] = 1;
    return true;
  };

  // constraints whose wires are all determined can teach nothing more: skip them on later passes
  const settled = new Uint8Array(r1cs.constraints.length);
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < r1cs.constraints.length; i++) {
      if (settled[i]) continue;
      const k = r1cs.constraints[i]!;
      if (allDetermined(k.a) && allDetermined(k.b) && allDetermined(k.c)) {
        settled[i] = 1;
        continue;
      }
      let free: Map<number, bigint> | undefined;
      if (isConstantTerms(k.b)) free = undeterminedOf(constantOf(k.b), k.a, k.c);
      else if (isConstantTerms(k.a)) free = undeterminedOf(constantOf(k.a), k.b, k.c);
      else if (allDetermined(k.a) && allDetermined(k.b)) free = undeterminedOf(0n, [], k.c);
      if (free && resolveLinear(free)) changed = true;
    }
  }

  const name = (w: number) => r1cs.wireNames[w] ?? `wire ${w}`;
  const unconstrained: number[] = [];
  for (let w = 1; w < n; w++) if (!touched[w]) unconstrained.push(w);
  const undeterminedOutputs: number[] = [];
  for (let w = 1; w <= r1cs.nPubOut; w++) if (!determined[w]) undeterminedOutputs.push(w);
  const undeterminedInternal: number[] = [];
  for (let w = firstInternal; w < n; w++) if (!determined[w]) undeterminedInternal.push(w);
  const messages = [
    ...unconstrained.map((w) => `wire ${w} (${name(w)}) appears in no constraint`),
    ...undeterminedOutputs.map((w) => `output wire ${w} (${name(w)}) is not determined by the inputs`),
    ...undeterminedInternal.map((w) => `internal wire ${w} (${name(w)}) is not determined by the inputs`),
  ];
  return {
    ok: unconstrained.length === 0 && undeterminedOutputs.length === 0 && undeterminedInternal.length === 0,
    unconstrained,
    undeterminedOutputs,
    undeterminedInternal,
    messages,
  };
}
