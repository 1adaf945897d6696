/**
 * The under-constraint check for generated circuits: `checkUnderConstrained` (backends/groth16)
 * plus a list of wires assumed determined, each with the argument why (the divide quotient bits,
 * see compile.ts). The assumed wires are moved into the private-input block of a relabelled copy
 * of the R1CS, so the checker's rules start from them like from inputs; everything else must
 * follow from the checker's own rules. Reports use the original wire numbers.
 */
import { checkUnderConstrained, type UnderConstraintReport } from "../underconstraint.js";
import type { Constraint, R1cs, Terms } from "../r1cs.js";

/** The checker's report plus the assumptions it was given. */
export interface CodegenCheckReport extends UnderConstraintReport {
  /** final wire ids taken as determined */
  readonly assumed: number[];
}

/**
 * Runs the under-constraint checker with `assumed` (final wire ids of internal wires) treated as
 * determined.
 */
export function checkCodegenCircuit(r1cs: R1cs, assumed: readonly number[]): CodegenCheckReport {
  const firstInternal = 1 + r1cs.nPubOut + r1cs.nPubIn + r1cs.nPrvIn;
  const assumedSet = new Set(assumed);
  for (const w of assumedSet) {
    if (w < firstInternal || w >= r1cs.nWires) throw new RangeError(`checkCodegenCircuit: wire ${w} is not an internal wire`);
  }
  if (assumedSet.size === 0) return { ...checkUnderConstrained(r1cs), assumed: [] };
  // order: everything up to the private inputs, then the assumed wires, then the other internals
  const order: number[] = [];
  for (let w = 0; w < firstInternal; w++) order.push(w);
  const sortedAssumed = [...assumedSet].sort((a, b) => a - b);
  order.push(...sortedAssumed);
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
  return {
    ok: rep.ok,
    unconstrained: back(rep.unconstrained),
    undeterminedOutputs: back(rep.undeterminedOutputs),
    undeterminedInternal: back(rep.undeterminedInternal),
    messages: rep.messages,
    assumed: sortedAssumed,
  };
}
