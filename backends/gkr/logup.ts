/**
 * logUp lookups with GKR fractional sums (Haböck's logarithmic derivative, proven with the
 * fraction-tree GKR of Papini–Haböck).
 *
 * **Statement.** Witness rows w_i = (c_0[i], ..., c_{K-1}[i]) lie in a public table of rows
 * T[t] = (T_0[t], ..., T_{K-1}[t]) iff, for random alpha and beta,
 *
 *     sum_i 1 / (alpha - sum_j beta^j c_j[i])  =  sum_t m_t / (alpha - sum_j beta^j T_j[t])
 *
 * with prover-computed multiplicities m (committed by the caller, so bound before alpha and
 * beta are drawn). Range tables are [0, 2^bits) in one column; function tables have several
 * columns (x, f(x), ...). A table padded to a power of two repeats a real row, so multiplicity
 * put on padding rows still counts a legitimate row.
 *
 * **Fraction trees.** Each side is a binary tree of fractions p/q: the leaves are (1, alpha - w_i)
 * on the witness side and (m_t, alpha - T[t]) on the table side; a parent of children a/b and
 * c/d is (a·d + c·b)/(b·d). In the MLE layout of `mle.ts`, layer k has 2^k entries and the
 * children of entry x are x and x + 2^k (the top variable of layer k+1 is the child bit), so
 *
 *     p_k(x) = p_{k+1}(0,x) q_{k+1}(1,x) + p_{k+1}(1,x) q_{k+1}(0,x),   q_k(x) = q_{k+1}(0,x) q_{k+1}(1,x).
 *
 * The prover sends every root; then, layer by layer, one sumcheck (degree 3) per layer batches
 * every tree still active (trees of different depths share challenges, so trees of equal depth
 * end at the same leaf point):
 *
 *     sum_j lambda^(2j) p_k^j(r) + lambda^(2j+1) q_k^j(r)
 *       = sum_x eq(r, x) sum_j [lambda^(2j) (P0 Q1 + P1 Q0) + lambda^(2j+1) Q0 Q1](x),
 *
 * then the four child values at the sumcheck point s per tree, then mu, and the claims move to
 * (mu, s): p_{k+1}(mu, s) = P0(s) + mu (P1(s) - P0(s)).
 *
 * Transcript: alpha = challenge("logup/alpha"), beta = challenge("logup/beta");
 * absorbFields("logup/roots", [p_0, q_0, p_1, q_1, ...]); per layer: lambda =
 * challenge("logup/lambda"), the sumcheck, absorbFields("logup/children", values),
 * mu = challenge("logup/mu").
 *
 * **Leaves left to the caller.** Witness leaves end in claims q_leaf(rho) that the caller checks
 * against the columns' evaluations (`witnessLeafValue`): those evaluations become claims on the
 * committed or kernel tensors. Table leaves end in m(rho_t) (to open against m's commitment);
 * the verifier evaluates the table's own columns itself.
 */
import { Fr, FrVector, vecAdd, vecMul, vecScale, vecSub } from "../math/field.js";
import { eqEval, eqTable, evaluateMle } from "../math/mle.js";
import { proveSumcheck, verifySumcheck, type ProductTerm, type SumcheckProof } from "../math/sumcheck.js";
import type { Transcript } from "../math/transcript.js";

/** Transcript labels of this module. */
export const LOGUP_LABELS = {
  alpha: "logup/alpha",
  beta: "logup/beta",
  roots: "logup/roots",
  lambda: "logup/lambda",
  children: "logup/children",
  mu: "logup/mu",
} as const;

// ---------------------------------------------------------------------------------------------
// Tables

/** A public lookup table. */
export type TableSpec =
  /** the single column 0, 1, ..., 2^bits - 1 */
  | { kind: "range"; bits: number }
  /** explicit columns of equal power-of-two length (padded by repeating a real row) */
  | { kind: "columns"; columns: readonly FrVector[] };

/** Largest range table used directly (wider ranges are split into limbs by the caller). */
export const MAX_RANGE_BITS = 16;

/** Number of MLE variables of a table. */
export function tableNumVars(t: TableSpec): number {
  if (t.kind === "range") return t.bits;
  return Math.round(Math.log2(t.columns[0]!.length));
}

/** Number of columns of a table. */
export function tableWidth(t: TableSpec): number {
  return t.kind === "range" ? 1 : t.columns.length;
}

/** The table's column tables (prover side). */
export function tableColumns(t: TableSpec): FrVector[] {
  if (t.kind === "columns") return [...t.columns];
  const ints = new Int32Array(2 ** t.bits);
  for (let i = 0; i < ints.length; i++) ints[i] = i;
  return [FrVector.fromInt32(ints)];
}

/** Each column's MLE at `point` (verifier side; the range column in closed form). */
export function tableColumnEvals(t: TableSpec, point: readonly bigint[]): bigint[] {
  if (t.kind === "columns") return t.columns.map((c) => evaluateMle(c, point));
  // MLE of t -> t is sum_j 2^(bits-1-j) x_j (variable 0 = most significant bit)
  let acc = 0n;
  for (const x of point) acc = Fr.add(Fr.add(acc, acc), x);
  return [acc];
}

/**
 * A table of rows padded to a power of two (at least 2 rows) by repeating the last row.
 * @throws RangeError for no rows or ragged rows
 */
export function columnsTable(rows: readonly (readonly bigint[])[]): TableSpec {
  if (rows.length === 0) throw new RangeError("columnsTable: expected at least one row");
  const width = rows[0]!.length;
  if (rows.some((r) => r.length !== width)) throw new RangeError("columnsTable: expected rows of one width");
  let size = 2;
  while (size < rows.length) size *= 2;
  const columns = Array.from({ length: width }, (_, j) =>
    FrVector.fromBigints(Array.from({ length: size }, (_, t) => rows[Math.min(t, rows.length - 1)]![j]!)),
  );
  return { kind: "columns", columns };
}

/** alpha - sum_j beta^j values[j]: a leaf denominator from column values. */
export function witnessLeafValue(alpha: bigint, beta: bigint, columnValues: readonly bigint[]): bigint {
  let acc = 0n;
  for (let j = columnValues.length - 1; j >= 0; j--) acc = Fr.add(Fr.mul(acc, beta), columnValues[j]!);
  return Fr.sub(alpha, acc);
}

/** alpha - sum_j beta^j columns[j], elementwise. */
function leafDenominators(alpha: bigint, beta: bigint, columns: readonly FrVector[]): FrVector {
  const n = columns[0]!.length;
  let acc = FrVector.zeros(n);
  for (let j = columns.length - 1; j >= 0; j--) acc = vecAdd(vecScale(acc, beta), columns[j]!);
  return vecSub(FrVector.filled(n, alpha), acc);
}

// ---------------------------------------------------------------------------------------------
// Fraction-tree GKR

/** Leaves of one fraction tree (equal power-of-two lengths). */
export interface FractionTree {
  p: FrVector;
  q: FrVector;
}

/** One GKR layer: the batched sumcheck and, per active tree, P0, P1, Q0, Q1 at its point. */
export interface FractionLayerProof {
  sumcheck: SumcheckProof;
  children: bigint[];
}

export interface FractionSumProof {
  /** p_0, q_0 of every tree, in tree order */
  roots: bigint[];
  layers: FractionLayerProof[];
}

/** A leaf claim: p(point) and q(point) of a tree's leaf MLEs. */
export interface LeafClaim {
  point: bigint[];
  p: bigint;
  q: bigint;
}

interface TreeLayers {
  p: FrVector[];
  q: FrVector[];
}

/** All layers of a tree, index k = layer with 2^k entries. */
function buildLayers(t: FractionTree): TreeLayers {
  const depth = Math.round(Math.log2(t.p.length));
  const p: FrVector[] = new Array(depth + 1);
  const q: FrVector[] = new Array(depth + 1);
  p[depth] = t.p;
  q[depth] = t.q;
  for (let k = depth - 1; k >= 0; k--) {
    const h = 2 ** k;
    const [p0, p1, q0, q1] = [p[k + 1]!.subarray(0, h), p[k + 1]!.subarray(h), q[k + 1]!.subarray(0, h), q[k + 1]!.subarray(h)];
    p[k] = vecAdd(vecMul(p0, q1), vecMul(p1, q0));
    q[k] = vecMul(q0, q1);
  }
  return { p, q };
}

function depthOf(t: FractionTree): number {
  const n = t.p.length;
  if (n < 1 || (n & (n - 1)) !== 0 || t.q.length !== n) {
    throw new RangeError(`proveFractionSums: expected p and q of one power-of-two length, got ${t.p.length} and ${t.q.length}`);
  }
  return Math.round(Math.log2(n));
}

/**
 * Prove the root fractions of several trees.
 * @returns the proof, each tree's root (p, q) and leaf claim
 * @throws RangeError for malformed trees
 */
export function proveFractionSums(
  trees: readonly FractionTree[],
  transcript: Transcript,
): { proof: FractionSumProof; roots: [bigint, bigint][]; leaves: LeafClaim[] } {
  const depths = trees.map(depthOf);
  const all = trees.map(buildLayers);
  const roots: [bigint, bigint][] = all.map((l) => [l.p[0]!.get(0), l.q[0]!.get(0)]);
  transcript.absorbFields(LOGUP_LABELS.roots, roots.flat());
  const leaves: LeafClaim[] = new Array(trees.length);
  let claims = roots.map(([p, q]) => ({ p, q }));
  let point: bigint[] = [];
  depths.forEach((d, j) => {
    if (d === 0) leaves[j] = { point: [], p: roots[j]![0], q: roots[j]![1] };
  });
  const layers: FractionLayerProof[] = [];
  const maxDepth = Math.max(0, ...depths);
  for (let k = 0; k < maxDepth; k++) {
    const active = depths.map((d, j) => (d > k ? j : -1)).filter((j) => j >= 0);
    const lambda = transcript.challenge(LOGUP_LABELS.lambda);
    const polys: FrVector[] = [eqTable(point)];
    const terms: ProductTerm[] = [];
    let claim = 0n;
    let w = 1n;
    const h = 2 ** k;
    for (const j of active) {
      const lp = all[j]!.p[k + 1]!;
      const lq = all[j]!.q[k + 1]!;
      const base = polys.length;
      polys.push(lp.subarray(0, h), lp.subarray(h), lq.subarray(0, h), lq.subarray(h));
      const wq = Fr.mul(w, lambda);
      terms.push({ coeff: w, factors: [0, base, base + 3] }, { coeff: w, factors: [0, base + 1, base + 2] }, { coeff: wq, factors: [0, base + 2, base + 3] });
      claim = Fr.add(claim, Fr.add(Fr.mul(w, claims[j]!.p), Fr.mul(wq, claims[j]!.q)));
      w = Fr.mul(wq, lambda);
    }
    const sc = proveSumcheck({ polys, terms }, transcript, claim);
    const children = sc.polyEvals.slice(1);
    transcript.absorbFields(LOGUP_LABELS.children, children);
    const mu = transcript.challenge(LOGUP_LABELS.mu);
    layers.push({ sumcheck: sc.proof, children });
    point = [mu, ...sc.point];
    const next = claims.slice();
    active.forEach((j, a) => {
      const [p0, p1, q0, q1] = children.slice(4 * a, 4 * a + 4) as [bigint, bigint, bigint, bigint];
      next[j] = { p: Fr.add(p0, Fr.mul(mu, Fr.sub(p1, p0))), q: Fr.add(q0, Fr.mul(mu, Fr.sub(q1, q0))) };
      if (depths[j] === k + 1) leaves[j] = { point, p: next[j]!.p, q: next[j]!.q };
    });
    claims = next;
  }
  return { proof: { roots: roots.flat(), layers }, roots, leaves };
}

export type FractionVerdict = { ok: true; roots: [bigint, bigint][]; leaves: LeafClaim[] } | { ok: false; reason: string };

function isFieldArray(x: unknown, n: number): x is bigint[] {
  return Array.isArray(x) && x.length === n && x.every((v) => Fr.isValid(v as bigint));
}

/**
 * Verify the fraction GKR for trees of the given depths (fixed by the caller's statement).
 * Returns the roots (to check against each other) and the leaf claims (to discharge). Never throws
 * on proof data.
 */
export function verifyFractionSums(depths: readonly number[], proof: unknown, transcript: Transcript): FractionVerdict {
  const pr = proof as Partial<FractionSumProof> | null;
  if (typeof proof !== "object" || proof === null || !Array.isArray(pr!.layers)) return { ok: false, reason: "fraction proof is not an object with roots and layers" };
  if (!isFieldArray(pr!.roots, 2 * depths.length)) return { ok: false, reason: `expected ${2 * depths.length} canonical root values` };
  const maxDepth = Math.max(0, ...depths);
  if (pr!.layers.length !== maxDepth) return { ok: false, reason: `expected ${maxDepth} layers, got ${pr!.layers.length}` };
  const rootVals = pr!.roots;
  transcript.absorbFields(LOGUP_LABELS.roots, rootVals);
  const roots: [bigint, bigint][] = depths.map((_, j) => [rootVals[2 * j]!, rootVals[2 * j + 1]!]);
  const leaves: LeafClaim[] = new Array(depths.length);
  let claims = roots.map(([p, q]) => ({ p, q }));
  let point: bigint[] = [];
  depths.forEach((d, j) => {
    if (d === 0) leaves[j] = { point: [], p: roots[j]![0], q: roots[j]![1] };
  });
  for (let k = 0; k < maxDepth; k++) {
    const layer = pr!.layers[k] as Partial<FractionLayerProof> | null;
    const active = depths.map((d, j) => (d > k ? j : -1)).filter((j) => j >= 0);
    if (typeof layer !== "object" || layer === null || !isFieldArray(layer.children, 4 * active.length)) {
      return { ok: false, reason: `layer ${k}: expected ${4 * active.length} child values` };
    }
    const lambda = transcript.challenge(LOGUP_LABELS.lambda);
    let claim = 0n;
    let w = 1n;
    const weights: [bigint, bigint][] = [];
    for (const j of active) {
      const wq = Fr.mul(w, lambda);
      weights.push([w, wq]);
      claim = Fr.add(claim, Fr.add(Fr.mul(w, claims[j]!.p), Fr.mul(wq, claims[j]!.q)));
      w = Fr.mul(wq, lambda);
    }
    const sc = verifySumcheck(claim, k, 3, layer.sumcheck, transcript);
    if (!sc.ok) return { ok: false, reason: `layer ${k}: sumcheck: ${sc.reason}` };
    const children = layer.children;
    let expected = 0n;
    active.forEach((_, a) => {
      const [p0, p1, q0, q1] = children.slice(4 * a, 4 * a + 4) as [bigint, bigint, bigint, bigint];
      const [wp, wq] = weights[a]!;
      const num = Fr.add(Fr.mul(p0, q1), Fr.mul(p1, q0));
      expected = Fr.add(expected, Fr.add(Fr.mul(wp, num), Fr.mul(wq, Fr.mul(q0, q1))));
    });
    expected = Fr.mul(expected, eqEval(point, sc.point));
    if (expected !== sc.claimedEval) return { ok: false, reason: `layer ${k}: the child values do not match the sumcheck's final claim` };
    transcript.absorbFields(LOGUP_LABELS.children, children);
    const mu = transcript.challenge(LOGUP_LABELS.mu);
    point = [mu, ...sc.point];
    const next = claims.slice();
    active.forEach((j, a) => {
      const [p0, p1, q0, q1] = children.slice(4 * a, 4 * a + 4) as [bigint, bigint, bigint, bigint];
      next[j] = { p: Fr.add(p0, Fr.mul(mu, Fr.sub(p1, p0))), q: Fr.add(q0, Fr.mul(mu, Fr.sub(q1, q0))) };
      if (depths[j] === k + 1) leaves[j] = { point, p: next[j]!.p, q: next[j]!.q };
    });
    claims = next;
  }
  return { ok: true, roots, leaves };
}

// ---------------------------------------------------------------------------------------------
// logUp

/** What both sides know: the tables, and for each witness tree which table it looks into. */
export interface LogupStatement {
  tables: readonly TableSpec[];
  /** table index of each witness tree */
  witnessTables: readonly number[];
  /** number of variables of every witness tree (all equal: they share the leaf point) */
  witnessVars: number;
}

/** Prover input: the statement plus witness columns and multiplicities. */
export interface LogupWitness {
  /** per witness tree: its column tables (as many as its table's width), each 2^witnessVars long */
  columns: readonly (readonly FrVector[])[];
  /** per table: multiplicities, one per table row */
  multiplicities: readonly FrVector[];
}

export interface LogupProof {
  fractions: FractionSumProof;
}

/** What the logUp argument leaves to the caller. */
export interface LogupClaims {
  alpha: bigint;
  beta: bigint;
  /** the witness trees' common leaf point */
  point: bigint[];
  /** per witness tree: the leaf denominator at `point`; the caller checks it equals witnessLeafValue(alpha, beta, column evals) */
  witnessLeaves: bigint[];
  /** per table: m at the table's leaf point (to open against m's commitment) */
  multiplicityClaims: { point: bigint[]; value: bigint }[];
}

function checkStatement(s: LogupStatement): string | null {
  if (s.tables.length === 0 || s.witnessTables.length === 0) return "expected at least one table and one witness tree";
  for (const t of s.tables) {
    if (t.kind === "range" && (!Number.isInteger(t.bits) || t.bits < 1 || t.bits > MAX_RANGE_BITS)) return `range table bits ${t.bits} outside [1, ${MAX_RANGE_BITS}]`;
  }
  if (s.witnessTables.some((i) => !Number.isInteger(i) || i < 0 || i >= s.tables.length)) return "a witness tree names a missing table";
  if (s.tables.some((_, i) => !s.witnessTables.includes(i))) return "a table has no witness tree";
  return null;
}

/** Depths: witness trees first, then one tree per table. */
function treeDepths(s: LogupStatement): number[] {
  return [...s.witnessTables.map(() => s.witnessVars), ...s.tables.map(tableNumVars)];
}

/** Per table: sum of its witness roots must equal its table root (cross-multiplied; denominators non-zero). */
function rootsBalance(s: LogupStatement, roots: readonly [bigint, bigint][]): string | null {
  const nw = s.witnessTables.length;
  for (let t = 0; t < s.tables.length; t++) {
    let num = 0n;
    let den = 1n;
    for (let i = 0; i < nw; i++) {
      if (s.witnessTables[i] !== t) continue;
      const [p, q] = roots[i]!;
      if (q === 0n) return `witness tree ${i} has a zero denominator at its root`;
      num = Fr.add(Fr.mul(num, q), Fr.mul(p, den));
      den = Fr.mul(den, q);
    }
    const [tp, tq] = roots[nw + t]!;
    if (tq === 0n) return `table ${t} has a zero denominator at its root`;
    if (Fr.mul(num, tq) !== Fr.mul(tp, den)) return `table ${t}: the witness sum differs from the table sum (a value outside the table, or wrong multiplicities)`;
  }
  return null;
}

/** Options of `proveLogup`. */
export interface ProveLogupOptions {
  /**
   * Soundness tests only: produce the messages even when the witness is not in the tables (the
   * honest prover refuses), so that tests can show the verifier rejects them.
   */
  dishonest?: boolean;
}

/**
 * Prove a logUp statement. Call after the multiplicities (and any committed witness columns) have
 * been absorbed: alpha and beta are drawn first thing.
 * @throws RangeError for a malformed statement or witness, or when the witness is not in the tables
 */
export function proveLogup(s: LogupStatement, w: LogupWitness, transcript: Transcript, opts: ProveLogupOptions = {}): { proof: LogupProof; claims: LogupClaims } {
  const bad = checkStatement(s);
  if (bad) throw new RangeError(`proveLogup: ${bad}`);
  if (w.columns.length !== s.witnessTables.length || w.multiplicities.length !== s.tables.length) {
    throw new RangeError("proveLogup: expected one column set per witness tree and one multiplicity vector per table");
  }
  const alpha = transcript.challenge(LOGUP_LABELS.alpha);
  const beta = transcript.challenge(LOGUP_LABELS.beta);
  const trees: FractionTree[] = [];
  w.columns.forEach((cols, i) => {
    const width = tableWidth(s.tables[s.witnessTables[i]!]!);
    if (cols.length !== width || cols.some((c) => c.length !== 2 ** s.witnessVars)) {
      throw new RangeError(`proveLogup: witness tree ${i}: expected ${width} columns of 2^${s.witnessVars} entries`);
    }
    trees.push({ p: FrVector.filled(2 ** s.witnessVars, 1n), q: leafDenominators(alpha, beta, cols) });
  });
  s.tables.forEach((t, i) => {
    const m = w.multiplicities[i]!;
    if (m.length !== 2 ** tableNumVars(t)) throw new RangeError(`proveLogup: table ${i}: expected ${2 ** tableNumVars(t)} multiplicities, got ${m.length}`);
    trees.push({ p: m, q: leafDenominators(alpha, beta, tableColumns(t)) });
  });
  const { proof, roots, leaves } = proveFractionSums(trees, transcript);
  const unbalanced = rootsBalance(s, roots);
  if (unbalanced && !opts.dishonest) throw new RangeError(`proveLogup: ${unbalanced}`);
  const nw = s.witnessTables.length;
  return {
    proof: { fractions: proof },
    claims: {
      alpha,
      beta,
      point: leaves[0]!.point,
      witnessLeaves: leaves.slice(0, nw).map((l) => l.q),
      multiplicityClaims: leaves.slice(nw).map((l) => ({ point: l.point, value: l.p })),
    },
  };
}

export type LogupVerdict = { ok: true; claims: LogupClaims } | { ok: false; reason: string };

/**
 * Verify a logUp proof for a statement: roots balance per table, the GKR layers, the witness
 * numerators (all 1) and the table denominators (evaluated here). Never throws on proof data.
 */
export function verifyLogup(s: LogupStatement, proof: unknown, transcript: Transcript): LogupVerdict {
  const bad = checkStatement(s);
  if (bad) return { ok: false, reason: bad };
  if (typeof proof !== "object" || proof === null) return { ok: false, reason: "logUp proof is not an object" };
  const alpha = transcript.challenge(LOGUP_LABELS.alpha);
  const beta = transcript.challenge(LOGUP_LABELS.beta);
  const fr = verifyFractionSums(treeDepths(s), (proof as { fractions?: unknown }).fractions, transcript);
  if (!fr.ok) return fr;
  const unbalanced = rootsBalance(s, fr.roots);
  if (unbalanced) return { ok: false, reason: unbalanced };
  const nw = s.witnessTables.length;
  for (let i = 0; i < nw; i++) {
    if (fr.leaves[i]!.p !== 1n) return { ok: false, reason: `witness tree ${i}: leaf numerator is not 1` };
  }
  for (let t = 0; t < s.tables.length; t++) {
    const leaf = fr.leaves[nw + t]!;
    if (leaf.q !== witnessLeafValue(alpha, beta, tableColumnEvals(s.tables[t]!, leaf.point))) {
      return { ok: false, reason: `table ${t}: leaf denominator does not match the table` };
    }
  }
  return {
    ok: true,
    claims: {
      alpha,
      beta,
      point: fr.leaves[0]!.point,
      witnessLeaves: fr.leaves.slice(0, nw).map((l) => l.q),
      multiplicityClaims: fr.leaves.slice(nw).map((l) => ({ point: l.point, value: l.p })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Multiplicities

/**
 * Multiplicities of a range table [0, 2^bits) for integer columns.
 * @throws RangeError naming the first value outside the range
 */
export function rangeMultiplicities(bits: number, columns: readonly Int32Array[]): FrVector {
  const counts = new Int32Array(2 ** bits);
  for (const col of columns) {
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (v < 0 || v >= counts.length) throw new RangeError(`rangeMultiplicities: value ${v} at index ${i} outside [0, 2^${bits})`);
      counts[v]!++;
    }
  }
  return FrVector.fromInt32(counts);
}

/**
 * Multiplicities of an explicit table given the row index each witness row matched.
 * @throws RangeError for an index outside the table
 */
export function indexMultiplicities(tableSize: number, matches: readonly Int32Array[]): FrVector {
  const counts = new Int32Array(tableSize);
  for (const col of matches) {
    for (let i = 0; i < col.length; i++) {
      const t = col[i]!;
      if (t < 0 || t >= tableSize) throw new RangeError(`indexMultiplicities: row ${i} matched no table row`);
      counts[t]!++;
    }
  }
  return FrVector.fromInt32(counts);
}
