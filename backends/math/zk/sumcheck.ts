/**
 * Zero-knowledge sumcheck, Hyrax-style (Wahby et al. 2018, §4): the prover commits to each round
 * polynomial instead of sending it, and proves the round checks on the commitments.
 *
 * Same statement as sumcheck.ts: claim = sum_x sum_t c_t prod_{f in t} P_f(x), for a claim given as
 * a commitment C_claim (use `publicCommitment(v)` for a public claim: blinding 0). The rounds are
 * computed by sumcheck.ts's `runSumcheckRounds` (the same loops as the plain prover).
 *
 * Round i, with g_i(X) = sum_k c_{i,k} X^k (degree d) and E_{i-1} the previous committed claim
 * (E_{-1} = C_claim):
 *   1. send P_i = Com(c⃗_i; ρ_i)                         (vector commitment, d+1 generators)
 *   2. r_i = challenge
 *   3. send E_i = Com(g_i(r_i); s_i)
 *   4. λ_i = challenge
 *   5. one dot-product proof that  E_{i-1} + λ_i·E_i  holds  <c⃗_i, a⃗_0 + λ_i·a⃗_1(r_i)>,
 *      a⃗_0 = (2, 1, ..., 1) (so <c⃗, a⃗_0> = g(0) + g(1)) and a⃗_1 = (1, r_i, ..., r_i^d).
 * Batching the two linear checks with λ_i is sound: the commitments fix c⃗_i, e_{i-1}, e_i before λ_i
 * is drawn, and if either check fails the combination holds for at most one λ_i.
 *
 * End: E_{n-1} commits the final claim. The prover commits F_f = Com(P_f(r); ·) for every
 * polynomial (a polynomial the verifier evaluates itself, such as GKR's eq(r', ·), is *public*:
 * F_f = P_f(r)·g, not sent), proves each term's product with a chain of product proofs
 * (T_t = Com(prod_f P_f(r))), and proves with an equality proof that E_{n-1} and sum_t c_t·T_t hold
 * the same value. The F_f are the committed claims the caller chains on (a GKR layer's claims on
 * its inputs); the prover gets their openings.
 *
 * Transcript:
 *   absorbFields("zk-sumcheck/shape", [n, d]); absorbPoints("zk-sumcheck/claim", [C_claim]);
 *   per round: absorb "zk-sumcheck/round" P_i; r_i = challenge("zk-sumcheck/challenge");
 *              absorb "zk-sumcheck/next" E_i; λ_i = challenge("zk-sumcheck/batch"); dot-product proof;
 *   absorb "zk-sumcheck/evals" (committed F_f); absorbFields("zk-sumcheck/public-evals", public values);
 *   per product step: absorb "zk-sumcheck/product" Com(partial product); product proof;
 *   equality proof.
 */
import { FR_MODULUS, Fr } from "../field.js";
import { runSumcheckRounds, sumcheckDegree, type ProductTerm, type SumcheckInstance } from "../sumcheck.js";
import type { Transcript } from "../transcript.js";
import type { G1Point } from "../commit/curve.js";
import type { MsmCheck } from "../commit/hyrax.js";
import {
  ProofBytesWriter,
  absorbPoints,
  commitFresh,
  commitScalar,
  commitVector,
  guarded,
  publicCommitment,
  readPoint,
  readRecord,
  type BlindingRng,
  type LinComb,
  type Opening,
} from "./pedersen.js";
import {
  checkDotProduct,
  checkEquality,
  checkProduct,
  dotProductProofBytes,
  equalityProofBytes,
  productProofBytes,
  proveDotProduct,
  proveEquality,
  proveProduct,
  type DotProductProof,
  type EqualityProof,
  type ProductProof,
} from "./sigma.js";

export const ZK_SUMCHECK_LABELS = {
  shape: "zk-sumcheck/shape",
  claim: "zk-sumcheck/claim",
  round: "zk-sumcheck/round",
  challenge: "zk-sumcheck/challenge",
  next: "zk-sumcheck/next",
  batch: "zk-sumcheck/batch",
  evals: "zk-sumcheck/evals",
  publicEvals: "zk-sumcheck/public-evals",
  product: "zk-sumcheck/product",
} as const;

/** One round: the committed round polynomial, the committed next claim, their consistency proof. */
export interface ZkSumcheckRound {
  poly: G1Point;
  next: G1Point;
  dot: DotProductProof;
}

export interface ZkSumcheckProof {
  rounds: ZkSumcheckRound[];
  /** Com(P_f(r)) for each polynomial that is not public, in index order */
  evals: G1Point[];
  /** per multiplication step (terms in order, factors left to right): the partial product's commitment and its proof */
  products: { commitment: G1Point; proof: ProductProof }[];
  /** E_{n-1} and sum_t c_t·T_t hold the same value */
  final: EqualityProof;
}

/** The public structure both sides agree on. */
export interface ZkSumcheckShape {
  numVars: number;
  numPolys: number;
  terms: readonly ProductTerm[];
  /** polynomials the verifier evaluates itself at the final point (their evaluations are not committed) */
  publicPolys?: readonly number[];
}

export interface ZkSumcheckProverOutput {
  proof: ZkSumcheckProof;
  point: bigint[];
  /** E_{n-1}: the committed final claim, and its opening */
  finalCommitment: G1Point;
  finalOpening: Opening;
  /** per polynomial: P_f(point), the commitment the verifier ends with (v·g when public) and its opening */
  polyEvals: bigint[];
  evalCommitments: G1Point[];
  evalOpenings: Opening[];
}

export type ZkSumcheckCheck =
  | { ok: true; point: bigint[]; finalCommitment: G1Point; evalCommitments: G1Point[]; checks: MsmCheck[] }
  | { ok: false; reason: string };

/** Coefficients (of X^0..X^d) from the values at 0..d: the inverse Vandermonde matrix, cached per d. */
const coefficientMatrices = new Map<number, bigint[][]>();
function coefficientMatrix(d: number): bigint[][] {
  let m = coefficientMatrices.get(d);
  if (!m) {
    // row i: the coefficients of the Lagrange basis polynomial L_i(X) = prod_{j != i} (X - j) / (i - j)
    m = [];
    for (let i = 0; i <= d; i++) {
      let poly: bigint[] = [1n];
      let den = 1n;
      for (let j = 0; j <= d; j++) {
        if (j === i) continue;
        const next = new Array<bigint>(poly.length + 1).fill(0n);
        poly.forEach((c, k) => {
          next[k + 1] = Fr.add(next[k + 1]!, c);
          next[k] = Fr.sub(next[k]!, Fr.mul(c, BigInt(j)));
        });
        poly = next;
        den = Fr.mul(den, Fr.fromSigned(i - j));
      }
      const inv = Fr.inv(den);
      m.push(poly.map((c) => Fr.mul(c, inv)));
    }
    coefficientMatrices.set(d, m);
  }
  return m;
}

/** The coefficients of the degree-<=d polynomial through (k, values[k]), k = 0..d. */
export function valuesToCoefficients(values: readonly bigint[]): bigint[] {
  const d = values.length - 1;
  const m = coefficientMatrix(d);
  const out = new Array<bigint>(d + 1).fill(0n);
  values.forEach((v, i) => m[i]!.forEach((c, k) => (out[k] = (out[k]! + v * c) % FR_MODULUS)));
  return out;
}

/** a⃗_0 + λ·a⃗_1(r): the batched public vector of a round. */
function roundVector(d: number, r: bigint, lambda: bigint): bigint[] {
  const out: bigint[] = [];
  let power = 1n;
  for (let k = 0; k <= d; k++) {
    out.push(Fr.add(k === 0 ? 2n : 1n, Fr.mul(lambda, power)));
    power = Fr.mul(power, r);
  }
  return out;
}

function checkShape(shape: ZkSumcheckShape): string | null {
  const { numVars, numPolys, terms } = shape;
  if (!Number.isSafeInteger(numVars) || numVars < 0) return `bad number of variables ${numVars}`;
  if (!Number.isSafeInteger(numPolys) || numPolys < 1) return `bad number of polynomials ${numPolys}`;
  if (!Array.isArray(terms) || terms.length === 0) return "expected at least one term";
  for (const t of terms) {
    if (!Fr.isValid(t.coeff) || !Array.isArray(t.factors) || t.factors.length === 0) return "malformed term";
    if (t.factors.some((f: number) => !Number.isInteger(f) || f < 0 || f >= numPolys)) return "a term names a polynomial out of range";
  }
  for (const f of shape.publicPolys ?? []) if (!Number.isInteger(f) || f < 0 || f >= numPolys) return "a public polynomial index is out of range";
  return null;
}

function absorbStart(transcript: Transcript, claimCommitment: G1Point, n: number, d: number): void {
  transcript.absorbFields(ZK_SUMCHECK_LABELS.shape, [BigInt(n), BigInt(d)]);
  absorbPoints(transcript, ZK_SUMCHECK_LABELS.claim, [claimCommitment]);
}

/**
 * Prove the instance's sum in zero knowledge, for a claim the caller holds as an opening
 * (blinding 0 for a public claim).
 * @throws RangeError for a malformed instance, a claim that is not the sum, or public indices out of range
 */
export function proveZkSumcheck(
  inst: SumcheckInstance,
  claim: Opening,
  transcript: Transcript,
  rng: BlindingRng,
  opts: { publicPolys?: readonly number[] } = {},
): ZkSumcheckProverOutput {
  const publicPolys = new Set(opts.publicPolys ?? []);
  for (const f of publicPolys) if (!Number.isInteger(f) || f < 0 || f >= inst.polys.length) throw new RangeError(`proveZkSumcheck: public polynomial ${f} is out of range`);
  const d = sumcheckDegree(inst.terms);
  const rounds: ZkSumcheckRound[] = [];
  let prev: Opening = claim;
  const run = runSumcheckRounds(inst, claim.value, {
    start: (c, n) => {
      if (c !== claim.value) throw new RangeError("proveZkSumcheck: the claim is not the sum");
      absorbStart(transcript, commitScalar(claim.value, claim.blinding), n, d);
    },
    round: (values) => {
      const coeffs = valuesToCoefficients(values);
      const polyBlinding = rng.scalar();
      const poly = commitVector(coeffs, polyBlinding);
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.round, [poly]);
      const r = transcript.challenge(ZK_SUMCHECK_LABELS.challenge);
      let atR = 0n;
      for (let k = d; k >= 0; k--) atR = (atR * r + coeffs[k]!) % FR_MODULUS;
      const { commitment: next, opening } = commitFresh(atR, rng);
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.next, [next]);
      const lambda = transcript.challenge(ZK_SUMCHECK_LABELS.batch);
      const target: Opening = { value: Fr.add(prev.value, Fr.mul(lambda, opening.value)), blinding: Fr.add(prev.blinding, Fr.mul(lambda, opening.blinding)) };
      const dot = proveDotProduct({ values: coeffs, blinding: polyBlinding }, target, roundVector(d, r, lambda), transcript, rng);
      rounds.push({ poly, next, dot });
      prev = opening;
      return r;
    },
  });
  const finalOpening = prev;
  const finalCommitment = commitScalar(finalOpening.value, finalOpening.blinding);

  const evalOpenings: Opening[] = [];
  const evalCommitments: G1Point[] = [];
  const sent: G1Point[] = [];
  run.polyEvals.forEach((v, f) => {
    if (publicPolys.has(f)) {
      evalOpenings.push({ value: v, blinding: 0n });
      evalCommitments.push(publicCommitment(v));
    } else {
      const { commitment, opening } = commitFresh(v, rng);
      evalOpenings.push(opening);
      evalCommitments.push(commitment);
      sent.push(commitment);
    }
  });
  absorbPoints(transcript, ZK_SUMCHECK_LABELS.evals, sent);
  transcript.absorbFields(ZK_SUMCHECK_LABELS.publicEvals, [...publicPolys].sort((a, b) => a - b).map((f) => run.polyEvals[f]!));

  const products: ZkSumcheckProof["products"] = [];
  let sumBlinding = 0n;
  for (const term of inst.terms) {
    let cur = evalOpenings[term.factors[0]!]!;
    for (const f of term.factors.slice(1)) {
      const { commitment, opening } = commitFresh(Fr.mul(cur.value, evalOpenings[f]!.value), rng);
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.product, [commitment]);
      products.push({ commitment, proof: proveProduct(cur, evalOpenings[f]!, opening, evalCommitments[f]!, transcript, rng) });
      cur = opening;
    }
    sumBlinding = Fr.add(sumBlinding, Fr.mul(term.coeff, cur.blinding));
  }
  const final = proveEquality(finalOpening.blinding, sumBlinding, transcript, rng);
  return {
    proof: { rounds, evals: sent, products, final },
    point: run.point,
    finalCommitment,
    finalOpening,
    polyEvals: run.polyEvals,
    evalCommitments,
    evalOpenings,
  };
}

/**
 * Check a zero-knowledge sumcheck proof of the claim committed in `claimCommitment` (field work
 * and transcript now; the group equations are returned for `verifyMsmChecks`). `evaluatePublic`
 * gives the public polynomials' values at the final point. Never throws on proof data.
 */
export function zkSumcheckCheck(
  claimCommitment: G1Point,
  shape: ZkSumcheckShape,
  proof: unknown,
  transcript: Transcript,
  evaluatePublic?: (poly: number, point: readonly bigint[]) => bigint,
): ZkSumcheckCheck {
  return guarded<ZkSumcheckCheck>(() => {
    const problem = checkShape(shape);
    if (problem) return { ok: false as const, reason: problem };
    const { numVars: n, numPolys, terms } = shape;
    const publicPolys = new Set(shape.publicPolys ?? []);
    if (publicPolys.size > 0 && !evaluatePublic) return { ok: false as const, reason: "public polynomials need evaluatePublic" };
    const d = sumcheckDegree(terms);
    const p = readRecord(proof, "zk sumcheck proof");
    const rounds = p.rounds;
    if (!Array.isArray(rounds) || rounds.length !== n) return { ok: false as const, reason: `expected ${n} rounds, got ${Array.isArray(rounds) ? rounds.length : typeof rounds}` };
    const checks: MsmCheck[] = [];
    absorbStart(transcript, claimCommitment, n, d);
    let prev = claimCommitment;
    const point: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const round = readRecord(rounds[i], `round ${i}`);
      const poly = readPoint(round.poly, `round ${i} poly`);
      const next = readPoint(round.next, `round ${i} next`);
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.round, [poly]);
      const r = transcript.challenge(ZK_SUMCHECK_LABELS.challenge);
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.next, [next]);
      const lambda = transcript.challenge(ZK_SUMCHECK_LABELS.batch);
      const target: LinComb = { points: [prev, next], scalars: [1n, lambda] };
      const dot = checkDotProduct(poly, target, roundVector(d, r, lambda), round.dot, transcript);
      if (!dot.ok) return { ok: false as const, reason: `round ${i}: ${dot.reason}` };
      checks.push(...dot.checks);
      point.push(r);
      prev = next;
    }
    const finalCommitment = prev;

    const evals = p.evals;
    const committedCount = numPolys - publicPolys.size;
    if (!Array.isArray(evals) || evals.length !== committedCount) return { ok: false as const, reason: `expected ${committedCount} evaluation commitments` };
    const sent = evals.map((e, k) => readPoint(e, `evaluation commitment ${k}`));
    absorbPoints(transcript, ZK_SUMCHECK_LABELS.evals, sent);
    const publicOrder = [...publicPolys].sort((a, b) => a - b);
    const publicValues = publicOrder.map((f) => evaluatePublic!(f, point));
    transcript.absorbFields(ZK_SUMCHECK_LABELS.publicEvals, publicValues);
    const evalCommitments: G1Point[] = [];
    let next = 0;
    for (let f = 0; f < numPolys; f++) {
      evalCommitments.push(publicPolys.has(f) ? publicCommitment(publicValues[publicOrder.indexOf(f)]!) : sent[next++]!);
    }

    const products = p.products;
    const steps = terms.reduce((s, t) => s + t.factors.length - 1, 0);
    if (!Array.isArray(products) || products.length !== steps) return { ok: false as const, reason: `expected ${steps} product proofs` };
    let step = 0;
    const termCommitments: G1Point[] = [];
    for (const term of terms) {
      let cur = evalCommitments[term.factors[0]!]!;
      for (const f of term.factors.slice(1)) {
        const entry = readRecord(products[step], `product ${step}`);
        const commitment = readPoint(entry.commitment, `product ${step} commitment`);
        absorbPoints(transcript, ZK_SUMCHECK_LABELS.product, [commitment]);
        const prod = checkProduct(cur, evalCommitments[f]!, commitment, entry.proof, transcript);
        if (!prod.ok) return { ok: false as const, reason: `product ${step}: ${prod.reason}` };
        checks.push(...prod.checks);
        cur = commitment;
        step++;
      }
      termCommitments.push(cur);
    }
    const sum: LinComb = { points: termCommitments, scalars: terms.map((t) => t.coeff) };
    const eq = checkEquality(finalCommitment, sum, p.final, transcript);
    if (!eq.ok) return { ok: false as const, reason: `final claim: ${eq.reason}` };
    checks.push(...eq.checks);
    return { ok: true as const, point, finalCommitment, evalCommitments, checks };
  });
}

/** Proof bytes (points compressed, scalars 32 bytes): for sizes and the hiding tests. */
export function zkSumcheckProofBytes(proof: ZkSumcheckProof): Uint8Array {
  const w = new ProofBytesWriter();
  for (const r of proof.rounds) dotProductProofBytes(r.dot, w.point(r.poly).point(r.next));
  w.points(proof.evals);
  for (const p of proof.products) productProofBytes(p.proof, w.point(p.commitment));
  equalityProofBytes(proof.final, w);
  return w.bytes();
}

