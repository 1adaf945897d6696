/**
 * Hyrax-style multilinear polynomial commitment over BN254 G1 (no zero-knowledge blinding).
 *
 * A multilinear polynomial in n variables is its table of 2^n values (MLE order of `mle.ts`:
 * variable 0 = most significant index bit). With b = floor(n/2) column variables and a = n - b row
 * variables, the table is a 2^a x 2^b matrix M (row = top a index bits, i.e. variables 0..a-1).
 * - **Commit**: row commitments C_i = sum_j M[i][j] · G_j (Pedersen, generators `generators(label, 2^b)`).
 * - **Open** at point r = (r_row ‖ r_col): the prover sends w = L^T M with L = eq(r_row, ·)
 *   (that is the table with variables 0..a-1 bound to r_row); value = <w, eq(r_col, ·)>.
 * - **Verify**: <w, eq(r_col, ·)> = value, and sum_i L_i C_i - sum_j w_j G_j = 0 (one MSM of
 *   2^a + 2^b points).
 * Binding reduces to the discrete-log relation assumption between the hash-derived generators.
 * Commitment: 2^a points; opening proof: 2^b field elements.
 *
 * **Batch** (same point, same n): values v_k of polynomials f_k; after absorbing the values,
 * rho = challenge; the prover sends w = sum_k rho^k w_k; the verifier checks
 * <w, eq(r_col)> = sum_k rho^k v_k and sum_k sum_i rho^k L_i C_{k,i} = sum_j w_j G_j.
 *
 * **Deferred checks**: `*Check` functions do every field check synchronously and return the
 * group equation as an `MsmCheck` (sum points[i]·scalars[i] = 0); `verifyMsmChecks` checks many
 * at once with transcript-derived random weights (one MSM). `verifyOpening` = both steps.
 *
 * Transcript (prover and verifier identical): open: absorbFields("hyrax/value", [value]);
 * absorbFields("hyrax/proof", w). Batch: absorbFields("hyrax/values", values); rho =
 * challenge("hyrax/batch"); absorbFields("hyrax/proof", w). `verifyMsmChecks`: one
 * challenge("hyrax/check-weight") per check after the first.
 *
 * Small-integer tables (quantised tensors) commit with small scalars: with o = max |v|, each row
 * is MSM(G, v + o) - o · sum_j G_j, scalars below 2^(bits of 2o) instead of 254-bit field elements.
 */
import { FR_MODULUS, Fr, FrVector } from "../field.js";
import { eqTable, evaluateMle, foldFirst } from "../mle.js";
import type { Transcript } from "../transcript.js";
import { COMPRESSED_POINT_BYTES, G1, PointSet, compressPoint, decompressPoints, getMsmEngine, isG1Point, type G1Point, type MsmEngine } from "./curve.js";
import { generators } from "./generators.js";

/** Scheme name written into commitment bytes and manifests. */
export const HYRAX_SCHEME = "hyrax-bn254-v1";
/** Generator family for the column generators. */
export const HYRAX_LABEL = "zkc/hyrax/v1";

/** A commitment to a multilinear polynomial in `numVars` variables. */
export interface HyraxCommitment {
  readonly numVars: number;
  /** a = numVars - colVars: log2 of the number of rows (and of row commitments) */
  readonly rowVars: number;
  /** b = floor(numVars / 2): log2 of the row length */
  readonly colVars: number;
  /** one point per row, 2^rowVars of them */
  readonly rows: readonly G1Point[];
}

/** What the prover keeps to open later: the commitment and the (zero-padded) table. */
export interface HyraxState {
  readonly commitment: HyraxCommitment;
  readonly table: FrVector;
}

/** An opening proof: the row combination w (2^colVars field elements). */
export interface HyraxOpeningProof {
  combined: bigint[];
}

/** A group equation sum_i scalars[i] · points[i] = 0 left for `verifyMsmChecks`. */
export interface MsmCheck {
  points: G1Point[];
  scalars: bigint[];
}

export type CheckResult = { ok: true; check: MsmCheck } | { ok: false; reason: string };

/** Values to commit: a field vector, or integers (signed; negative v means r - |v|). */
export type CommitValues = FrVector | Int32Array | Float64Array | readonly number[];

export interface CommitOptions {
  engine?: MsmEngine;
}

/** The row/column split used for n variables. */
export function hyraxShape(numVars: number): { rowVars: number; colVars: number } {
  const colVars = Math.floor(numVars / 2);
  return { rowVars: numVars - colVars, colVars };
}

const genSets = new Map<number, { set: PointSet; sum: G1Point }>();

/** The 2^b column generators as a prepared set, and their sum (cached per b; the zero-knowledge layer shares them). */
export function columnGenerators(colVars: number): { set: PointSet; sum: G1Point } {
  let entry = genSets.get(colVars);
  if (!entry) {
    const gens = generators(HYRAX_LABEL, 2 ** colVars);
    entry = { set: new PointSet(gens), sum: gens.reduce((acc, g) => acc.add(g), G1.ZERO) };
    genSets.set(colVars, entry);
  }
  return entry;
}

function checkNumVars(numVars: number, where: string): void {
  if (!Number.isSafeInteger(numVars) || numVars < 0 || numVars > 40) {
    throw new RangeError(`${where}: expected 0 <= numVars <= 40, got ${numVars}`);
  }
}

/** Signed integers of the input when every one is a safe integer with |v| < 2^31, else null. */
function smallInts(values: CommitValues): Int32Array | null {
  if (values instanceof Int32Array) return values;
  if (values instanceof FrVector) {
    const signed = values.toSignedBigints();
    const out = new Int32Array(signed.length);
    for (let i = 0; i < signed.length; i++) {
      const v = signed[i]!;
      if (v <= -(2n ** 31n) || v >= 2n ** 31n) return null;
      out[i] = Number(v);
    }
    return out;
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isSafeInteger(v)) throw new RangeError(`commit: expected integers, value ${i} is ${v}`);
    if (v <= -(2 ** 31) || v >= 2 ** 31) return null;
    out[i] = v;
  }
  return out;
}

function toFieldTable(values: CommitValues, size: number, small: Int32Array | null): FrVector {
  let v: FrVector;
  if (small) v = FrVector.fromInt32(small);
  else if (values instanceof FrVector) v = values;
  else v = FrVector.fromIntegers(values as Float64Array | readonly number[]);
  if (v.length === size) return v === values ? v.clone() : v;
  const out = new FrVector(size);
  out.limbs.set(v.limbs);
  return out;
}

/**
 * Commit to the multilinear polynomial whose table is `values`, zero-padded to 2^numVars.
 * @throws RangeError when there are more than 2^numVars values, or a number is not an integer
 */
export async function commit(
  values: CommitValues,
  numVars: number,
  opts: CommitOptions = {},
): Promise<{ commitment: HyraxCommitment; state: HyraxState }> {
  checkNumVars(numVars, "commit");
  const size = 2 ** numVars;
  if (values.length > size) throw new RangeError(`commit: expected at most 2^${numVars} = ${size} values, got ${values.length}`);
  const engine = opts.engine ?? getMsmEngine();
  const { rowVars, colVars } = hyraxShape(numVars);
  const rowLen = 2 ** colVars;
  const nRows = 2 ** rowVars;
  const { set, sum } = columnGenerators(colVars);
  const small = smallInts(values);
  const table = toFieldTable(values, size, small);
  const rows: Promise<G1Point>[] = [];
  if (small) {
    let maxAbs = 0;
    for (let i = 0; i < small.length; i++) maxAbs = Math.max(maxAbs, Math.abs(small[i]!));
    const bits = Math.max(1, Math.ceil(Math.log2(2 * maxAbs + 1)));
    const shift = maxAbs === 0 ? G1.ZERO : sum.multiply(BigInt(maxAbs));
    for (let r = 0; r < nRows; r++) {
      const start = r * rowLen;
      if (start >= small.length) {
        rows.push(Promise.resolve(G1.ZERO)); // a padding row of zeros
        continue;
      }
      const scalars = new Uint32Array(rowLen).fill(maxAbs); // padding entries are v = 0
      let allZero = true;
      for (let j = 0; j < rowLen && start + j < small.length; j++) {
        const v = small[start + j]!;
        if (v !== 0) allZero = false;
        scalars[j] = v + maxAbs;
      }
      rows.push(allZero ? Promise.resolve(G1.ZERO) : engine.msmSmall(set, scalars, bits).then((p) => p.subtract(shift)));
    }
  } else {
    const all = table.toBigints();
    for (let r = 0; r < nRows; r++) rows.push(engine.msm(set, all.slice(r * rowLen, (r + 1) * rowLen)));
  }
  const commitment: HyraxCommitment = Object.freeze({ numVars, rowVars, colVars, rows: Object.freeze(await Promise.all(rows)) });
  return { commitment, state: { commitment, table } };
}

/**
 * The prover's state of a commitment made earlier (possibly in another process), from the values
 * and the commitment's bytes, without the MSM: for resuming a proof where it was committed.
 * @throws RangeError when the bytes are not a commitment to that many variables
 */
export function restoreState(values: CommitValues, numVars: number, bytes: Uint8Array): HyraxState {
  checkNumVars(numVars, "restoreState");
  const commitment = decodeCommitment(bytes);
  if (!commitment || commitment.numVars !== numVars) throw new RangeError(`restoreState: the bytes are not a commitment in ${numVars} variables`);
  const size = 2 ** numVars;
  if (values.length > size) throw new RangeError(`restoreState: expected at most 2^${numVars} = ${size} values, got ${values.length}`);
  return { commitment, table: toFieldTable(values, size, smallInts(values)) };
}

/**
 * Canonical bytes (for the transcript and for proof files):
 * "hyrax-bn254-v1" ‖ u32 numVars ‖ rows (32 bytes each, `compressPoint`). Compressed because the
 * rows are most of a GKR proof's bytes; the transcript absorbs these same bytes on both sides.
 */
export function commitmentBytes(c: HyraxCommitment, scheme: string = HYRAX_SCHEME): Uint8Array {
  const tag = new TextEncoder().encode(scheme);
  const out = new Uint8Array(tag.length + 4 + c.rows.length * COMPRESSED_POINT_BYTES);
  out.set(tag, 0);
  new DataView(out.buffer).setUint32(tag.length, c.numVars, true);
  c.rows.forEach((p, i) => compressPoint(p, out, tag.length + 4 + i * COMPRESSED_POINT_BYTES));
  return out;
}

/**
 * Commitments `decodeCommitment` built (frozen, shape and points checked while decoding): the
 * opening checks skip re-validating their points, a curve-equation check per row.
 */
const decoded = new WeakSet<HyraxCommitment>();

/** Parse `commitmentBytes` (of that scheme); null (never a throw) when malformed. */
export function decodeCommitment(bytes: Uint8Array, scheme: string = HYRAX_SCHEME): HyraxCommitment | null {
  const tag = new TextEncoder().encode(scheme);
  if (!(bytes instanceof Uint8Array) || bytes.length < tag.length + 4) return null;
  for (let i = 0; i < tag.length; i++) if (bytes[i] !== tag[i]) return null;
  const numVars = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(tag.length, true);
  if (numVars > 40) return null;
  const { rowVars, colVars } = hyraxShape(numVars);
  if (bytes.length !== tag.length + 4 + 2 ** rowVars * COMPRESSED_POINT_BYTES) return null;
  const rows = decompressPoints(bytes, tag.length + 4, 2 ** rowVars);
  if (!rows) return null;
  const c: HyraxCommitment = Object.freeze({ numVars, rowVars, colVars, rows: Object.freeze(rows) });
  decoded.add(c);
  return c;
}

/** Absorb a commitment under a label (prover and verifier alike, before any challenge depending on it). */
export function absorbCommitment(transcript: Transcript, label: string, c: HyraxCommitment): void {
  transcript.absorbBytes(label, commitmentBytes(c));
}

function checkPointArg(point: readonly bigint[], n: number, where: string): void {
  if (point.length !== n) throw new RangeError(`${where}: expected a point with ${n} coordinates, got ${point.length}`);
}

/** w = the table with the row variables bound to r_row. */
export function rowCombination(table: FrVector, rowPoint: readonly bigint[]): FrVector {
  let t = table;
  for (const r of rowPoint) t = foldFirst(t, r);
  return t;
}

/**
 * Open the committed polynomial at `point`.
 * @throws RangeError for a point of the wrong length
 */
export function open(state: HyraxState, point: readonly bigint[], transcript: Transcript): { value: bigint; proof: HyraxOpeningProof } {
  const { numVars, rowVars } = state.commitment;
  checkPointArg(point, numVars, "open");
  const w = rowCombination(state.table, point.slice(0, rowVars));
  const value = evaluateMle(w, point.slice(rowVars));
  const combined = w.toBigints();
  transcript.absorbFields("hyrax/value", [value]);
  transcript.absorbFields("hyrax/proof", combined);
  return { value, proof: { combined } };
}

/**
 * Open several committed polynomials (same numVars) at one point.
 * @throws RangeError for no states, mixed sizes or a point of the wrong length
 */
export function openBatch(
  states: readonly HyraxState[],
  point: readonly bigint[],
  transcript: Transcript,
): { values: bigint[]; proof: HyraxOpeningProof } {
  if (states.length === 0) throw new RangeError("openBatch: expected at least one polynomial, got none");
  const numVars = states[0]!.commitment.numVars;
  if (states.some((s) => s.commitment.numVars !== numVars)) {
    throw new RangeError(`openBatch: expected polynomials of one size, got numVars ${states.map((s) => s.commitment.numVars).join(", ")}`);
  }
  checkPointArg(point, numVars, "openBatch");
  if (states.length === 1) {
    // one polynomial: exactly the single opening's transcript (the verifier mirrors this)
    const { value, proof } = open(states[0]!, point, transcript);
    return { values: [value], proof };
  }
  const rowVars = states[0]!.commitment.rowVars;
  const ws = states.map((s) => rowCombination(s.table, point.slice(0, rowVars)));
  const values = ws.map((w) => evaluateMle(w, point.slice(rowVars)));
  transcript.absorbFields("hyrax/values", values);
  const rho = transcript.challenge("hyrax/batch");
  const combined = ws[0]!.toBigints();
  let weight = 1n;
  for (let k = 1; k < ws.length; k++) {
    weight = Fr.mul(weight, rho);
    ws[k]!.toBigints().forEach((x, j) => (combined[j] = (combined[j]! + weight * x) % FR_MODULUS));
  }
  transcript.absorbFields("hyrax/proof", combined);
  return { values, proof: { combined } };
}

function readCombined(proof: unknown, len: number): bigint[] | string {
  const combined = (proof as { combined?: unknown } | null)?.combined;
  if (typeof proof !== "object" || proof === null || !Array.isArray(combined)) return "opening proof is not an object with a combined array";
  if (combined.length !== len) return `opening proof: expected ${len} combined values, got ${combined.length}`;
  for (let j = 0; j < len; j++) if (!Fr.isValid(combined[j] as bigint)) return `opening proof: value ${j} is not a canonical field element`;
  return combined as bigint[];
}

/** Why `c` is not a well-formed commitment (shape and points), or null; for verifiers on untrusted input. */
export function commitmentProblem(c: unknown, where: string): string | null {
  if (decoded.has(c as HyraxCommitment)) return null;
  const cc = c as HyraxCommitment | null;
  if (typeof c !== "object" || c === null || !Number.isSafeInteger(cc!.numVars) || !Array.isArray(cc!.rows)) return `${where}: not a commitment`;
  const { rowVars, colVars } = hyraxShape(cc!.numVars);
  if (cc!.rowVars !== rowVars || cc!.colVars !== colVars || cc!.rows.length !== 2 ** rowVars) return `${where}: inconsistent shape`;
  if (!cc!.rows.every(isG1Point)) return `${where}: a row is not a valid G1 point`;
  return null;
}

/**
 * The field part of a batch opening check (any number of polynomials, one point); never throws on
 * proof data. Returns the group equation left to check.
 */
export function batchOpeningCheck(
  commitments: readonly HyraxCommitment[],
  point: readonly bigint[],
  values: readonly bigint[],
  proof: unknown,
  transcript: Transcript,
): CheckResult {
  if (commitments.length === 0 || commitments.length !== values.length) {
    return { ok: false, reason: `expected one value per commitment, got ${values.length} values for ${commitments.length} commitments` };
  }
  for (let k = 0; k < commitments.length; k++) {
    const problem = commitmentProblem(commitments[k], `commitment ${k}`);
    if (problem) return { ok: false, reason: problem };
  }
  const { numVars, rowVars, colVars } = commitments[0]!;
  if (commitments.some((c) => c.numVars !== numVars)) return { ok: false, reason: "commitments of different sizes in one batch" };
  if (!Array.isArray(point) || point.length !== numVars || !point.every((x) => Fr.isValid(x))) {
    return { ok: false, reason: `expected a point of ${numVars} canonical coordinates` };
  }
  if (!values.every((v) => Fr.isValid(v))) return { ok: false, reason: "a claimed value is not a canonical field element" };
  const combined = readCombined(proof, 2 ** colVars);
  if (typeof combined === "string") return { ok: false, reason: combined };
  let rho = 1n;
  if (commitments.length === 1) {
    transcript.absorbFields("hyrax/value", [values[0]!]);
  } else {
    transcript.absorbFields("hyrax/values", [...values]);
    rho = transcript.challenge("hyrax/batch");
  }
  transcript.absorbFields("hyrax/proof", combined);
  let expected = 0n;
  let weight = 1n;
  for (let k = 0; k < values.length; k++) {
    expected = (expected + weight * values[k]!) % FR_MODULUS;
    weight = Fr.mul(weight, rho);
  }
  const w = FrVector.fromBigints(combined);
  if (evaluateMle(w, point.slice(rowVars)) !== expected) return { ok: false, reason: "opening: <w, eq(r_col)> differs from the claimed value" };
  const L = eqTable(point.slice(0, rowVars)).toBigints();
  const points: G1Point[] = [];
  const scalars: bigint[] = [];
  weight = 1n;
  for (const c of commitments) {
    c.rows.forEach((p, i) => {
      points.push(p);
      scalars.push(Fr.mul(weight, L[i]!));
    });
    weight = Fr.mul(weight, rho);
  }
  const gens = columnGenerators(colVars).set.points;
  gens.forEach((g, j) => {
    points.push(g);
    scalars.push(Fr.neg(combined[j]!));
  });
  return { ok: true, check: { points, scalars } };
}

/** The field part of a single opening check (see `batchOpeningCheck`). */
export function openingCheck(
  commitment: HyraxCommitment,
  point: readonly bigint[],
  value: bigint,
  proof: unknown,
  transcript: Transcript,
): CheckResult {
  return batchOpeningCheck([commitment], point, [value], proof, transcript);
}

/**
 * Check deferred group equations together: sum_k c_k · (check k) = 0 with c_0 = 1 and
 * c_k = challenge("hyrax/check-weight") (drawn after every prover message is absorbed), in one MSM.
 * Resolves to false (never rejects) when an equation fails.
 */
export async function verifyMsmChecks(checks: readonly MsmCheck[], transcript: Transcript, engine: MsmEngine = getMsmEngine()): Promise<boolean> {
  if (checks.length === 0) return true;
  const points: G1Point[] = [];
  const scalars: bigint[] = [];
  checks.forEach((c, k) => {
    const weight = k === 0 ? 1n : transcript.challenge("hyrax/check-weight");
    c.points.forEach((p, i) => {
      points.push(p);
      scalars.push(Fr.mul(weight, c.scalars[i]!));
    });
  });
  try {
    return (await engine.msm(new PointSet(points), scalars)).is0();
  } catch {
    return false;
  }
}

/** Verify one opening (field checks, then the MSM). Resolves to false on any bad proof data. */
export async function verifyOpening(
  commitment: HyraxCommitment,
  point: readonly bigint[],
  value: bigint,
  proof: unknown,
  transcript: Transcript,
  engine?: MsmEngine,
): Promise<boolean> {
  return checkThenMsm(() => openingCheck(commitment, point, value, proof, transcript), transcript, engine);
}

/** Verify a batch opening (see `batchOpeningCheck`). */
export async function verifyBatchOpening(
  commitments: readonly HyraxCommitment[],
  point: readonly bigint[],
  values: readonly bigint[],
  proof: unknown,
  transcript: Transcript,
  engine?: MsmEngine,
): Promise<boolean> {
  return checkThenMsm(() => batchOpeningCheck(commitments, point, values, proof, transcript), transcript, engine);
}

/** Runs the field checks (false on any throw or failure), then the group equation's MSM. */
async function checkThenMsm(check: () => CheckResult, transcript: Transcript, engine?: MsmEngine): Promise<boolean> {
  let res: CheckResult;
  try {
    res = check();
  } catch {
    return false;
  }
  return res.ok ? verifyMsmChecks([res.check], transcript, engine) : false;
}

/** Bytes of an opening proof (32 per field element). */
export function openingProofBytes(proof: HyraxOpeningProof): number {
  return 32 * proof.combined.length;
}
