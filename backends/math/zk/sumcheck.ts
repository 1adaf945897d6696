/**
 * Zero-knowledge sumcheck, Hyrax-style (Wahby et al. 2018, §4): the prover commits to each round
 * polynomial instead of sending it, and proves the verifier's checks on the commitments.
 *
 * Same statement as sumcheck.ts: claim = sum_x sum_t c_t prod_{f in t} P_f(x), for a claim given as
 * a commitment C_claim (use `publicCommitment(v)` for a public claim: blinding 0). The rounds are
 * computed by sumcheck.ts's `runSumcheckRounds` (the same loops as the plain prover).
 *
 * Round i, with g_i(X) = sum_k c_{i,k} X^k (degree d): the prover sends the scalar commitments
 * C_{i,k} = Com(c_{i,k}; ρ_{i,k}), k = 0..d; then r_i = challenge. Every check of the plain verifier
 * is linear in the coefficients, so it becomes a statement on the commitments (additive homomorphism):
 *   E_i  = sum_k r_i^k·C_{i,k}                   commits g_i(r_i), the next claim (E_{-1} = C_claim)
 *   D_i  = 2·C_{i,0} + sum_{k>=1} C_{i,k} - E_{i-1}   commits g_i(0) + g_i(1) - claim_i, which must be 0.
 * After the rounds, the prover commits F_f = Com(P_f(r)) for every polynomial (a polynomial the
 * verifier evaluates itself, such as GKR's eq(r', ·), is *public*: F_f = P_f(r)·g, not sent), proves
 * each term's product with a chain of product proofs (T_t = Com(prod_f P_f(r))), and
 *   D_n  = E_{n-1} - sum_t c_t·T_t                commits final claim - sum_t c_t prod_f P_f(r), also 0.
 * **All n + 1 zero checks are batched into one proof**: with μ_0..μ_n drawn after every commitment
 * is absorbed, the prover proves sum_j μ_j·D_j = k·H for a known k (one Schnorr proof). Sound: the
 * values committed in the D_j are fixed before the μ_j (each C_{i,k} before r_i, so a round
 * polynomial cannot depend on its challenge), and if one of them is not 0 the combination's value
 * is 0 for at most one μ_j given the others; a prover who knows k for a non-zero value would know
 * the discrete log of g to base H. The F_f are the committed claims the caller chains on (a GKR
 * layer's claims on its inputs); the prover gets their openings.
 *
 * Proof: n·(d+1) points, the committed evaluations and products, one point and one scalar.
 *
 * Transcript:
 *   absorbFields("zk-sumcheck/shape", [n, d]); absorbPoints("zk-sumcheck/claim", [C_claim]);
 *   per round: absorbPoints("zk-sumcheck/round", C_{i,0..d}); r_i = challenge("zk-sumcheck/challenge");
 *   absorbPoints("zk-sumcheck/evals", committed F_f); absorbFields("zk-sumcheck/public-evals", public values);
 *   per product step: absorbPoints("zk-sumcheck/product", [Com(partial product)]); product proof;
 *   μ_0..μ_n = challenge("zk-sumcheck/batch") each; proof of zero (sigma.ts) of sum_j μ_j·D_j.
 */
import { FR_MODULUS, Fr } from "../field.js";
import { combineTermEvals, runSumcheckRounds, sumcheckDegree, type ProductTerm, type SumcheckInstance } from "../sumcheck.js";
import type { Transcript } from "../transcript.js";
import type { G1Point } from "../commit/curve.js";
import type { MsmCheck } from "../commit/hyrax.js";
import {
  CheckBuilder,
  ProofBytesWriter,
  absorbPoints,
  commitFresh,
  commitScalar,
  guarded,
  publicCommitment,
  readPoint,
  readRecord,
  type BlindingRng,
  type LinComb,
  type Opening,
} from "./pedersen.js";
import { checkProduct, checkZero, equalityProofBytes, productProofBytes, proveProduct, proveZero, type EqualityProof, type ProductProof } from "./sigma.js";

export const ZK_SUMCHECK_LABELS = {
  shape: "zk-sumcheck/shape",
  claim: "zk-sumcheck/claim",
  round: "zk-sumcheck/round",
  challenge: "zk-sumcheck/challenge",
  evals: "zk-sumcheck/evals",
  publicEvals: "zk-sumcheck/public-evals",
  product: "zk-sumcheck/product",
  batch: "zk-sumcheck/batch",
} as const;

export interface ZkSumcheckProof {
  /** per round: Com(c_{i,0}), ..., Com(c_{i,d}), the round polynomial's coefficients */
  rounds: G1Point[][];
  /** Com(P_f(r)) for each polynomial that is not public, in index order */
  evals: G1Point[];
  /** per multiplication step (terms in order, factors left to right): the partial product's commitment and its proof */
  products: { commitment: G1Point; proof: ProductProof }[];
  /** sum_j μ_j·D_j commits 0 (every round check and the final check at once) */
  zero: EqualityProof;
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
  /** E_{n-1}'s opening: the final claim sum_t c_t prod_f P_f(point) and its blinding */
  finalOpening: Opening;
  /** per polynomial: P_f(point), the commitment the verifier ends with (v·g when public) and its opening */
  polyEvals: bigint[];
  evalCommitments: G1Point[];
  evalOpenings: Opening[];
}

export type ZkSumcheckCheck =
  | { ok: true; point: bigint[]; finalCommitment: LinComb; evalCommitments: G1Point[]; checks: MsmCheck[] }
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

/** 1, r, ..., r^d. */
function powers(r: bigint, d: number): bigint[] {
  const out = [1n];
  for (let k = 1; k <= d; k++) out.push(Fr.mul(out[k - 1]!, r));
  return out;
}

/** The weights of g(0) + g(1) on the coefficients: 2, 1, ..., 1. */
function sumWeights(d: number): bigint[] {
  return Array.from({ length: d + 1 }, (_, k) => (k === 0 ? 2n : 1n));
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

/** sum_k w_k·x_k over field elements. */
function weighted(w: readonly bigint[], x: readonly bigint[]): bigint {
  let acc = 0n;
  for (let k = 0; k < w.length; k++) acc += w[k]! * x[k]!;
  return acc % FR_MODULUS;
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
  const rounds: G1Point[][] = [];
  // blinding factors of D_0..D_{n-1} (their values are 0 for an honest prover); E's blinding so far
  const zeroBlindings: bigint[] = [];
  let prevBlinding = claim.blinding;
  const run = runSumcheckRounds(inst, claim.value, {
    start: (c, n) => {
      if (c !== claim.value) throw new RangeError("proveZkSumcheck: the claim is not the sum");
      absorbStart(transcript, commitScalar(claim.value, claim.blinding), n, d);
    },
    round: (values) => {
      const coeffs = valuesToCoefficients(values);
      const blindings = coeffs.map(() => rng.scalar());
      const commitments = coeffs.map((c, k) => commitScalar(c, blindings[k]!));
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.round, commitments);
      const r = transcript.challenge(ZK_SUMCHECK_LABELS.challenge);
      zeroBlindings.push(Fr.sub(weighted(sumWeights(d), blindings), prevBlinding));
      prevBlinding = weighted(powers(r, d), blindings);
      rounds.push(commitments);
      return r;
    },
  });
  const finalOpening: Opening = { value: combineTermEvals(inst.terms, run.polyEvals), blinding: prevBlinding };

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
  let termsBlinding = 0n;
  for (const term of inst.terms) {
    let cur = evalOpenings[term.factors[0]!]!;
    for (const f of term.factors.slice(1)) {
      const { commitment, opening } = commitFresh(Fr.mul(cur.value, evalOpenings[f]!.value), rng);
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.product, [commitment]);
      products.push({ commitment, proof: proveProduct(cur, evalOpenings[f]!, opening, transcript, rng) });
      cur = opening;
    }
    termsBlinding = Fr.add(termsBlinding, Fr.mul(term.coeff, cur.blinding));
  }
  zeroBlindings.push(Fr.sub(finalOpening.blinding, termsBlinding));
  const mu = transcript.challenges(ZK_SUMCHECK_LABELS.batch, zeroBlindings.length);
  const zero = proveZero(weighted(mu, zeroBlindings), transcript, rng);
  return {
    proof: { rounds, evals: sent, products, zero },
    point: run.point,
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
    absorbStart(transcript, claimCommitment, n, d);
    // D_i as combinations: D_i = sum_k s_k·C_{i,k} - E_{i-1}
    const zeros: LinComb[] = [];
    let prev: LinComb = { points: [claimCommitment], scalars: [1n] };
    const point: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const round = rounds[i];
      if (!Array.isArray(round) || round.length !== d + 1) return { ok: false as const, reason: `round ${i}: expected ${d + 1} coefficient commitments` };
      const cs = round.map((c, k) => readPoint(c, `round ${i} coefficient ${k}`));
      absorbPoints(transcript, ZK_SUMCHECK_LABELS.round, cs);
      const r = transcript.challenge(ZK_SUMCHECK_LABELS.challenge);
      zeros.push({ points: [...cs, ...prev.points], scalars: [...sumWeights(d), ...prev.scalars.map((s) => Fr.neg(s))] });
      prev = { points: cs, scalars: powers(r, d) };
      point.push(r);
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

    const checks: MsmCheck[] = [];
    const products = p.products;
    const steps = terms.reduce((s, t) => s + t.factors.length - 1, 0);
    if (!Array.isArray(products) || products.length !== steps) return { ok: false as const, reason: `expected ${steps} product proofs` };
    let step = 0;
    const finalZero = new CheckBuilder().addComb(finalCommitment);
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
      finalZero.sub(cur, term.coeff);
    }
    zeros.push(finalZero.build());
    const mu = transcript.challenges(ZK_SUMCHECK_LABELS.batch, zeros.length);
    const batched = new CheckBuilder();
    zeros.forEach((z, j) => batched.addComb(z, mu[j]!));
    const zero = checkZero(batched.build(), p.zero, transcript);
    if (!zero.ok) return { ok: false as const, reason: `round and final checks: ${zero.reason}` };
    checks.push(...zero.checks);
    return { ok: true as const, point, finalCommitment, evalCommitments, checks };
  });
}

/** Proof bytes (points compressed, scalars 32 bytes): for sizes and the hiding tests. */
export function zkSumcheckProofBytes(proof: ZkSumcheckProof): Uint8Array {
  const w = new ProofBytesWriter();
  for (const r of proof.rounds) w.points(r);
  w.points(proof.evals);
  for (const p of proof.products) productProofBytes(p.proof, w.point(p.commitment));
  equalityProofBytes(proof.zero, w);
  return w.bytes();
}
