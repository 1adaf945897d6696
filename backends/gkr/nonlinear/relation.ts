/**
 * The engine behind every non-linear GKR layer: an element-wise **relation** between a primitive's
 * output, its inputs and committed auxiliary witness, with range checks and table lookups.
 *
 * A `RelationSpec` names operands, all laid out like the primitive's output (`layout.ts`):
 * - `input`: a kernel tensor the primitive reads; its evaluations become claims passed back;
 * - `mask`: a public constant on real entries and 0 on padding (the verifier evaluates it);
 * - `aux`: committed witness (Hyrax, `backends/math/commit`). A range-checked aux u with
 *   `range = {bits, offset}` is committed as limbs L_j of u + offset (each at most 16 bits, low limb
 *   first), so u = sum_j 2^(o_j) L_j - offset and every limb is looked up in [0, 2^(w_j)).
 * and states
 *   out = sum of `out` terms,   and   each `constraints[c]` = 0 at every position (padding included),
 * plus `lookups`: rows of operands that must appear in a public table.
 *
 * **Proof of a claim out(r) = v** (one primitive):
 * 1. Relation. All terms of degree <= 1: the operands of `out` are evaluated at r (OUT(r) = v) and
 *    the operands of the constraints at a fresh point tau (Z_c(tau) = 0: a linear identity between
 *    MLEs fixed before tau holds everywhere, whp). r itself is never used for the constraints: a
 *    claim point may have fixed coordinates (1/2 on a summed axis), where errors can cancel.
 *    Otherwise: tau = challenges, gamma = challenge, and one sumcheck of
 *      sum_x eq(r,x) OUT(x) + eq(tau,x) sum_c gamma^c Z_c(x)  =  v,
 *    ending at a point r'. At each point the prover sends the input operands and batch-opens the
 *    committed polynomials needed there; the verifier recomputes the check from those values.
 * 2. Lookups (logUp, `logup.ts`): one witness tree per limb and per lookup, trees of the same size
 *    share the leaf point rho; the prover sends the lookup inputs at rho, batch-opens the committed
 *    polynomials used there, and opens each multiplicity vector at its table's leaf point.
 * 3. Claims on the inputs at r' and rho go back to the kernel driver.
 *
 * Commitments (aux polynomials, then per table its multiplicities) are made by `commitPrim` before
 * the kernel's first challenge and absorbed under "nonlinear/commitment"; the group equations of the
 * openings are deferred (`MsmCheck`) and checked at the end (`session.ts`).
 */
import { ZkcError } from "../../../compiler/errors.js";
import { Fr, FrVector, vecScale } from "../../math/field.js";
import { eqEval, eqTable, evaluateMleByEq } from "../../math/mle.js";
import { proveSumcheck, verifySumcheck, type ProductTerm, type SumcheckProof } from "../../math/sumcheck.js";
import type { Transcript } from "../../math/transcript.js";
import {
  batchOpeningCheck,
  commit,
  commitmentBytes,
  decodeCommitment,
  open,
  openBatch,
  openingCheck,
  restoreState,
  type HyraxCommitment,
  type HyraxOpeningProof,
  type HyraxState,
  type MsmCheck,
  type MsmEngine,
} from "../../math/commit/index.js";
import { indicatorMle, numVarsOfShape, paddedPositions, sizeOfShape } from "../../math/layout.js";
import {
  MAX_RANGE_BITS,
  columnsTable,
  indexMultiplicities,
  proveLogup,
  rangeMultiplicities,
  verifyLogup,
  witnessLeafValue,
  type LogupProof,
  type LogupStatement,
  type TableSpec,
} from "../logup.js";

/** An operand of a relation (see the module header). */
export type Operand =
  | { kind: "input"; tensor: string }
  | { kind: "mask"; constant: bigint }
  | { kind: "aux"; name: string; range?: { bits: number; offset: bigint } };

/** c · prod of operands (indices into `operands`; at least one factor). */
export interface Term {
  coeff: bigint;
  factors: readonly number[];
}

/** A lookup of operand columns into a public table given by integer rows. */
export interface LookupSpec {
  /** stable id (part of commitment names) */
  id: string;
  rows: readonly (readonly number[])[];
  columns: readonly number[];
}

/** The static description of one primitive's relation (the verifier builds the same one). */
export interface RelationSpec {
  /** shape of the output, which every operand shares */
  shape: readonly number[];
  operands: readonly Operand[];
  out: readonly Term[];
  constraints: readonly (readonly Term[])[];
  lookups: readonly LookupSpec[];
}

/** Witness for the aux operands: exact integers, flat row-major (size of `shape`), by aux name. */
export type AuxValues = ReadonlyMap<string, Float64Array>;

// ---------------------------------------------------------------------------------------------
// Plan: what gets committed and looked up, derived from the spec alone

/** Limb widths for a `bits`-wide range: as few limbs as possible, balanced, low limb first. */
export function limbWidths(bits: number): number[] {
  if (!Number.isInteger(bits) || bits < 1 || bits > 200) throw new RangeError(`limbWidths: expected 1 <= bits <= 200, got ${bits}`);
  const count = Math.ceil(bits / MAX_RANGE_BITS);
  const w = Math.ceil(bits / count);
  const out = new Array<number>(count - 1).fill(w);
  out.push(bits - w * (count - 1));
  return out;
}

interface PlannedPoly {
  name: string;
  operand: number;
  /** limb index, or -1 for an unranged aux */
  limb: number;
  width: number;
  /** bit offset of the limb */
  shift: number;
}

interface PlannedTable {
  name: string;
  spec: TableSpec;
  /** range width, or -1 for an explicit lookup */
  width: number;
  lookup: number;
}

/** A witness-tree column: a committed polynomial or an operand. */
type ColumnRef = { kind: "poly"; index: number } | { kind: "operand"; index: number };

export interface RelationPlan {
  spec: RelationSpec;
  numVars: number;
  polys: PlannedPoly[];
  tables: PlannedTable[];
  trees: { table: number; columns: ColumnRef[] }[];
  degree: number;
}

function planOf(spec: RelationSpec, prefix: string): RelationPlan {
  const numVars = numVarsOfShape(spec.shape);
  const polys: PlannedPoly[] = [];
  spec.operands.forEach((op, i) => {
    if (op.kind !== "aux") return;
    if (!op.range) {
      polys.push({ name: `${prefix}/${op.name}`, operand: i, limb: -1, width: 0, shift: 0 });
      return;
    }
    let shift = 0;
    limbWidths(op.range.bits).forEach((w, j) => {
      polys.push({ name: `${prefix}/${op.name}.limb${j}`, operand: i, limb: j, width: w, shift });
      shift += w;
    });
  });
  const tables: PlannedTable[] = [];
  const trees: { table: number; columns: ColumnRef[] }[] = [];
  polys.forEach((p, index) => {
    if (p.limb < 0) return;
    let t = tables.findIndex((x) => x.width === p.width);
    if (t < 0) {
      t = tables.length;
      tables.push({ name: `${prefix}/m.range${p.width}`, spec: { kind: "range", bits: p.width }, width: p.width, lookup: -1 });
    }
    trees.push({ table: t, columns: [{ kind: "poly", index }] });
  });
  spec.lookups.forEach((l, li) => {
    const t = tables.length;
    const rows = l.rows.map((r) => r.map((v) => Fr.fromSigned(v)));
    tables.push({ name: `${prefix}/m.${l.id}`, spec: columnsTable(rows), width: -1, lookup: li });
    trees.push({
      table: t,
      columns: l.columns.map((o) => {
        const op = spec.operands[o]!;
        if (op.kind === "aux" && !op.range) return { kind: "poly" as const, index: polys.findIndex((p) => p.operand === o) };
        if (op.kind === "aux") throw new ZkcError("INTERNAL", `internal error: lookup ${l.id}: a range-checked aux cannot be a lookup column`);
        return { kind: "operand" as const, index: o };
      }),
    });
  });
  const degree = Math.max(1, ...spec.out.map((t) => t.factors.length), ...spec.constraints.flatMap((c) => c.map((t) => t.factors.length)));
  return { spec, numVars, polys, tables, trees, degree };
}

/** Names and sizes of the commitments a relation needs, in commitment order. */
export function commitmentLayout(plan: RelationPlan): { name: string; numVars: number }[] {
  return [
    ...plan.polys.map((p) => ({ name: p.name, numVars: plan.numVars })),
    ...plan.tables.map((t) => ({ name: t.name, numVars: t.spec.kind === "range" ? t.spec.bits : Math.round(Math.log2(t.spec.columns[0]!.length)) })),
  ];
}

export const NONLINEAR_LABELS = {
  commitment: "nonlinear/commitment",
  tau: "nonlinear/tau",
  gamma: "nonlinear/gamma",
  inputEvals: "nonlinear/input-evals",
  lookupInputEvals: "nonlinear/lookup-input-evals",
} as const;

// ---------------------------------------------------------------------------------------------
// Commit phase

/** Prover state of one primitive after its commitments. */
export interface CommittedRelation {
  plan: RelationPlan;
  /** padded integer tables of the aux operands, by operand index */
  auxTables: Map<number, FrVector>;
  polyStates: HyraxState[];
  multiplicityStates: HyraxState[];
  multiplicities: FrVector[];
  /** commitment bytes in commitment order */
  commitments: Uint8Array[];
  /** soundness tests only: a prover that commits to out-of-range witness (see `CommitRelationOptions`) */
  dishonest: boolean;
}

/** Options of `commitRelation`. */
export interface CommitRelationOptions {
  engine?: MsmEngine;
  /**
   * Soundness tests only: accept aux values outside their ranges and rows outside the tables
   * (limbs still sum to the value; out-of-range limbs and unmatched rows are left out of the
   * multiplicities), so tests can show that the verifier rejects such a witness.
   */
  dishonest?: boolean;
  /** Soundness tests only (implies dishonest): edit an aux operand's padded integer table (padding positions included) before committing. */
  tamperPadded?: (auxName: string, padded: Float64Array) => void;
  /**
   * The commitment bytes made earlier for this relation (in commitment order): rebuild the prover
   * state from the witness without the MSMs, to resume a proof in another process.
   */
  known?: readonly Uint8Array[];
}

/** Verifier state of one primitive after absorbing its commitments. */
export interface AbsorbedRelation {
  plan: RelationPlan;
  polyCommitments: HyraxCommitment[];
  multiplicityCommitments: HyraxCommitment[];
}

function padInts(values: Float64Array, shape: readonly number[]): Float64Array {
  const n = numVarsOfShape(shape);
  const out = new Float64Array(2 ** n);
  const pos = paddedPositions(shape);
  for (let i = 0; i < values.length; i++) out[pos[i]!] = values[i]!;
  return out;
}

function maskTable(shape: readonly number[], constant: bigint): FrVector {
  const ind = new Int32Array(2 ** numVarsOfShape(shape));
  for (const p of paddedPositions(shape)) ind[p] = 1;
  return vecScale(FrVector.fromInt32(ind), constant);
}

function fail(where: string, reason: string, hint?: string): never {
  throw new ZkcError("QUANTISATION", `${where}: ${reason}`, { hint: hint ?? "the static bounds of the quantised program do not hold for this input; recalibrate" });
}

/**
 * Compute limbs and multiplicities, commit to them and absorb the commitments.
 * @param where names the primitive in errors
 * @param inputs exact integers of the input tensors (flat, row-major), by tensor name
 * @throws ZkcError QUANTISATION when a value breaks its range (the static bound does not hold)
 */
export async function commitRelation(
  spec: RelationSpec,
  prefix: string,
  aux: AuxValues,
  inputs: (tensor: string) => Float64Array,
  transcript: Transcript,
  where: string,
  opts: CommitRelationOptions = {},
): Promise<CommittedRelation> {
  const { engine } = opts;
  const dishonest = opts.dishonest === true || opts.tamperPadded !== undefined;
  const plan = planOf(spec, prefix);
  const size = sizeOfShape(spec.shape);
  const auxInts = new Map<number, Float64Array>();
  const auxTables = new Map<number, FrVector>();
  spec.operands.forEach((op, i) => {
    if (op.kind !== "aux") return;
    const v = aux.get(op.name);
    if (!v || v.length !== size) throw new ZkcError("INTERNAL", `internal error: ${where}: aux "${op.name}" missing or of the wrong size`);
    const padded = padInts(v, spec.shape);
    opts.tamperPadded?.(op.name, padded);
    auxInts.set(i, padded);
    auxTables.set(i, FrVector.fromIntegers(padded));
  });
  // limbs
  const limbInts: Int32Array[] = plan.polys.map((p) => {
    const op = spec.operands[p.operand] as Extract<Operand, { kind: "aux" }>;
    const vals = auxInts.get(p.operand)!;
    const out = new Int32Array(vals.length);
    if (p.limb < 0) return out; // unranged: committed from the field table below
    const offset = Number(op.range!.offset);
    const div = 2 ** p.shift;
    const mod = 2 ** p.width;
    const top = p.shift + p.width === op.range!.bits;
    for (let i = 0; i < vals.length; i++) {
      const u = vals[i]! + offset;
      if (u < 0 || u >= 2 ** op.range!.bits) {
        if (!dishonest) fail(where, `${op.name} = ${vals[i]} is outside its range [${-offset}, ${2 ** op.range!.bits - offset})`);
      }
      const d = Math.floor(u / div);
      // the top limb keeps the excess, so the limbs always sum to u (only matters when dishonest)
      out[i] = top ? d : ((d % mod) + mod) % mod;
    }
    return out;
  });
  // multiplicities
  const operandInts = (o: number): Float64Array => {
    const op = spec.operands[o]!;
    if (op.kind === "aux") return auxInts.get(o)!;
    if (op.kind === "input") return padInts(inputs(op.tensor), spec.shape);
    const c = Number(Fr.toSigned(op.constant));
    const out = new Float64Array(2 ** plan.numVars);
    for (const p of paddedPositions(spec.shape)) out[p] = c;
    return out;
  };
  const multiplicities = plan.tables.map((t) => {
    if (t.width > 0) {
      let cols = plan.polys.map((p, i) => (p.width === t.width && p.limb >= 0 ? limbInts[i]! : null)).filter((c): c is Int32Array => c !== null);
      if (dishonest) cols = cols.map((c) => c.filter((v) => v >= 0 && v < 2 ** t.width));
      return rangeMultiplicities(t.width, cols);
    }
    const l = spec.lookups[t.lookup]!;
    const index = new Map<string, number>();
    l.rows.forEach((r, k) => {
      const key = r.join(",");
      if (!index.has(key)) index.set(key, k);
    });
    const cols = l.columns.map(operandInts);
    const match = new Int32Array(2 ** plan.numVars);
    for (let i = 0; i < match.length; i++) {
      const key = cols.map((c) => c[i]!).join(",");
      const k = index.get(key);
      if (k === undefined && dishonest) {
        match[i] = 0; // counted on row 0: the sums cannot balance
        continue;
      }
      if (k === undefined) fail(where, `lookup ${l.id}: row (${key}) at padded position ${i} is not in the table`, "clamp the input into the table's domain first");
      match[i] = k;
    }
    return indexMultiplicities(t.spec.kind === "columns" ? t.spec.columns[0]!.length : 0, [match]);
  });
  const layout = commitmentLayout(plan);
  const known = opts.known;
  if (known && known.length !== layout.length) throw new ZkcError("INTERNAL", `internal error: ${where}: expected ${layout.length} known commitments, got ${known.length}`);
  // a fresh commitment, or the state of a known one (no MSM)
  const commitOrRestore = async (values: FrVector | Int32Array, numVars: number, k: number) => {
    if (!known) return commit(values, numVars, { engine });
    try {
      const state = restoreState(values, numVars, known[k]!);
      return { commitment: state.commitment, state };
    } catch (e) {
      throw new ZkcError("INTERNAL", `internal error: ${where}: known commitment ${k}: ${(e as Error).message}`);
    }
  };
  const polyCommits = await Promise.all(plan.polys.map((p, i) => commitOrRestore(p.limb < 0 ? auxTables.get(p.operand)! : limbInts[i]!, plan.numVars, i)));
  const mCommits = await Promise.all(plan.tables.map((t, i) => commitOrRestore(multiplicities[i]!, layout[plan.polys.length + i]!.numVars, plan.polys.length + i)));
  const commitments = [...polyCommits, ...mCommits].map((c, i) => known?.[i] ?? commitmentBytes(c.commitment));
  const names = layout;
  commitments.forEach((b, i) => transcript.absorbBytes(`${NONLINEAR_LABELS.commitment}/${names[i]!.name}`, b));
  return {
    plan,
    auxTables,
    polyStates: polyCommits.map((c) => c.state),
    multiplicityStates: mCommits.map((c) => c.state),
    multiplicities,
    commitments,
    dishonest,
  };
}

/** Verifier mirror of `commitRelation`: decode and absorb the commitments. Never throws on their bytes. */
export function absorbRelation(
  spec: RelationSpec,
  prefix: string,
  commitments: readonly unknown[],
  transcript: Transcript,
): { ok: true; relation: AbsorbedRelation } | { ok: false; reason: string } {
  const plan = planOf(spec, prefix);
  const names = commitmentLayout(plan);
  if (commitments.length !== names.length) return { ok: false, reason: `expected ${names.length} commitments, got ${commitments.length}` };
  const decoded: HyraxCommitment[] = [];
  for (let i = 0; i < names.length; i++) {
    const bytes = commitments[i];
    const c = bytes instanceof Uint8Array ? decodeCommitment(bytes) : null;
    if (!c) return { ok: false, reason: `commitment ${names[i]!.name} is malformed` };
    if (c.numVars !== names[i]!.numVars) return { ok: false, reason: `commitment ${names[i]!.name}: expected ${names[i]!.numVars} variables, got ${c.numVars}` };
    transcript.absorbBytes(`${NONLINEAR_LABELS.commitment}/${names[i]!.name}`, bytes as Uint8Array);
    decoded.push(c);
  }
  return {
    ok: true,
    relation: { plan, polyCommitments: decoded.slice(0, plan.polys.length), multiplicityCommitments: decoded.slice(plan.polys.length) },
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation helpers shared by both sides

/** Operands named by some term (the ones a check at a point needs). */
function operandsOf(termLists: readonly (readonly Term[])[]): number[] {
  const set = new Set<number>();
  for (const l of termLists) for (const t of l) for (const f of t.factors) set.add(f);
  return [...set].sort((a, b) => a - b);
}

/** Committed polynomials (by index) behind a set of operands. */
function polysOf(plan: RelationPlan, operands: readonly number[]): number[] {
  return plan.polys.map((p, k) => (operands.includes(p.operand) ? k : -1)).filter((k) => k >= 0);
}

/**
 * Operand values at a point (only those in `operands`; others stay 0) from input values and
 * committed-polynomial values (both by index).
 */
function operandEvals(
  plan: RelationPlan,
  point: readonly bigint[],
  operands: readonly number[],
  inputEvals: ReadonlyMap<number, bigint>,
  polyEvals: ReadonlyMap<number, bigint>,
): bigint[] {
  const out = new Array<bigint>(plan.spec.operands.length).fill(0n);
  for (const i of operands) {
    const op = plan.spec.operands[i]!;
    if (op.kind === "input") out[i] = inputEvals.get(i)!;
    else if (op.kind === "mask") out[i] = Fr.mul(op.constant, indicatorMle(plan.spec.shape, point));
    else {
      let acc = 0n;
      plan.polys.forEach((p, k) => {
        if (p.operand === i) acc = Fr.add(acc, Fr.mul(1n << BigInt(p.shift), polyEvals.get(k)!));
      });
      out[i] = op.range ? Fr.sub(acc, op.range.offset) : acc;
    }
  }
  return out;
}

function evalTerms(terms: readonly Term[], evals: readonly bigint[]): bigint {
  let acc = 0n;
  for (const t of terms) {
    let prod = t.coeff;
    for (const f of t.factors) prod = Fr.mul(prod, evals[f]!);
    acc = Fr.add(acc, prod);
  }
  return acc;
}

/** The relation's final value: eq(r, p) OUT + eq(tau, p) sum_c gamma^c Z_c (sumcheck case). */
function relationValue(plan: RelationPlan, evals: readonly bigint[], eqR: bigint, eqTau: bigint, gamma: bigint): bigint {
  let z = 0n;
  let g = 1n;
  for (const c of plan.spec.constraints) {
    z = Fr.add(z, Fr.mul(g, evalTerms(c, evals)));
    g = Fr.mul(g, gamma);
  }
  return Fr.add(Fr.mul(eqR, evalTerms(plan.spec.out, evals)), Fr.mul(eqTau, z));
}

/** Committed polynomials used by the lookups (opened at the lookup point). */
function lookupPolys(plan: RelationPlan): number[] {
  const set = new Set<number>();
  for (const t of plan.trees) for (const c of t.columns) if (c.kind === "poly") set.add(c.index);
  return [...set].sort((a, b) => a - b);
}

/** Inputs used as lookup columns (their values at the lookup point are sent). */
function lookupInputs(plan: RelationPlan): number[] {
  const set = new Set<number>();
  for (const t of plan.trees) for (const c of t.columns) if (c.kind === "operand" && plan.spec.operands[c.index]!.kind === "input") set.add(c.index);
  return [...set].sort((a, b) => a - b);
}

function statementOf(plan: RelationPlan): LogupStatement {
  return { tables: plan.tables.map((t) => t.spec), witnessTables: plan.trees.map((t) => t.table), witnessVars: plan.numVars };
}

// ---------------------------------------------------------------------------------------------
// Layer proof

/** A claim on a tensor (same shape as the kernel driver's `Claim`). */
export interface TensorClaim {
  tensor: string;
  point: bigint[];
  value: bigint;
}

/** Opening of several committed polynomials at one point. */
export interface BatchOpening {
  values: bigint[];
  proof: HyraxOpeningProof;
}

/** The operands needed at one evaluation point: inputs sent, committed polynomials opened. */
export interface PointEvals {
  /** the input operands of the point's set, in operand order */
  inputEvals: bigint[];
  /** the committed polynomials behind the point's set, in commitment order; absent when there are none */
  opening?: BatchOpening;
}

export interface RelationProof {
  kind: "relation";
  /** present when the relation has degree > 1 */
  sumcheck?: SumcheckProof;
  /**
   * Degree > 1: one entry, all operands at the sumcheck point. Linear: the operands of `out` at the
   * claim point r, then (when there are constraints) the operands of the constraints at a fresh
   * point tau. (The claim point need not be random, e.g. a reduced axis at 1/2, so constraints are
   * never checked at r.)
   */
  points: PointEvals[];
  lookup?: {
    logup: LogupProof;
    /** lookup-column inputs at the lookup point */
    inputEvals: bigint[];
    /** committed polynomials used by the lookups, at the lookup point */
    opening?: BatchOpening;
    /** per table: the opening of m at the table's leaf point (its value is the logUp claim) */
    multiplicities: HyraxOpeningProof[];
  };
}

/**
 * Prove out(r) = v for one committed relation.
 * @param inputTable the padded table of an input tensor in the output's layout
 */
export function proveRelation(
  rel: CommittedRelation,
  claim: { point: readonly bigint[]; value: bigint },
  inputTable: (tensor: string) => FrVector,
  transcript: Transcript,
): { proof: RelationProof; claims: TensorClaim[] } {
  const { plan } = rel;
  const ops = plan.spec.operands;
  const opTable = (i: number): FrVector => {
    const op = ops[i]!;
    if (op.kind === "input") return inputTable(op.tensor);
    if (op.kind === "mask") return maskTable(plan.spec.shape, op.constant);
    return rel.auxTables.get(i)!;
  };
  const claims: TensorClaim[] = [];
  let sumcheck: SumcheckProof | undefined;
  const sets: { point: bigint[]; operands: number[] }[] = [];
  if (plan.degree > 1) {
    const tau = transcript.challenges(NONLINEAR_LABELS.tau, plan.numVars);
    const gamma = transcript.challenge(NONLINEAR_LABELS.gamma);
    const polys = [eqTable(claim.point), eqTable(tau), ...ops.map((_, i) => opTable(i))];
    const terms: ProductTerm[] = plan.spec.out.map((t) => ({ coeff: t.coeff, factors: [0, ...t.factors.map((f) => f + 2)] }));
    let g = 1n;
    for (const c of plan.spec.constraints) {
      for (const t of c) terms.push({ coeff: Fr.mul(g, t.coeff), factors: [1, ...t.factors.map((f) => f + 2)] });
      g = Fr.mul(g, gamma);
    }
    // a dishonest prover (tests) proves whatever its witness sums to; the verifier starts from the claim
    const sc = proveSumcheck({ polys, terms }, transcript, rel.dishonest ? undefined : claim.value);
    sumcheck = sc.proof;
    sets.push({ point: sc.point, operands: ops.map((_, i) => i) });
  } else {
    sets.push({ point: [...claim.point], operands: operandsOf([plan.spec.out]) });
    if (plan.spec.constraints.length > 0) {
      sets.push({ point: transcript.challenges(NONLINEAR_LABELS.tau, plan.numVars), operands: operandsOf(plan.spec.constraints) });
    }
  }
  const points: PointEvals[] = sets.map(({ point, operands }) => {
    const inputEvals = operands
      .filter((i) => ops[i]!.kind === "input")
      .map((i) => {
        const v = evalAt(opTable(i), point);
        claims.push({ tensor: (ops[i] as { tensor: string }).tensor, point, value: v });
        return v;
      });
    transcript.absorbFields(NONLINEAR_LABELS.inputEvals, inputEvals);
    const pk = polysOf(plan, operands);
    const opening = pk.length > 0 ? openBatch(pk.map((k) => rel.polyStates[k]!), point, transcript) : undefined;
    return { inputEvals, ...(opening ? { opening } : {}) };
  });
  const proof: RelationProof = { kind: "relation", points, ...(sumcheck ? { sumcheck } : {}) };
  if (plan.trees.length > 0) {
    const statement = statementOf(plan);
    const columns = plan.trees.map((t) => t.columns.map((c) => (c.kind === "poly" ? rel.polyStates[c.index]!.table : opTable(c.index))));
    let lg;
    try {
      lg = proveLogup(statement, { columns, multiplicities: rel.multiplicities }, transcript, { dishonest: rel.dishonest });
    } catch (e) {
      throw new ZkcError("INTERNAL", `internal error: lookup argument failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const rho = lg.claims.point;
    const li = lookupInputs(plan);
    const lInputEvals = li.map((i) => {
      const v = evalAt(opTable(i), rho);
      claims.push({ tensor: (ops[i] as { tensor: string }).tensor, point: rho, value: v });
      return v;
    });
    transcript.absorbFields(NONLINEAR_LABELS.lookupInputEvals, lInputEvals);
    const lp = lookupPolys(plan);
    const lOpening = lp.length > 0 ? openBatch(lp.map((k) => rel.polyStates[k]!), rho, transcript) : undefined;
    const multiplicities = rel.multiplicityStates.map((s, t) => open(s, lg.claims.multiplicityClaims[t]!.point, transcript).proof);
    proof.lookup = { logup: lg.proof, inputEvals: lInputEvals, ...(lOpening ? { opening: lOpening } : {}), multiplicities };
  }
  return { proof, claims };
}

function evalAt(table: FrVector, point: readonly bigint[]): bigint {
  return evaluateMleByEq(table, point);
}

function isFieldArray(x: unknown, n: number): x is bigint[] {
  return Array.isArray(x) && x.length === n && x.every((v) => Fr.isValid(v as bigint));
}

export type RelationVerdict = { ok: true; claims: TensorClaim[]; checks: MsmCheck[] } | { ok: false; reason: string };

/** Verifier mirror of `proveRelation`. Never throws on proof data. */
export function verifyRelation(
  rel: AbsorbedRelation,
  claim: { point: readonly bigint[]; value: bigint },
  proof: unknown,
  transcript: Transcript,
): RelationVerdict {
  const { plan } = rel;
  const ops = plan.spec.operands;
  const pr = proof as Partial<RelationProof> | null;
  if (typeof proof !== "object" || proof === null || pr!.kind !== "relation") return { ok: false, reason: "not a relation proof" };
  const claims: TensorClaim[] = [];
  const checks: MsmCheck[] = [];
  const sets: { point: bigint[]; operands: number[] }[] = [];
  let target = claim.value;
  let eqR = 1n;
  let eqTau = 1n;
  let gamma = 0n;
  if (plan.degree > 1) {
    const tau = transcript.challenges(NONLINEAR_LABELS.tau, plan.numVars);
    gamma = transcript.challenge(NONLINEAR_LABELS.gamma);
    const sc = verifySumcheck(claim.value, plan.numVars, plan.degree + 1, pr!.sumcheck, transcript);
    if (!sc.ok) return { ok: false, reason: `relation sumcheck: ${sc.reason}` };
    target = sc.claimedEval;
    eqR = eqEval(claim.point, sc.point);
    eqTau = eqEval(tau, sc.point);
    sets.push({ point: sc.point, operands: ops.map((_, i) => i) });
  } else {
    if (pr!.sumcheck != null) return { ok: false, reason: "unexpected sumcheck in a linear relation" };
    sets.push({ point: [...claim.point], operands: operandsOf([plan.spec.out]) });
    if (plan.spec.constraints.length > 0) {
      sets.push({ point: transcript.challenges(NONLINEAR_LABELS.tau, plan.numVars), operands: operandsOf(plan.spec.constraints) });
    }
  }
  if (!Array.isArray(pr!.points) || pr!.points.length !== sets.length) return { ok: false, reason: `expected evaluations at ${sets.length} points` };
  const evalsAt: bigint[][] = [];
  for (let k = 0; k < sets.length; k++) {
    const { point, operands } = sets[k]!;
    const pe = pr!.points[k] as Partial<PointEvals> | null;
    const inputs = operands.filter((i) => ops[i]!.kind === "input");
    if (typeof pe !== "object" || pe === null || !isFieldArray(pe.inputEvals, inputs.length)) return { ok: false, reason: `point ${k}: expected ${inputs.length} input evaluations` };
    transcript.absorbFields(NONLINEAR_LABELS.inputEvals, pe.inputEvals);
    const inputMap = new Map<number, bigint>();
    inputs.forEach((i, j) => {
      inputMap.set(i, pe.inputEvals![j]!);
      claims.push({ tensor: (ops[i] as { tensor: string }).tensor, point, value: pe.inputEvals![j]! });
    });
    const pk = polysOf(plan, operands);
    const polyMap = new Map<number, bigint>();
    if (pk.length > 0) {
      const o = pe.opening as Partial<BatchOpening> | undefined;
      if (typeof o !== "object" || o === null || !isFieldArray(o.values, pk.length)) return { ok: false, reason: `point ${k}: malformed opening` };
      const chk = batchOpeningCheck(pk.map((j) => rel.polyCommitments[j]!), point, o.values, o.proof, transcript);
      if (!chk.ok) return { ok: false, reason: `point ${k}: opening: ${chk.reason}` };
      checks.push(chk.check);
      pk.forEach((j, m) => polyMap.set(j, o.values![m]!));
    } else if (pe.opening != null) {
      return { ok: false, reason: `point ${k}: unexpected opening` };
    }
    evalsAt.push(operandEvals(plan, point, operands, inputMap, polyMap));
  }
  if (plan.degree > 1) {
    if (relationValue(plan, evalsAt[0]!, eqR, eqTau, gamma) !== target) return { ok: false, reason: "relation: the final sumcheck claim does not match the operands" };
  } else {
    if (evalTerms(plan.spec.out, evalsAt[0]!) !== target) return { ok: false, reason: "relation: the output claim does not match the operands" };
    for (let c = 0; c < plan.spec.constraints.length; c++) {
      if (evalTerms(plan.spec.constraints[c]!, evalsAt[1]!) !== 0n) return { ok: false, reason: `relation: constraint ${c} fails at a random point` };
    }
  }
  if (plan.trees.length > 0) {
    const lk = pr!.lookup as RelationProof["lookup"] | undefined;
    if (typeof lk !== "object" || lk === null) return { ok: false, reason: "missing the lookup proof" };
    const lg = verifyLogup(statementOf(plan), lk.logup, transcript);
    if (!lg.ok) return { ok: false, reason: `lookup: ${lg.reason}` };
    const rho = lg.claims.point;
    const li = lookupInputs(plan);
    if (!isFieldArray(lk.inputEvals, li.length)) return { ok: false, reason: `lookup: expected ${li.length} input evaluations` };
    transcript.absorbFields(NONLINEAR_LABELS.lookupInputEvals, lk.inputEvals);
    const lInputs = new Map<number, bigint>();
    li.forEach((i, k) => {
      lInputs.set(i, lk.inputEvals[k]!);
      claims.push({ tensor: (ops[i] as { tensor: string }).tensor, point: rho, value: lk.inputEvals[k]! });
    });
    const lp = lookupPolys(plan);
    const lPolyEvals = new Map<number, bigint>();
    if (lp.length > 0) {
      const o = lk.opening as Partial<BatchOpening> | undefined;
      if (typeof o !== "object" || o === null || !isFieldArray(o.values, lp.length)) return { ok: false, reason: "lookup opening: malformed" };
      const chk = batchOpeningCheck(lp.map((k) => rel.polyCommitments[k]!), rho, o.values, o.proof, transcript);
      if (!chk.ok) return { ok: false, reason: `lookup opening: ${chk.reason}` };
      checks.push(chk.check);
      lp.forEach((k, j) => lPolyEvals.set(k, o.values![j]!));
    }
    if (!Array.isArray(lk.multiplicities) || lk.multiplicities.length !== plan.tables.length) return { ok: false, reason: "lookup: expected one multiplicity opening per table" };
    for (let t = 0; t < plan.tables.length; t++) {
      const mc = lg.claims.multiplicityClaims[t]!;
      const chk = openingCheck(rel.multiplicityCommitments[t]!, mc.point, mc.value, lk.multiplicities[t], transcript);
      if (!chk.ok) return { ok: false, reason: `lookup: multiplicities of table ${t}: ${chk.reason}` };
      checks.push(chk.check);
    }
    // leaf denominators against the column values
    for (let i = 0; i < plan.trees.length; i++) {
      const cols = plan.trees[i]!.columns.map((c) => {
        if (c.kind === "poly") return lPolyEvals.get(c.index)!;
        const op = ops[c.index]!;
        if (op.kind === "input") return lInputs.get(c.index)!;
        if (op.kind === "mask") return Fr.mul(op.constant, indicatorMle(plan.spec.shape, rho));
        return 0n; // ranged aux as a lookup column is not planned (planOf maps unranged aux to polys)
      });
      if (witnessLeafValue(lg.claims.alpha, lg.claims.beta, cols) !== lg.claims.witnessLeaves[i]) {
        return { ok: false, reason: `lookup: witness tree ${i} does not match the committed values (a value outside its table)` };
      }
    }
  } else if (pr!.lookup != null) {
    return { ok: false, reason: "unexpected lookup proof" };
  }
  return { ok: true, claims, checks };
}
