/**
 * Sumcheck for sums of products of multilinear polynomials:
 *
 *     claim = sum over x in {0,1}^n of  sum_t  c_t * prod_{f in factors_t} P_f(x)
 *
 * (e.g. GKR's sum_x eq(r,x)·A(x)·B(x), or c1·f1·g1 + c2·f2). Non-interactive through the caller's
 * `Transcript`, so several sumchecks compose on one transcript. Variables are bound in MLE order:
 * variable 0 (the top index bit, see mle.ts) in round 0.
 *
 * Degree d = the largest number of factors in a term. Round i sends the univariate round polynomial
 * g_i as its values at 0, 2, 3, ..., d (**g_i(1) is omitted**: the verifier derives it as
 * claim_i - g_i(0)), so a round message is d field elements.
 *
 * Transcript schedule (prover and verifier identical):
 *   absorbFields("sumcheck/claim", [claim, n, d]);
 *   for each round: absorbFields("sumcheck/round", message_i); r_i = challenge("sumcheck/challenge")
 *
 * The verifier never throws on proof data: it returns `{ok: false, reason}` for malformed or
 * inconsistent messages, else `{ok: true, point, claimedEval}`, a sub-claim that the caller (GKR)
 * must discharge: claimedEval == sum_t c_t prod_f P_f(point) (see `combineTermEvals`).
 */
import { FR_MODULUS, Fr, FrVector, readMont, writeMont } from "./field.js";
import { kernels } from "./kernels.js";
import { numVarsOf } from "./mle.js";
import type { Transcript } from "./transcript.js";

/** One product term c * prod_f P_f. `factors` index into the instance's polynomial list. */
export interface ProductTerm {
  coeff: bigint;
  factors: readonly number[];
}

/** What the prover sums: multilinear tables (all of length 2^n) and the product terms over them. */
export interface SumcheckInstance {
  polys: readonly FrVector[];
  terms: readonly ProductTerm[];
}

/** Round i's message: g_i(0), g_i(2), ..., g_i(d) (g_i(1) omitted). */
export type SumcheckRoundMessage = bigint[];

/** The proof: one message per variable. */
export interface SumcheckProof {
  rounds: SumcheckRoundMessage[];
}

/** What the prover hands back besides the proof. */
export interface SumcheckProverOutput {
  proof: SumcheckProof;
  /** the claimed sum (computed when not supplied) */
  claim: bigint;
  /** the challenges r_0..r_{n-1}: the point the sub-claim is about */
  point: bigint[];
  /** each polynomial's MLE at `point` (GKR sends these on or discharges them) */
  polyEvals: bigint[];
}

/** The verifier's verdict. */
export type SumcheckVerdict =
  | { ok: true; point: bigint[]; claimedEval: bigint }
  | { ok: false; reason: string };

export const SUMCHECK_LABELS = {
  claim: "sumcheck/claim",
  round: "sumcheck/round",
  challenge: "sumcheck/challenge",
} as const;

/** Degree of the round polynomials for these terms: the largest factor count (at least 1). */
export function sumcheckDegree(terms: readonly ProductTerm[]): number {
  return Math.max(1, ...terms.map((t) => t.factors.length));
}

/** sum_t c_t * prod_{f in t} evals[f]: what the sub-claim's claimedEval must equal. */
export function combineTermEvals(terms: readonly ProductTerm[], evals: readonly bigint[]): bigint {
  let acc = 0n;
  for (const t of terms) {
    let prod = t.coeff;
    for (const f of t.factors) prod = (prod * evals[f]!) % FR_MODULUS;
    acc = (acc + prod) % FR_MODULUS;
  }
  return acc;
}

function checkInstance(inst: SumcheckInstance): number {
  if (inst.polys.length === 0) throw new RangeError("proveSumcheck: expected at least one polynomial, got none");
  const n = numVarsOf(inst.polys[0]!);
  inst.polys.forEach((p, i) => {
    if (p.length !== inst.polys[0]!.length) {
      throw new RangeError(`proveSumcheck: expected tables of equal length, poly ${i} has ${p.length}, poly 0 has ${inst.polys[0]!.length}`);
    }
  });
  if (inst.terms.length === 0) throw new RangeError("proveSumcheck: expected at least one term, got none");
  inst.terms.forEach((t, i) => {
    if (!Fr.isValid(t.coeff)) throw new RangeError(`proveSumcheck: term ${i} has a non-canonical coefficient ${String(t.coeff)}`);
    if (t.factors.length === 0) throw new RangeError(`proveSumcheck: term ${i} has no factors`);
    for (const f of t.factors) {
      if (!Number.isInteger(f) || f < 0 || f >= inst.polys.length) {
        throw new RangeError(`proveSumcheck: term ${i} names polynomial ${f}, expected 0..${inst.polys.length - 1}`);
      }
    }
  });
  return n;
}

function absorbStart(transcript: Transcript, claim: bigint, n: number, d: number): void {
  transcript.absorbFields(SUMCHECK_LABELS.claim, [claim, BigInt(n), BigInt(d)]);
}

/**
 * What a sumcheck prover does with each round polynomial: the plain prover sends it, the
 * zero-knowledge prover (zk/sumcheck.ts) commits to it. `runSumcheckRounds` computes the
 * polynomials and folds the tables; the driver owns the transcript.
 */
export interface SumcheckRoundDriver {
  /** Called once, before round 0, with the claim (supplied or computed), n and d. */
  start(claim: bigint, numVars: number, degree: number): void;
  /** Round i's polynomial as its values g_i(0), g_i(1), ..., g_i(d); returns the challenge r_i. */
  round(values: readonly bigint[]): bigint;
}

/** What `runSumcheckRounds` hands back. */
export interface SumcheckRun {
  claim: bigint;
  point: bigint[];
  polyEvals: bigint[];
}

/**
 * Prove the sum of the instance's terms. The transcript advances exactly as `verifySumcheck` expects.
 * @param claim the sum, if the caller already has it (it is checked); computed otherwise
 * @throws RangeError for a malformed instance or a supplied claim that is not the sum
 */
export function proveSumcheck(inst: SumcheckInstance, transcript: Transcript, claim?: bigint): SumcheckProverOutput {
  const rounds: SumcheckRoundMessage[] = [];
  const run = runSumcheckRounds(inst, claim, {
    start: (c, n, d) => absorbStart(transcript, c, n, d),
    round: (values) => {
      const message = [values[0]!, ...values.slice(2)];
      transcript.absorbFields(SUMCHECK_LABELS.round, message);
      rounds.push(message);
      return transcript.challenge(SUMCHECK_LABELS.challenge);
    },
  });
  return { proof: { rounds }, ...run };
}

/**
 * The sumcheck prover's work, shared by the plain and the zero-knowledge provers: for each round,
 * the round polynomial's values (handed to `driver.round`, which returns the challenge), then the
 * tables bound to it. Ends with every polynomial's value at the point.
 * @throws RangeError for a malformed instance or a supplied claim that is not the sum
 */
export function runSumcheckRounds(inst: SumcheckInstance, claim: bigint | undefined, driver: SumcheckRoundDriver): SumcheckRun {
  const n = checkInstance(inst);
  const d = sumcheckDegree(inst.terms);
  const P = inst.polys.length;
  const k = kernels();
  const heap = k.heap;
  // Working tables: round 0 reads the caller's tables, its fold writes fresh ones, later folds are in place.
  let tables: Uint32Array[] = inst.polys.map((p) => p.limbs);
  const fresh = new Array<boolean>(P).fill(false);

  // Heap layout: accumulators (terms x evaluation points), r, temp, then per poly lo/hi/diff/cur.
  const maxPoints = d + 1;
  const accBase = 0;
  const rSlot = inst.terms.length * maxPoints;
  const tmpBase = rSlot + 1;
  const usable = k.heapElements - tmpBase;
  const C = Math.min(2048, Math.floor(usable / (4 * P + 1)));
  if (C < 1) {
    throw new RangeError(`proveSumcheck: ${P} polynomials and ${inst.terms.length} terms do not fit the ${k.heapElements}-element kernel heap`);
  }
  const polyBase = (p: number, which: 0 | 1 | 2 | 3): number => tmpBase + C + (4 * p + which) * C;

  const point: bigint[] = [];
  let currentClaim = claim;
  let startClaim = 0n;

  /**
   * Add this chunk's contribution to every accumulator: the polys' values on X = 0 (lo) and X = 1
   * (hi) are in slots 0 and 1; X = t >= 2 is hi + (t-1)·(hi - lo), built in slot 3 from slot 2.
   */
  const evalChunk = (m: number, points: readonly number[]): void => {
    if (d >= 2) for (let p = 0; p < P; p++) k.sub(polyBase(p, 2), polyBase(p, 1), polyBase(p, 0), m);
    for (const t of points) {
      if (t >= 2) {
        for (let p = 0; p < P; p++) k.add(polyBase(p, 3), polyBase(p, t === 2 ? 1 : 3), polyBase(p, 2), m);
      }
      const at = (p: number): number => polyBase(p, t === 0 ? 0 : t === 1 ? 1 : 3);
      inst.terms.forEach((term, ti) => {
        const acc = accBase + ti * maxPoints + t;
        const f = term.factors;
        if (f.length === 1) {
          k.sumInto(acc, at(f[0]!), m);
          return;
        }
        let left = at(f[0]!);
        for (let j = 1; j < f.length - 1; j++) {
          k.mul(tmpBase, left, at(f[j]!), m, 1);
          left = tmpBase;
        }
        k.dotInto(acc, left, at(f[f.length - 1]!), m);
      });
    }
  };
  const loadChunk = (p: number, slot: 0 | 1 | 2 | 3, src: Uint32Array, from: number, m: number): void => {
    heap.set(src.subarray(from * 8, (from + m) * 8), polyBase(p, slot) * 8);
  };
  const pointsFor = (withOne: boolean): number[] => [0, ...(withOne ? [1] : []), ...Array.from({ length: d - 1 }, (_, i) => i + 2)];

  // Round 0's evaluations read the caller's tables directly.
  let points = pointsFor(currentClaim === undefined);
  heap.fill(0, accBase * 8, (accBase + inst.terms.length * maxPoints) * 8);
  if (n > 0) {
    const half = 2 ** (n - 1);
    for (let s = 0; s < half; s += C) {
      const m = Math.min(C, half - s);
      for (let p = 0; p < P; p++) {
        loadChunk(p, 0, tables[p]!, s, m);
        loadChunk(p, 1, tables[p]!, half + s, m);
      }
      evalChunk(m, points);
    }
  }
  for (let round = 0; round < n; round++) {
    // g(t) = sum over terms of c_term * acc[term][t]
    const g = new Map<number, bigint>();
    for (const t of points) {
      let v = 0n;
      inst.terms.forEach((term, ti) => {
        v = (v + term.coeff * readMont(heap, (accBase + ti * maxPoints + t) * 8)) % FR_MODULUS;
      });
      g.set(t, v);
    }
    if (currentClaim === undefined) currentClaim = Fr.add(g.get(0)!, g.get(1)!);
    if (round === 0) {
      startClaim = currentClaim;
      driver.start(currentClaim, n, d);
    }
    // g(1) = claim - g(0) (computed in round 0 only when the claim was not supplied: then equal)
    const g0 = g.get(0)!;
    const values = [g0, Fr.sub(currentClaim, g0), ...Array.from({ length: d - 1 }, (_, i) => g.get(i + 2)!)];
    const r = driver.round(values);
    point.push(r);
    currentClaim = interpolateAt(values, r);

    // Bind variable `round` to r and, in the same pass, evaluate the next round: the folded table
    // (size H) pairs entries j and j + H/2, which fold from old entries j, j+H and j+H/2, j+3H/2.
    writeMont(heap, rSlot * 8, r);
    const H = 2 ** (n - round - 1);
    points = pointsFor(false);
    heap.fill(0, accBase * 8, (accBase + inst.terms.length * maxPoints) * 8);
    if (H === 1) {
      for (let p = 0; p < P; p++) {
        loadChunk(p, 2, tables[p]!, 0, 1);
        loadChunk(p, 3, tables[p]!, 1, 1);
        k.fold(polyBase(p, 0), polyBase(p, 2), polyBase(p, 3), rSlot, 1);
        tables[p] = heap.slice(polyBase(p, 0) * 8, polyBase(p, 0) * 8 + 8);
      }
      break;
    }
    const Q = H / 2;
    const dst = tables.map((t, p) => (fresh[p] ? t : new Uint32Array(H * 8)));
    for (let s = 0; s < Q; s += C) {
      const m = Math.min(C, Q - s);
      for (let p = 0; p < P; p++) {
        const src = tables[p]!;
        loadChunk(p, 2, src, s, m);
        loadChunk(p, 3, src, H + s, m);
        k.fold(polyBase(p, 0), polyBase(p, 2), polyBase(p, 3), rSlot, m);
        loadChunk(p, 2, src, Q + s, m);
        loadChunk(p, 3, src, H + Q + s, m);
        k.fold(polyBase(p, 1), polyBase(p, 2), polyBase(p, 3), rSlot, m);
        // in place is safe: this chunk's reads are done and later chunks read other positions
        dst[p]!.set(heap.subarray(polyBase(p, 0) * 8, (polyBase(p, 0) + m) * 8), s * 8);
        dst[p]!.set(heap.subarray(polyBase(p, 1) * 8, (polyBase(p, 1) + m) * 8), (Q + s) * 8);
      }
      evalChunk(m, points);
    }
    tables = dst.map((t) => t.subarray(0, H * 8));
    fresh.fill(true);
  }
  if (n === 0) {
    // No variables: the sum is the single term value; nothing to send.
    const evals = inst.polys.map((p) => p.get(0));
    const value = combineTermEvals(inst.terms, evals);
    if (claim !== undefined && claim !== value) throw new RangeError("proveSumcheck: the supplied claim is not the sum");
    driver.start(value, 0, d);
    return { claim: value, point: [], polyEvals: evals };
  }
  tables = tables.map((t) => t.subarray(0, 8));
  const polyEvals = tables.map((t) => readMont(t, 0));
  const finalValue = combineTermEvals(inst.terms, polyEvals);
  // A wrong supplied claim makes the derived g_0(1) wrong, which (whp) breaks this final identity.
  if (finalValue !== currentClaim) {
    throw new RangeError("proveSumcheck: the supplied claim is not the sum of the terms (the final check fails)");
  }
  return { claim: startClaim, point, polyEvals };
}

/** 1/k! for k = 0..d, per degree (the Newton form's denominators). */
const inverseFactorialCache = new Map<number, bigint[]>();
function inverseFactorials(d: number): bigint[] {
  let out = inverseFactorialCache.get(d);
  if (!out) {
    out = [1n];
    let fact = 1n;
    for (let k = 1; k <= d; k++) {
      fact = Fr.mul(fact, BigInt(k));
      out.push(Fr.inv(fact));
    }
    inverseFactorialCache.set(d, out);
  }
  return out;
}

/**
 * The polynomial of degree <= d through (i, values[i]) for i = 0..d, evaluated at x. Newton's
 * forward-difference form, P(x) = sum_k (Δ^k v_0 / k!) x(x-1)...(x-k+1), by Horner: 2d
 * multiplications (Lagrange weights take about 5d), which matters in the verifier's many rounds.
 */
export function interpolateAt(values: readonly bigint[], x: bigint): bigint {
  const d = values.length - 1;
  if (x <= BigInt(d)) return values[Number(x)]!;
  const diff = values.slice();
  // after pass k, diff[k] = Δ^k v_0 (diff[i] for i > k holds Δ^k v_{i-k})
  for (let k = 1; k <= d; k++) for (let i = d; i >= k; i--) diff[i] = Fr.sub(diff[i]!, diff[i - 1]!);
  const invFact = inverseFactorials(d);
  let acc = Fr.mul(diff[d]!, invFact[d]!);
  for (let k = d - 1; k >= 0; k--) acc = Fr.add(Fr.mul(acc, Fr.sub(x, BigInt(k))), k === 0 ? diff[0]! : Fr.mul(diff[k]!, invFact[k]!));
  return acc;
}

/** Next claim from a compact round message: g(1) = claim - g(0), then g(r). */
function interpolateRound(claim: bigint, message: readonly bigint[], r: bigint): bigint {
  const g0 = message[0]!;
  const values = [g0, Fr.sub(claim, g0), ...message.slice(1)];
  return interpolateAt(values, r);
}

/**
 * Verify a sumcheck proof of `claim` over `numVars` variables with round polynomials of degree
 * `degree` (the caller's circuit fixes both; nothing about them is taken from the proof).
 * Never throws on proof data.
 */
export function verifySumcheck(
  claim: bigint,
  numVars: number,
  degree: number,
  proof: unknown,
  transcript: Transcript,
): SumcheckVerdict {
  if (!Fr.isValid(claim)) return { ok: false, reason: "claim is not a canonical field element" };
  if (!Number.isSafeInteger(numVars) || numVars < 0) return { ok: false, reason: `bad number of variables ${numVars}` };
  if (!Number.isSafeInteger(degree) || degree < 1) return { ok: false, reason: `bad degree ${degree}` };
  const rounds = (proof as { rounds?: unknown } | null | undefined)?.rounds;
  if (typeof proof !== "object" || proof === null || !Array.isArray(rounds)) {
    return { ok: false, reason: "proof is not an object with a rounds array" };
  }
  if (rounds.length !== numVars) {
    return { ok: false, reason: `expected ${numVars} rounds, got ${rounds.length}` };
  }
  for (let i = 0; i < numVars; i++) {
    const msg: unknown = rounds[i];
    if (!Array.isArray(msg) || msg.length !== degree) {
      return { ok: false, reason: `round ${i}: expected ${degree} values (g(0), g(2..${degree})), got ${Array.isArray(msg) ? msg.length : typeof msg}` };
    }
    for (let j = 0; j < degree; j++) {
      if (!Fr.isValid(msg[j] as bigint)) return { ok: false, reason: `round ${i}: value ${j} is not a canonical field element` };
    }
  }
  absorbStart(transcript, claim, numVars, degree);
  let current = claim;
  const point: bigint[] = [];
  for (let i = 0; i < numVars; i++) {
    const msg = rounds[i] as bigint[];
    transcript.absorbFields(SUMCHECK_LABELS.round, msg);
    const r = transcript.challenge(SUMCHECK_LABELS.challenge);
    point.push(r);
    current = interpolateRound(current, msg, r);
  }
  return { ok: true, point, claimedEval: current };
}
