import { afterAll, describe, expect, it } from "vitest";
import { commit, rowCombination, terminateCurve } from "../../../backends/math/commit/index.js";
import { Fr, FrVector } from "../../../backends/math/field.js";
import { evaluateMle } from "../../../backends/math/mle.js";
import { Transcript } from "../../../backends/math/transcript.js";
import {
  absorbHidingCommitment,
  blindingGenerator,
  checkValueOpening,
  commitHiding,
  commitScalar,
  decodeHidingCommitment,
  hidingCommitmentBytes,
  checkEquality,
  proveEquality,
  proveValueOpening,
  proveZkBatchEvaluation,
  proveZkEvaluation,
  proveZkSumcheck,
  publicCommitment,
  zkBatchEvaluationCheck,
  zkSumcheckCheck,
  seededBlindingRng,
  toProofTree,
  valueGenerator,
  zkEvaluationCheck,
  zkEvaluationProofBytes,
} from "../../../backends/math/zk/index.js";
import { makeRng } from "../rng.js";
import { accepts, chunks, containsBytes, fieldBytes, leaves, tamper } from "./helpers.js";

afterAll(async () => {
  await terminateCurve();
});

const randomPoint = (seed: number, n: number): bigint[] => Array.from({ length: n }, makeRng(seed).field);
const smallInts = (seed: number, len: number): number[] => {
  const r = makeRng(seed);
  return Array.from({ length: len }, () => r.below(256) - 128);
};

/** A hiding commitment to small integers, another one, a point, and an evaluation proof on a transcript named `label`. */
async function evaluationFixture(label: string, seed: number, numVars: number, opts: { logSize?: boolean } = {}) {
  const rng = seededBlindingRng(label);
  const values = smallInts(seed, 2 ** numVars);
  const { commitment, state } = await commitHiding(values, numVars, rng);
  const other = await commitHiding(smallInts(seed + 1, 2 ** numVars), numVars, rng);
  const point = randomPoint(seed, numVars);
  const setup = (t: Transcript) => absorbHidingCommitment(t, "c", commitment);
  const tp = new Transcript(label);
  setup(tp);
  const { proof, value } = await proveZkEvaluation(state, point, tp, rng, opts);
  return { rng, values, commitment, state, other, point, setup, proof, value };
}

describe("hiding Hyrax commitments", () => {
  it("are the plain rows plus r_i·H (the small-integer path is reused), and hide equal tables", async () => {
    const values = smallInts(1, 60); // padded to 64
    const plain = await commit(values, 6);
    const rng = seededBlindingRng("rows");
    const { commitment, state } = await commitHiding(values, 6, rng);
    commitment.rows.forEach((row, i) => expect(row.equals(plain.commitment.rows[i]!.add(blindingGenerator().multiply(state.rowBlindings[i]!)))).toBe(true));
    const again = await commitHiding(values, 6, seededBlindingRng("rows-2"));
    commitment.rows.forEach((row, i) => expect(row.equals(again.commitment.rows[i]!)).toBe(false));
    const bytes = hidingCommitmentBytes(commitment);
    expect(decodeHidingCommitment(bytes)?.rows.every((p, i) => p.equals(commitment.rows[i]!))).toBe(true);
    expect(decodeHidingCommitment(bytes.slice(0, -1))).toBeNull();
  });
});

describe("zero-knowledge Hyrax evaluation", () => {
  for (const [name, numVars, field] of [["small integers, odd n", 7, false], ["field elements, even n", 6, true], ["one variable", 1, false]] as const) {
    it(`completeness and the committed value (${name})`, async () => {
      const r = makeRng(numVars);
      const values = field ? FrVector.fromBigints(Array.from({ length: 2 ** numVars }, r.field)) : smallInts(numVars, 2 ** numVars);
      const rng = seededBlindingRng(name);
      const { commitment, state } = await commitHiding(values, numVars, rng);
      const point = randomPoint(99, numVars);
      const setup = (t: Transcript) => absorbHidingCommitment(t, "c", commitment);
      const tp = new Transcript("zkh");
      setup(tp);
      const { proof, value, opening } = await proveZkEvaluation(state, point, tp, rng);
      expect(value).toBe(evaluateMle(state.table, point));
      expect(commitScalar(opening.value, opening.blinding).equals(proof.valueCommitments[0]!)).toBe(true);
      let cv: ReturnType<typeof zkEvaluationCheck> | undefined;
      expect(await accepts("zkh", (t) => (cv = zkEvaluationCheck(commitment, point, proof, t)), setup)).toBe(true);
      expect(cv!.ok && cv!.valueCommitments[0]!.equals(proof.valueCommitments[0]!)).toBe(true);
      // opening the committed value for a public claim
      const revealed = proveValueOpening(opening, tp);
      const t2 = new Transcript("zkh");
      setup(t2);
      const res = zkEvaluationCheck(commitment, point, proof, t2);
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      const op = checkValueOpening(res.valueCommitments[0]!, revealed, t2);
      expect(op.ok && op.value).toBe(value);
      expect(await accepts("zkh", (t) => {
        const e = zkEvaluationCheck(commitment, point, proof, t);
        if (!e.ok) return e;
        const o = checkValueOpening(e.valueCommitments[0]!, { ...revealed, value: Fr.add(value, 1n) }, t);
        return o.ok ? { ok: true, checks: [...e.checks, ...o.checks] } : o;
      }, setup)).toBe(false);
    });
  }

  it("rejects every changed proof element, a wrong point, another commitment and another transcript", async () => {
    const { commitment, other, point, setup, proof } = await evaluationFixture("snd", 5, 5);
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, proof, t), setup)).toBe(true);
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, toProofTree(proof), t), setup)).toBe(true);
    for (const path of leaves(proof)) expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, tamper(proof, path), t), setup), path.join(".")).toBe(false);
    const wrongPoint = [...point];
    wrongPoint[2] = Fr.add(wrongPoint[2]!, 1n);
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, wrongPoint, proof, t), setup)).toBe(false);
    expect(await accepts("snd", (t) => zkEvaluationCheck(other.commitment, point, proof, t), setup)).toBe(false);
    const swappedRows = { ...commitment, rows: [commitment.rows[1]!, commitment.rows[0]!, ...commitment.rows.slice(2)] };
    expect(await accepts("snd", (t) => zkEvaluationCheck(swappedRows, point, proof, t), setup)).toBe(false);
    expect(await accepts("snd-2", (t) => zkEvaluationCheck(commitment, point, proof, t), setup)).toBe(false);
    // a different committed value (the prover claiming v + 1 cannot reuse the proof)
    const shifted = { ...proof, valueCommitments: [proof.valueCommitments[0]!.add(valueGenerator())] };
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, shifted, t), setup)).toBe(false);
    for (const bad of [null, {}, { ...proof, dot: null }, { ...proof, valueCommitments: [1n] }, { ...proof, valueCommitments: [] }]) expect(zkEvaluationCheck(commitment, point, bad, new Transcript("snd")).ok).toBe(false);
    expect(zkEvaluationCheck(commitment, point.slice(1), proof, new Transcript("snd")).ok).toBe(false);
  });

  it("hides: no table value, no entry of w, no value in the proof; two proofs share no element", async () => {
    const numVars = 8;
    const values = smallInts(8, 256);
    const { commitment, state } = await commitHiding(values, numVars, seededBlindingRng("hide"));
    const point = randomPoint(8, numVars);
    const run = async (seed: string) => {
      const t = new Transcript("hide");
      absorbHidingCommitment(t, "c", commitment);
      return proveZkEvaluation(state, point, t, seededBlindingRng(seed));
    };
    const a = await run("a");
    const bytes = zkEvaluationProofBytes(a.proof);
    const w = rowCombination(state.table, point.slice(0, commitment.rowVars)).toBigints();
    const secrets = new Set<bigint>([...values.map((v) => Fr.fromSigned(v)), ...w, a.value]);
    for (const s of secrets) expect(containsBytes(bytes, fieldBytes(s)), `secret ${s}`).toBe(false);
    const b = await run("b");
    const cb = chunks(zkEvaluationProofBytes(b.proof));
    expect([...chunks(bytes)].filter((x) => cb.has(x))).toEqual([]);
  });
});

describe("zero-knowledge Hyrax evaluation with the log-size dot-product proof", () => {
  it("completeness, every tamper, the other protocol's verifier, hiding, batch", async () => {
    const { rng, values, commitment, state, other, point, setup, proof, value } = await evaluationFixture("log", 60, 8, { logSize: true });
    expect(value).toBe(evaluateMle(state.table, point));
    expect(proof.dot).toBeUndefined();
    expect(proof.dotLog!.L.length).toBe(4);
    expect(await accepts("log", (t) => zkEvaluationCheck(commitment, point, proof, t, { logSize: true }), setup)).toBe(true);
    expect(await accepts("log", (t) => zkEvaluationCheck(commitment, point, proof, t), setup)).toBe(false);
    for (const path of leaves(proof)) expect(await accepts("log", (t) => zkEvaluationCheck(commitment, point, tamper(proof, path), t, { logSize: true }), setup), path.join(".")).toBe(false);
    expect(await accepts("log", (t) => zkEvaluationCheck(other.commitment, point, proof, t, { logSize: true }), setup)).toBe(false);
    const bytes = zkEvaluationProofBytes(proof);
    expect(bytes.length).toBe(32 * (1 + 2 * 4 + 1 + 2));
    const w = rowCombination(state.table, point.slice(0, commitment.rowVars)).toBigints();
    for (const s of new Set([...values.map((v) => Fr.fromSigned(v)), ...w, value])) expect(containsBytes(bytes, fieldBytes(s))).toBe(false);
    // batch of two
    const tb = new Transcript("log");
    setup(tb);
    absorbHidingCommitment(tb, "o", other.commitment);
    const batch = await proveZkBatchEvaluation([state, other.state], point, tb, rng, { logSize: true });
    const setupBoth = (t: Transcript) => {
      setup(t);
      absorbHidingCommitment(t, "o", other.commitment);
    };
    expect(await accepts("log", (t) => zkBatchEvaluationCheck([commitment, other.commitment], point, batch.proof, t, { logSize: true }), setupBoth)).toBe(true);
    expect(await accepts("log", (t) => zkBatchEvaluationCheck([other.commitment, commitment], point, batch.proof, t, { logSize: true }), setupBoth)).toBe(false);
  });
});

describe("batched zero-knowledge Hyrax evaluation", () => {
  it("proves three polynomials at one point with one dot-product proof; rejects a swapped or changed value", async () => {
    const numVars = 6;
    const rng = seededBlindingRng("batch");
    const made = await Promise.all([1, 2, 3].map((k) => commitHiding(smallInts(40 + k, 64), numVars, rng)));
    const commitments = made.map((m) => m.commitment);
    const point = randomPoint(41, numVars);
    const setup = (t: Transcript) => commitments.forEach((c, k) => absorbHidingCommitment(t, `c${k}`, c));
    const tp = new Transcript("batch");
    setup(tp);
    const { proof, values, openings } = await proveZkBatchEvaluation(made.map((m) => m.state), point, tp, rng);
    values.forEach((v, k) => expect(v).toBe(evaluateMle(made[k]!.state.table, point)));
    openings.forEach((o, k) => expect(commitScalar(o.value, o.blinding).equals(proof.valueCommitments[k]!)).toBe(true));
    expect(proof.dot!.z.length).toBe(2 ** 3);
    expect(await accepts("batch", (t) => zkBatchEvaluationCheck(commitments, point, proof, t), setup)).toBe(true);
    const swapped = { ...proof, valueCommitments: [proof.valueCommitments[1]!, proof.valueCommitments[0]!, proof.valueCommitments[2]!] };
    expect(await accepts("batch", (t) => zkBatchEvaluationCheck(commitments, point, swapped, t), setup)).toBe(false);
    for (const path of leaves(proof)) expect(await accepts("batch", (t) => zkBatchEvaluationCheck(commitments, point, tamper(proof, path), t), setup), path.join(".")).toBe(false);
    expect(await accepts("batch", (t) => zkBatchEvaluationCheck([commitments[1]!, commitments[0]!, commitments[2]!], point, proof, t), setup)).toBe(false);
    expect(zkBatchEvaluationCheck(commitments.slice(1), point, proof, new Transcript("batch")).ok).toBe(false);
    await expect(proveZkBatchEvaluation([], point, new Transcript("batch"), rng)).rejects.toThrow(RangeError);
  });
});

describe("committed claims chain: a zero-knowledge sumcheck ends on a hiding Hyrax commitment", () => {
  it("sum_x f(x)·g(x) for committed private f, g: sumcheck, then evaluations linked by equality proofs", async () => {
    const n = 6;
    const rng = seededBlindingRng("chain");
    const fv = smallInts(50, 64);
    const gv = smallInts(51, 64);
    const f = await commitHiding(fv, n, rng);
    const g = await commitHiding(gv, n, rng);
    const terms = [{ coeff: 1n, factors: [0, 1] }];
    const claimValue = Fr.fromSigned(fv.reduce((acc, v, i) => acc + BigInt(v * gv[i]!), 0n));
    const setup = (t: Transcript) => {
      absorbHidingCommitment(t, "f", f.commitment);
      absorbHidingCommitment(t, "g", g.commitment);
    };
    // prover: sumcheck (public claim), one batched evaluation at the sumcheck's point, equality of each pair
    const tp = new Transcript("chain");
    setup(tp);
    const sc = proveZkSumcheck({ polys: [f.state.table, g.state.table], terms }, { value: claimValue, blinding: 0n }, tp, rng);
    const ev = await proveZkBatchEvaluation([f.state, g.state], sc.point, tp, rng);
    const links = [0, 1].map((k) => proveEquality(sc.evalOpenings[k]!.blinding, ev.openings[k]!.blinding, tp, rng));
    const verify = (claimed: bigint, linkProofs: unknown[]) =>
      accepts("chain", (t) => {
        const v = zkSumcheckCheck(publicCommitment(claimed), { numVars: n, numPolys: 2, terms }, sc.proof, t);
        if (!v.ok) return v;
        const e = zkBatchEvaluationCheck([f.commitment, g.commitment], v.point, ev.proof, t);
        if (!e.ok) return e;
        const checks = [...v.checks, ...e.checks];
        for (let k = 0; k < 2; k++) {
          const l = checkEquality(v.evalCommitments[k]!, e.valueCommitments[k]!, linkProofs[k], t);
          if (!l.ok) return l;
          checks.push(...l.checks);
        }
        return { ok: true, checks };
      }, setup);
    expect(await verify(claimValue, links)).toBe(true);
    expect(await verify(Fr.add(claimValue, 1n), links)).toBe(false);
    expect(await verify(claimValue, [links[1], links[0]])).toBe(false);
  });
});
