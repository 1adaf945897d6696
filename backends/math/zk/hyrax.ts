/**
 * Zero-knowledge Hyrax polynomial commitment (Wahby et al. 2018, §6 with App. A's dot-product proof).
 *
 * Shape and generators are those of commit/hyrax.ts: the table is a 2^a x 2^b matrix M, the G_j are
 * its column generators. Rows are committed with blinding:
 *
 *   C_i = sum_j M[i][j]·G_j + r_i·H          (the plain row commitment plus r_i·H)
 *
 * so the commitment reveals nothing about M (each C_i is uniform). The plain rows come from
 * commit/hyrax.ts's `commit` (small-integer tables use its small-scalar MSM), then r_i·H is added.
 *
 * **Evaluation** at r = (r_row ‖ r_col), L = eq(r_row, ·), a⃗ = eq(r_col, ·): the prover does not send
 * w = L^T M. Both sides know Com(w; sum_i L_i r_i) = sum_i L_i·C_i (the verifier keeps it as an
 * unevaluated combination, part of one final MSM). The prover sends Cv = Com(v; rv) for
 * v = <w, a⃗> = f(r) and proves with the dot-product protocol that Cv holds <w, a⃗>. The output is
 * the commitment Cv, which a GKR layer chains on as a committed claim; `proveValueOpening` reveals
 * (v, rv) when the claim is public.
 *
 * Transcript: absorbPoints("zk-hyrax/values", [Cv_k]) · [ρ = challenge("zk-hyrax/batch") for a batch] ·
 * dot-product proof · [absorbFields("zk-hyrax/open", [v, rv])].
 * The commitment and the point must be in the transcript already (the caller's job, as for hyrax.ts).
 */
import { FR_MODULUS, Fr, type FrVector } from "../field.js";
import { eqTable, evaluateMle } from "../mle.js";
import type { Transcript } from "../transcript.js";
import { getMsmEngine, type G1Point, type MsmEngine } from "../commit/curve.js";
import {
  columnGenerators,
  commit,
  commitmentProblem,
  commitmentBytes,
  decodeCommitment,
  rowCombination,
  type CommitValues,
  type HyraxCommitment,
  type MsmCheck,
} from "../commit/hyrax.js";
import {
  CheckBuilder,
  ProofBytesWriter,
  absorbPoints,
  blindingGenerator,
  blindingTimes,
  commitScalar,
  guarded,
  readPoint,
  readRecord,
  readScalar,
  valueGenerator,
  type BlindingRng,
  type LinComb,
  type Opening,
} from "./pedersen.js";
import { checkDotProductLog, dotProductLogProofBytes, proveDotProductLog, type DotProductLogProof } from "./dot-log.js";
import { checkDotProduct, dotProductNonce, dotProductProofBytes, proveDotProduct, type DotProductProof } from "./sigma.js";

/** Scheme name of hiding commitments (their bytes differ from plain ones by this tag). */
export const ZK_HYRAX_SCHEME = "hyrax-bn254-zk-v1";

const LABELS = { values: "zk-hyrax/values", batch: "zk-hyrax/batch", open: "zk-hyrax/open" } as const;

/** What the prover keeps: the commitment, the table and each row's blinding factor. */
export interface HidingHyraxState {
  readonly commitment: HyraxCommitment;
  readonly table: FrVector;
  readonly rowBlindings: readonly bigint[];
}

/**
 * An evaluation proof: the commitments to the values (one per polynomial) and the dot-product
 * proof, linear (`dot`: 2^b + 2 scalars) or log-size (`dotLog`: 2b + 1 points, 2 scalars).
 */
export interface ZkEvaluationProof {
  valueCommitments: G1Point[];
  dot?: DotProductProof;
  dotLog?: DotProductLogProof;
}

/** Options of the evaluation proof (prover and verifier must agree). */
export interface ZkEvaluationOptions {
  engine?: MsmEngine;
  /** the log-size dot-product proof (dot-log.ts) instead of the linear one: smaller, more prover MSMs */
  logSize?: boolean;
}

/**
 * Commit with blinding (see the module header). Small-integer tables keep hyrax.ts's fast path.
 * @throws RangeError as `commit` does (too many values, non-integers)
 */
export async function commitHiding(
  values: CommitValues,
  numVars: number,
  rng: BlindingRng,
  opts: { engine?: MsmEngine } = {},
): Promise<{ commitment: HyraxCommitment; state: HidingHyraxState }> {
  const { commitment: plain, state } = await commit(values, numVars, opts);
  const rowBlindings = plain.rows.map(() => rng.scalar());
  const rows = plain.rows.map((p, i) => p.add(blindingTimes(rowBlindings[i]!)));
  const commitment: HyraxCommitment = Object.freeze({ numVars, rowVars: plain.rowVars, colVars: plain.colVars, rows: Object.freeze(rows) });
  return { commitment, state: { commitment, table: state.table, rowBlindings: Object.freeze(rowBlindings) } };
}

/** Canonical bytes of a hiding commitment (hyrax.ts's format under the zk scheme tag). */
export function hidingCommitmentBytes(c: HyraxCommitment): Uint8Array {
  return commitmentBytes(c, ZK_HYRAX_SCHEME);
}

/** Parse `hidingCommitmentBytes`; null when malformed (or a plain commitment's bytes). */
export function decodeHidingCommitment(bytes: Uint8Array): HyraxCommitment | null {
  return decodeCommitment(bytes, ZK_HYRAX_SCHEME);
}

/** Absorb a hiding commitment (prover and verifier alike, before any challenge depending on it). */
export function absorbHidingCommitment(transcript: Transcript, label: string, c: HyraxCommitment): void {
  transcript.absorbBytes(label, hidingCommitmentBytes(c));
}

function checkPoint(point: readonly bigint[], numVars: number, where: string): void {
  if (point.length !== numVars) throw new RangeError(`${where}: expected a point with ${numVars} coordinates, got ${point.length}`);
}

/**
 * Prove the committed polynomial's value at `point` without revealing it: returns the proof, the
 * value and its opening (the prover's side of the committed claim Cv).
 * @throws RangeError for a point of the wrong length
 */
export async function proveZkEvaluation(
  state: HidingHyraxState,
  point: readonly bigint[],
  transcript: Transcript,
  rng: BlindingRng,
  opts: ZkEvaluationOptions = {},
): Promise<{ proof: ZkEvaluationProof; value: bigint; opening: Opening }> {
  const { proof, values, openings } = await proveZkBatchEvaluation([state], point, transcript, rng, opts);
  return { proof, value: values[0]!, opening: openings[0]! };
}

/**
 * Prove the values of several committed polynomials (one size) at one point with one dot-product
 * proof: after the value commitments Cv_k are absorbed, ρ = challenge("zk-hyrax/batch"), and the
 * proof is that sum_k ρ^k·Cv_k holds <sum_k ρ^k·w_k, a⃗> for the vector committed in
 * sum_k ρ^k sum_i L_i·C_{k,i}. One polynomial: no ρ.
 * @throws RangeError for no states, mixed sizes or a point of the wrong length
 */
export async function proveZkBatchEvaluation(
  states: readonly HidingHyraxState[],
  point: readonly bigint[],
  transcript: Transcript,
  rng: BlindingRng,
  opts: ZkEvaluationOptions = {},
): Promise<{ proof: ZkEvaluationProof; values: bigint[]; openings: Opening[] }> {
  if (states.length === 0) throw new RangeError("proveZkBatchEvaluation: expected at least one polynomial, got none");
  const { numVars, rowVars, colVars } = states[0]!.commitment;
  if (states.some((s) => s.commitment.numVars !== numVars)) throw new RangeError("proveZkBatchEvaluation: expected polynomials of one size");
  checkPoint(point, numVars, "proveZkBatchEvaluation");
  const rowPoint = point.slice(0, rowVars);
  const colPoint = point.slice(rowVars);
  const L = eqTable(rowPoint).toBigints();
  const ws = states.map((s) => rowCombination(s.table, rowPoint));
  const wBlindings = states.map((s) => s.rowBlindings.reduce((acc, r, i) => (acc + L[i]! * r) % FR_MODULUS, 0n));
  const values = ws.map((w) => evaluateMle(w, colPoint));
  const openings: Opening[] = values.map((value) => ({ value, blinding: rng.scalar() }));
  const valueCommitments = openings.map((o) => commitScalar(o.value, o.blinding));
  absorbPoints(transcript, LABELS.values, valueCommitments);
  const weights = batchWeights(transcript, states.length);
  const w = ws.length === 1 ? ws[0]!.toBigints() : combineVectors(ws.map((x) => x.toBigints()), weights);
  const target: Opening = { value: weighted(weights, values), blinding: weighted(weights, openings.map((o) => o.blinding)) };
  const engine = opts.engine ?? getMsmEngine();
  const a = eqTable(colPoint).toBigints();
  const x = { values: w, blinding: weighted(weights, wBlindings) };
  if (opts.logSize) {
    const dotLog = await proveDotProductLog(x, target, a, columnGenerators(colVars).set, transcript, rng, engine);
    return { proof: { valueCommitments, dotLog }, values, openings };
  }
  // δ = Com(d⃗; rδ) is the one long MSM of the prover: run it on the engine
  const nonce = dotProductNonce(2 ** colVars, rng);
  const delta = (await engine.msm(columnGenerators(colVars).set, nonce.d)).add(blindingTimes(nonce.rDelta));
  const dot = proveDotProduct(x, target, a, transcript, rng, { nonce, delta });
  return { proof: { valueCommitments, dot }, values, openings };
}

/** 1, ρ, ρ^2, ... (ρ drawn only for more than one polynomial). */
function batchWeights(transcript: Transcript, count: number): bigint[] {
  if (count === 1) return [1n];
  const rho = transcript.challenge(LABELS.batch);
  const out = [1n];
  for (let k = 1; k < count; k++) out.push((out[k - 1]! * rho) % FR_MODULUS);
  return out;
}

function weighted(weights: readonly bigint[], xs: readonly bigint[]): bigint {
  let acc = 0n;
  for (let k = 0; k < xs.length; k++) acc += weights[k]! * xs[k]!;
  return acc % FR_MODULUS;
}

function combineVectors(vs: readonly bigint[][], weights: readonly bigint[]): bigint[] {
  return vs[0]!.map((_, j) => weighted(weights, vs.map((v) => v[j]!)));
}

/** The verifier's result: the committed claims Cv_k (one per polynomial) and the group equations left to check. */
export type ZkEvaluationCheck = { ok: true; valueCommitments: G1Point[]; checks: MsmCheck[] } | { ok: false; reason: string };

/**
 * Check an evaluation proof of several commitments (one size) at one point (field work and
 * transcript now; group equations returned). Never throws on proof data.
 */
export function zkBatchEvaluationCheck(
  commitments: readonly HyraxCommitment[],
  point: readonly bigint[],
  proof: unknown,
  transcript: Transcript,
  opts: { logSize?: boolean } = {},
): ZkEvaluationCheck {
  return guarded<ZkEvaluationCheck>(() => {
    if (!Array.isArray(commitments) || commitments.length === 0) return { ok: false as const, reason: "expected at least one commitment" };
    for (let k = 0; k < commitments.length; k++) {
      const problem = commitmentProblem(commitments[k], `commitment ${k}`);
      if (problem) return { ok: false as const, reason: problem };
    }
    const { numVars, rowVars, colVars } = commitments[0]!;
    if (commitments.some((c) => c.numVars !== numVars)) return { ok: false as const, reason: "commitments of different sizes in one batch" };
    if (!Array.isArray(point) || point.length !== numVars || !point.every((x) => Fr.isValid(x))) return { ok: false as const, reason: `expected a point of ${numVars} canonical coordinates` };
    const p = readRecord(proof, "evaluation proof");
    const cvs = p.valueCommitments;
    if (!Array.isArray(cvs) || cvs.length !== commitments.length) return { ok: false as const, reason: `expected ${commitments.length} value commitments` };
    const valueCommitments = cvs.map((c, k) => readPoint(c, `evaluation proof value commitment ${k}`));
    absorbPoints(transcript, LABELS.values, valueCommitments);
    const weights = batchWeights(transcript, commitments.length);
    const L = eqTable(point.slice(0, rowVars)).toBigints();
    const a = eqTable(point.slice(rowVars)).toBigints();
    const cw: LinComb = { points: [], scalars: [] };
    commitments.forEach((c: HyraxCommitment, k: number) =>
      c.rows.forEach((row: G1Point, i: number) => {
        cw.points.push(row);
        cw.scalars.push(Fr.mul(weights[k]!, L[i]!));
      }),
    );
    const cy: LinComb = { points: valueCommitments, scalars: weights };
    const dot = opts.logSize
      ? checkDotProductLog(cw, cy, a, columnGenerators(colVars).set.points, p.dotLog, transcript)
      : checkDotProduct(cw, cy, a, p.dot, transcript);
    if (!dot.ok) return { ok: false as const, reason: `evaluation proof: ${dot.reason}` };
    return { ok: true as const, valueCommitments, checks: dot.checks };
  });
}

/** Check a single evaluation proof (see `zkBatchEvaluationCheck`). */
export function zkEvaluationCheck(
  commitment: HyraxCommitment,
  point: readonly bigint[],
  proof: unknown,
  transcript: Transcript,
  opts: { logSize?: boolean } = {},
): ZkEvaluationCheck {
  return zkBatchEvaluationCheck([commitment], point, proof, transcript, opts);
}

/** Reveal a committed value (for a public claim): the opening is absorbed and sent. */
export function proveValueOpening(opening: Opening, transcript: Transcript): Opening {
  transcript.absorbFields(LABELS.open, [opening.value, opening.blinding]);
  return { value: opening.value, blinding: opening.blinding };
}

/** Check a revealed opening of C: returns the value and the group equation C = v·g + r·H. Never throws. */
export function checkValueOpening(C: G1Point, opening: unknown, transcript: Transcript): { ok: true; value: bigint; checks: MsmCheck[] } | { ok: false; reason: string } {
  return guarded(() => {
    const o = readRecord(opening, "value opening");
    const value = readScalar(o.value, "value opening value");
    const blinding = readScalar(o.blinding, "value opening blinding");
    transcript.absorbFields(LABELS.open, [value, blinding]);
    const check = new CheckBuilder().add(C, 1n).sub(valueGenerator(), value).sub(blindingGenerator(), blinding).build();
    return { ok: true as const, value, checks: [check] };
  });
}

/** Proof bytes of an evaluation proof (points compressed, scalars 32 bytes). */
export function zkEvaluationProofBytes(p: ZkEvaluationProof): Uint8Array {
  const w = new ProofBytesWriter().points(p.valueCommitments);
  if (p.dot) dotProductProofBytes(p.dot, w);
  if (p.dotLog) dotProductLogProofBytes(p.dotLog, w);
  return w.bytes();
}
