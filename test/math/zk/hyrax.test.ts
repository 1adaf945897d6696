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
  proveValueOpening,
  proveZkEvaluation,
  seededBlindingRng,
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
      expect(commitScalar(opening.value, opening.blinding).equals(proof.valueCommitment)).toBe(true);
      let cv: ReturnType<typeof zkEvaluationCheck> | undefined;
      expect(await accepts("zkh", (t) => (cv = zkEvaluationCheck(commitment, point, proof, t)), setup)).toBe(true);
      expect(cv!.ok && cv!.valueCommitment.equals(proof.valueCommitment)).toBe(true);
      // opening the committed value for a public claim
      const revealed = proveValueOpening(opening, tp);
      const t2 = new Transcript("zkh");
      setup(t2);
      const res = zkEvaluationCheck(commitment, point, proof, t2);
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      const op = checkValueOpening(res.valueCommitment, revealed, t2);
      expect(op.ok && op.value).toBe(value);
      expect(await accepts("zkh", (t) => {
        const e = zkEvaluationCheck(commitment, point, proof, t);
        if (!e.ok) return e;
        const o = checkValueOpening(e.valueCommitment, { ...revealed, value: Fr.add(value, 1n) }, t);
        return o.ok ? { ok: true, checks: [...e.checks, ...o.checks] } : o;
      }, setup)).toBe(false);
    });
  }

  it("rejects every changed proof element, a wrong point, another commitment and another transcript", async () => {
    const numVars = 5;
    const values = smallInts(5, 32);
    const rng = seededBlindingRng("snd");
    const { commitment, state } = await commitHiding(values, numVars, rng);
    const other = await commitHiding(smallInts(6, 32), numVars, rng);
    const point = randomPoint(5, numVars);
    const setup = (t: Transcript) => absorbHidingCommitment(t, "c", commitment);
    const tp = new Transcript("snd");
    setup(tp);
    const { proof } = await proveZkEvaluation(state, point, tp, rng);
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, proof, t), setup)).toBe(true);
    for (const path of leaves(proof)) expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, tamper(proof, path), t), setup), path.join(".")).toBe(false);
    const wrongPoint = [...point];
    wrongPoint[2] = Fr.add(wrongPoint[2]!, 1n);
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, wrongPoint, proof, t), setup)).toBe(false);
    expect(await accepts("snd", (t) => zkEvaluationCheck(other.commitment, point, proof, t), setup)).toBe(false);
    const swappedRows = { ...commitment, rows: [commitment.rows[1]!, commitment.rows[0]!, ...commitment.rows.slice(2)] };
    expect(await accepts("snd", (t) => zkEvaluationCheck(swappedRows, point, proof, t), setup)).toBe(false);
    expect(await accepts("snd-2", (t) => zkEvaluationCheck(commitment, point, proof, t), setup)).toBe(false);
    // a different committed value (the prover claiming v + 1 cannot reuse the proof)
    const shifted = { ...proof, valueCommitment: proof.valueCommitment.add(valueGenerator()) };
    expect(await accepts("snd", (t) => zkEvaluationCheck(commitment, point, shifted, t), setup)).toBe(false);
    for (const bad of [null, {}, { ...proof, dot: null }, { ...proof, valueCommitment: 1n }]) expect(zkEvaluationCheck(commitment, point, bad, new Transcript("snd")).ok).toBe(false);
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
