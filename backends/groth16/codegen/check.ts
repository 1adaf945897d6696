/**
 * The under-constraint check for generated circuits: `checkUnderConstrained` (backends/groth16)
 * plus the divide assumptions of compile.ts. Each assumption names a divide element's quotient
 * bits and the structure that makes them unique; this module first verifies that structure in the
 * R1CS itself —
 *   - constraint `productConstraint` is exactly (qlo + Σ q_j·2^j)·den = numerator − Σ rem_i·2^i,
 *   - constraint `gapConstraint` is exactly (Σ gap_i·2^i − (den − 1 − Σ rem_i·2^i))·1 = 0,
 *   - every q, rem and gap bit has a booleanity constraint, rem and gap have the same width w_r,
 *   - (|qlo| + 2^w_q)·2^(w_r+1) stays far below r (no wrap-around),
 * so 0 <= rem <= den − 1 (hence den >= 1) and q·den + rem = numerator hold as integers, which
 * fixes q given numerator and den — and only then moves the quotient bits into the private-input
 * block of a relabelled copy of the R1CS, so the checker's rules start from them like from inputs.
 * Everything else (den, numerator, the remainder and gap bits) must follow from the rules.
 * Reports use the original wire numbers.
 */
import { checkUnderConstrained, type UnderConstraintReport } from "../underconstraint.js";
import { fieldMod } from "../field.js";
import type { BuiltCircuit, Constraint, R1cs, Terms } from "../r1cs.js";
import type { LinComb } from "../lincomb.js";
import type { Assumption } from "./compile.js";

/** An {@link Assumption} in final wire numbering. */
export interface FinalAssumption {
  readonly reason: string;
  readonly qBits: number[];
  readonly qlo: bigint;
  readonly remBits: number[];
  readonly gapBits: number[];
  readonly den: Terms;
  readonly numerator: Terms;
  readonly productConstraint: number;
  readonly gapConstraint: number;
}

/** The checker's report plus the wires it took as determined. */
export interface CodegenCheckReport extends UnderConstraintReport {
  /** final wire ids taken as determined (after their structure was verified) */
  readonly assumed: number[];
}

/** Maps assumptions from builder-local to final wire numbering. */
export function finalAssumptions(assumptions: readonly Assumption[], built: Pick<BuiltCircuit, "finalWire">): FinalAssumption[] {
  const terms = (lc: LinComb): Terms => [...lc.terms].map(([w, c]) => [built.finalWire(w), c] as const).sort((x, y) => x[0] - y[0]);
  return assumptions.map((a) => ({
    reason: a.reason,
    qBits: a.qBits.map(built.finalWire),
    qlo: a.qlo,
    remBits: a.remBits.map(built.finalWire),
    gapBits: a.gapBits.map(built.finalWire),
    den: terms(a.den),
    numerator: terms(a.numerator),
    productConstraint: a.productConstraint,
    gapConstraint: a.gapConstraint,
  }));
}

type Lin = Map<number, bigint>;

function linOf(t: Terms): Lin {
  const m: Lin = new Map();
  for (const [w, c] of t) addTo(m, w, c);
  return m;
}

function addTo(m: Lin, w: number, c: bigint): void {
  const v = fieldMod((m.get(w) ?? 0n) + c);
  if (v === 0n) m.delete(w);
  else m.set(w, v);
}

function plus(a: Lin, b: Lin, k = 1n): Lin {
  const m: Lin = new Map(a);
  for (const [w, c] of b) addTo(m, w, c * k);
  return m;
}

function bitsLin(bits: readonly number[]): Lin {
  const m: Lin = new Map();
  bits.forEach((w, i) => addTo(m, w, 1n << BigInt(i)));
  return m;
}

function sameLin(a: Lin, b: Lin): boolean {
  if (a.size !== b.size) return false;
  for (const [w, c] of a) if (b.get(w) !== c) return false;
  return true;
}

/** Wires w with a constraint w·(w − 1) = 0 (either side order). */
function booleanWires(r1cs: R1cs): Set<number> {
  const out = new Set<number>();
  const minusOne = fieldMod(-1n);
  for (const k of r1cs.constraints) {
    if (k.c.length !== 0 || k.a.length === 0 || k.b.length === 0) continue;
    const one = (t: Terms) => (t.length === 1 && t[0]![0] !== 0 && t[0]![1] === 1n ? t[0]![0] : -1);
    const shifted = (t: Terms) => (t.length === 2 && t[0]![0] === 0 && t[0]![1] === minusOne && t[1]![1] === 1n ? t[1]![0] : -1);
    const wa = one(k.a);
    const wb = shifted(k.b);
    if (wa >= 0 && wa === wb) out.add(wa);
    const wa2 = shifted(k.a);
    const wb2 = one(k.b);
    if (wa2 >= 0 && wa2 === wb2) out.add(wa2);
  }
  return out;
}

/** Why an assumption's structure does not hold, or undefined when it does. */
function structureProblem(r1cs: R1cs, a: FinalAssumption, booleans: Set<number>): string | undefined {
  const product = r1cs.constraints[a.productConstraint];
  const gap = r1cs.constraints[a.gapConstraint];
  if (!product || !gap) return "its constraints do not exist";
  if (a.remBits.length !== a.gapBits.length) return "remainder and gap widths differ";
  for (const w of [...a.qBits, ...a.remBits, ...a.gapBits]) if (!booleans.has(w)) return `wire ${w} has no booleanity constraint`;
  const q = plus(bitsLin(a.qBits), new Map([[0, fieldMod(a.qlo)]]));
  for (const [w, c] of [...q]) if (c === 0n) q.delete(w);
  const rem = bitsLin(a.remBits);
  const den = linOf(a.den);
  const numerator = linOf(a.numerator);
  if (!sameLin(linOf(product.a), q) || !sameLin(linOf(product.b), den) || !sameLin(linOf(product.c), plus(numerator, rem, -1n))) {
    return `constraint ${a.productConstraint} is not q·den = numerator − rem`;
  }
  // Σ gap·2^i − (den − 1 − rem)
  const gapA = plus(plus(bitsLin(a.gapBits), den, -1n), plus(new Map([[0, 1n]]), rem));
  for (const [w, c] of [...gapA]) if (c === 0n) gapA.delete(w);
  if (!sameLin(linOf(gap.a), gapA) || !sameLin(linOf(gap.b), new Map([[0, 1n]])) || gap.c.length !== 0) {
    return `constraint ${a.gapConstraint} is not den − 1 − rem = Σ gap·2^i`;
  }
  const qMax = (a.qlo < 0n ? -a.qlo : a.qlo) + (1n << BigInt(a.qBits.length));
  if (qMax << BigInt(a.remBits.length + 1) >= 1n << 250n) return "the quotient and denominator are too wide to rule out wrap-around";
  return undefined;
}

/**
 * Runs the under-constraint checker, taking the quotient bits of every divide assumption as
 * determined once its structure is verified (a failed verification makes the report not ok).
 */
export function checkCodegenCircuit(r1cs: R1cs, assumptions: readonly FinalAssumption[]): CodegenCheckReport {
  const firstInternal = 1 + r1cs.nPubOut + r1cs.nPubIn + r1cs.nPrvIn;
  const problems: string[] = [];
  const assumedSet = new Set<number>();
  const booleans = assumptions.length > 0 ? booleanWires(r1cs) : new Set<number>();
  for (const a of assumptions) {
    const why = structureProblem(r1cs, a, booleans);
    if (why) {
      problems.push(`assumption not justified (${a.reason}): ${why}`);
      continue;
    }
    for (const w of a.qBits) {
      if (w < firstInternal || w >= r1cs.nWires) throw new RangeError(`checkCodegenCircuit: wire ${w} is not an internal wire`);
      assumedSet.add(w);
    }
  }
  const finish = (rep: UnderConstraintReport, assumed: number[]): CodegenCheckReport => ({
    ...rep,
    ok: rep.ok && problems.length === 0,
    messages: [...problems, ...rep.messages],
    assumed,
  });
  if (assumedSet.size === 0) return finish(checkUnderConstrained(r1cs), []);
  // order: everything up to the private inputs, then the assumed wires, then the other internals
  const sortedAssumed = [...assumedSet].sort((a, b) => a - b);
  const order: number[] = [];
  for (let w = 0; w < firstInternal; w++) order.push(w);
  for (const w of sortedAssumed) order.push(w); // no spread: the list can be longer than the call stack allows
  for (let w = firstInternal; w < r1cs.nWires; w++) if (!assumedSet.has(w)) order.push(w);
  const newOf = new Int32Array(r1cs.nWires);
  order.forEach((old, neu) => (newOf[old] = neu));
  const remap = (t: Terms): Terms => t.map(([w, c]) => [newOf[w]!, c] as const).sort((x, y) => x[0] - y[0]);
  const constraints: Constraint[] = r1cs.constraints.map((k) => ({ a: remap(k.a), b: remap(k.b), c: remap(k.c) }));
  const relabelled: R1cs = {
    ...r1cs,
    nPrvIn: r1cs.nPrvIn + sortedAssumed.length,
    constraints,
    wireNames: order.map((old) => r1cs.wireNames[old] ?? `wire ${old}`),
  };
  const rep = checkUnderConstrained(relabelled);
  const back = (ws: number[]) => ws.map((w) => order[w]!);
  return finish(
    {
      ok: rep.ok,
      unconstrained: back(rep.unconstrained),
      undeterminedOutputs: back(rep.undeterminedOutputs),
      undeterminedInternal: back(rep.undeterminedInternal),
      messages: rep.messages,
    },
    sortedAssumed,
  );
}
