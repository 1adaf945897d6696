import { afterAll, describe, expect, it } from "vitest";
import { terminateCurve } from "../../../backends/math/commit/index.js";
import { Fr, FrVector } from "../../../backends/math/field.js";
import { eqEval, eqTable } from "../../../backends/math/mle.js";
import { combineTermEvals, runSumcheckRounds, type ProductTerm, type SumcheckInstance } from "../../../backends/math/sumcheck.js";
import { Transcript } from "../../../backends/math/transcript.js";
import { ByteReader, ByteWriter, decodeTree, encodeTree } from "../../../runtime/link/binary.js";
import {
  commitScalar,
  cryptoBlindingRng,
  msmSync,
  proveZkSumcheck,
  publicCommitment,
  seededBlindingRng,
  toProofTree,
  valueGenerator,
  valuesToCoefficients,
  zkSumcheckCheck,
  zkSumcheckProofBytes,
  type ZkSumcheckShape,
} from "../../../backends/math/zk/index.js";
import { makeRng } from "../rng.js";
import { accepts, chunks, containsBytes, fieldBytes, leaves, tamper } from "./helpers.js";

afterAll(async () => {
  await terminateCurve();
});

function sumOf(inst: SumcheckInstance): bigint {
  const vals = inst.polys.map((p) => p.toBigints());
  let acc = 0n;
  for (let x = 0; x < inst.polys[0]!.length; x++) acc = Fr.add(acc, combineTermEvals(inst.terms, vals.map((v) => v[x]!)));
  return acc;
}

/** Tables of small signed integers (a quantised witness), or of random field elements. */
function tables(seed: number, n: number, count: number, small: boolean): { polys: FrVector[]; ints: number[][] } {
  const r = makeRng(seed);
  const ints = Array.from({ length: count }, () => Array.from({ length: 1 << n }, () => (r.below(255) - 127)));
  const polys = small ? ints.map((t) => FrVector.fromInt32(t)) : ints.map(() => FrVector.fromBigints(Array.from({ length: 1 << n }, r.field)));
  return { polys, ints };
}

const TERMS: Record<string, ProductTerm[]> = {
  "degree 1": [{ coeff: 3n, factors: [0] }],
  "f·g (degree 2)": [{ coeff: 1n, factors: [0, 1] }],
  "c1·f1·g1 + c2·f2": [
    { coeff: 5n, factors: [0, 1] },
    { coeff: Fr.neg(7n), factors: [2] },
  ],
  "eq·A·B (degree 3)": [{ coeff: 1n, factors: [0, 1, 2] }],
};

describe("zero-knowledge sumcheck: completeness", () => {
  for (const [name, terms] of Object.entries(TERMS)) {
    it(`${name}, public claim`, async () => {
      const n = 5;
      const numPolys = Math.max(...terms.flatMap((t) => t.factors)) + 1;
      const inst = { polys: tables(11, n, numPolys, false).polys, terms };
      const claim = sumOf(inst);
      const out = proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("zks"), seededBlindingRng(name));
      const shape: ZkSumcheckShape = { numVars: n, numPolys, terms };
      let verdict: ReturnType<typeof zkSumcheckCheck> | undefined;
      expect(await accepts("zks", (t) => (verdict = zkSumcheckCheck(publicCommitment(claim), shape, out.proof, t)))).toBe(true);
      expect(verdict!.ok && verdict!.point).toEqual(out.point);
      expect(verdict!.ok && msmSync(verdict!.finalCommitment.points, verdict!.finalCommitment.scalars).equals(commitScalar(out.finalOpening.value, out.finalOpening.blinding))).toBe(true);
      // the eval commitments open to the polynomials' values at the point
      out.evalOpenings.forEach((o, f) => {
        expect(o.value).toBe(out.polyEvals[f]);
        expect(commitScalar(o.value, o.blinding).equals(out.evalCommitments[f]!)).toBe(true);
        expect(verdict!.ok && verdict!.evalCommitments[f]!.equals(out.evalCommitments[f]!)).toBe(true);
      });
      expect(combineTermEvals(terms, out.polyEvals)).toBe(out.finalOpening.value);
    });
  }

  it("GKR shape eq(r', x)·A(x)·B(x) with eq public (the verifier evaluates it), committed claim", async () => {
    const n = 6;
    const r = makeRng(3);
    const rPrev = Array.from({ length: n }, r.field);
    const { polys } = tables(12, n, 2, true);
    const inst = { polys: [eqTable(rPrev), ...polys], terms: TERMS["eq·A·B (degree 3)"]! };
    const claim = { value: sumOf(inst), blinding: r.field() };
    const C = commitScalar(claim.value, claim.blinding);
    const out = proveZkSumcheck(inst, claim, new Transcript("gkr"), seededBlindingRng("gkr"), { publicPolys: [0] });
    expect(out.proof.evals.length).toBe(2);
    const shape: ZkSumcheckShape = { numVars: n, numPolys: 3, terms: inst.terms, publicPolys: [0] };
    const evalEq = (_: number, point: readonly bigint[]) => eqEval(rPrev, point);
    expect(await accepts("gkr", (t) => zkSumcheckCheck(C, shape, out.proof, t, evalEq))).toBe(true);
    // a wrong public evaluation is rejected
    expect(await accepts("gkr", (t) => zkSumcheckCheck(C, shape, out.proof, t, (f, p) => Fr.add(evalEq(f, p), 1n)))).toBe(false);
    // the public polynomial needs its evaluator
    expect(zkSumcheckCheck(C, shape, out.proof, new Transcript("gkr")).ok).toBe(false);
  });

  it("no variables (n = 0) and a wrong claim throws in the prover", async () => {
    const inst = { polys: [FrVector.fromInt32([6]), FrVector.fromInt32([7])], terms: TERMS["f·g (degree 2)"]! };
    const out = proveZkSumcheck(inst, { value: 42n, blinding: 5n }, new Transcript("z0"), seededBlindingRng("z0"));
    expect(await accepts("z0", (t) => zkSumcheckCheck(commitScalar(42n, 5n), { numVars: 0, numPolys: 2, terms: inst.terms }, out.proof, t))).toBe(true);
    expect(await accepts("z0", (t) => zkSumcheckCheck(commitScalar(43n, 5n), { numVars: 0, numPolys: 2, terms: inst.terms }, out.proof, t))).toBe(false);
    const big = { polys: tables(1, 3, 2, true).polys, terms: TERMS["f·g (degree 2)"]! };
    expect(() => proveZkSumcheck(big, { value: Fr.add(sumOf(big), 1n), blinding: 0n }, new Transcript("z"), seededBlindingRng("z"))).toThrow(RangeError);
  });

  it("with blinding from the platform CSPRNG (the real-proof configuration)", async () => {
    const terms = TERMS["c1·f1·g1 + c2·f2"]!;
    const inst = { polys: tables(13, 4, 3, true).polys, terms };
    const claim = { value: sumOf(inst), blinding: cryptoBlindingRng().scalar() };
    const out = proveZkSumcheck(inst, claim, new Transcript("csprng"), cryptoBlindingRng());
    const C = commitScalar(claim.value, claim.blinding);
    expect(await accepts("csprng", (t) => zkSumcheckCheck(C, { numVars: 4, numPolys: 3, terms }, out.proof, t))).toBe(true);
  });

  it("values to coefficients inverts evaluation", () => {
    const r = makeRng(9);
    for (const d of [1, 2, 3, 5]) {
      const coeffs = Array.from({ length: d + 1 }, r.field);
      const values = Array.from({ length: d + 1 }, (_, x) => coeffs.reduceRight((acc, c) => Fr.add(Fr.mul(acc, BigInt(x)), c), 0n));
      expect(valuesToCoefficients(values)).toEqual(coeffs);
    }
  });
});

describe("zero-knowledge sumcheck: soundness", () => {
  const n = 3;
  const terms = TERMS["c1·f1·g1 + c2·f2"]!;
  const shape: ZkSumcheckShape = { numVars: n, numPolys: 3, terms };
  const inst = { polys: tables(21, n, 3, true).polys, terms };
  const claim = sumOf(inst);
  const C = publicCommitment(claim);
  const out = proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("snd"), seededBlindingRng("snd"));

  it("rejects every changed proof element", async () => {
    const paths = leaves(out.proof);
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, tamper(out.proof, path), t)), path.join(".")).toBe(false);
  });

  it("verifies the proof tree (points as compressed bytes, as proof files carry them); a flipped byte is rejected", async () => {
    const tree = toProofTree(out.proof) as { rounds: Uint8Array[][] };
    expect(tree.rounds[0]![0]).toBeInstanceOf(Uint8Array);
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, tree, t))).toBe(true);
    for (const bit of [0, 7, 255]) {
      const bad = structuredClone(tree);
      bad.rounds[1]![2]![bit >> 3]! ^= 1 << (bit & 7);
      expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, bad, t))).toBe(false);
    }
    // through the proof files' binary value-tree codec and back
    const w = new ByteWriter();
    encodeTree(tree, w);
    const bytes = w.finish();
    const decoded = decodeTree(new ByteReader(bytes), "proof");
    expect(bytes.length).toBeLessThan(zkSumcheckProofBytes(out.proof).length + 200);
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, decoded, t))).toBe(true);
    const short = structuredClone(tree);
    short.rounds[0]![0] = short.rounds[0]![0]!.subarray(0, 31);
    expect(zkSumcheckCheck(C, shape, short, new Transcript("snd")).ok).toBe(false);
  });

  it("rejects a wrong claim, another transcript, another shape, swapped rounds and malformed data", async () => {
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, out.proof, t))).toBe(true);
    expect(await accepts("snd", (t) => zkSumcheckCheck(publicCommitment(Fr.add(claim, 1n)), shape, out.proof, t))).toBe(false);
    expect(await accepts("snd", (t) => zkSumcheckCheck(C.add(valueGenerator()), shape, out.proof, t))).toBe(false);
    expect(await accepts("other", (t) => zkSumcheckCheck(C, shape, out.proof, t))).toBe(false);
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, out.proof, t), (t) => t.absorbBytes("extra", new Uint8Array(1)))).toBe(false);
    const otherTerms = [{ coeff: 5n, factors: [0, 1] }, { coeff: Fr.neg(6n), factors: [2] }];
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, { ...shape, terms: otherTerms }, out.proof, t))).toBe(false);
    const swapped = { ...out.proof, rounds: [out.proof.rounds[1]!, out.proof.rounds[0]!, out.proof.rounds[2]!] };
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, swapped, t))).toBe(false);
    const swappedEvals = { ...out.proof, evals: [out.proof.evals[1]!, out.proof.evals[0]!, out.proof.evals[2]!] };
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, swappedEvals, t))).toBe(false);
    for (const bad of [null, {}, { ...out.proof, rounds: out.proof.rounds.slice(1) }, { ...out.proof, evals: [] }, { ...out.proof, products: [] }, { ...out.proof, zero: 3 }, { ...out.proof, rounds: out.proof.rounds.map((r) => r.slice(1)) }]) {
      expect(zkSumcheckCheck(C, shape, bad, new Transcript("snd")).ok).toBe(false);
    }
    expect(zkSumcheckCheck(C, { ...shape, numVars: 4 }, out.proof, new Transcript("snd")).ok).toBe(false);
  });

  it("an honest proof of another claim (the witness changed) is rejected for the true claim", async () => {
    // cheat: prove a wrong claim by running the honest prover on a modified instance whose sum is claim + 1
    const shifted = { polys: [...inst.polys.slice(0, 2), inst.polys[2]!.clone()], terms };
    const v0 = shifted.polys[2]!.get(0);
    shifted.polys[2]!.set(0, Fr.add(v0, Fr.inv(Fr.neg(7n)))); // c2·f2 sum moves by +1
    expect(sumOf(shifted)).toBe(Fr.add(claim, 1n));
    const cheat = proveZkSumcheck(shifted, { value: Fr.add(claim, 1n), blinding: 0n }, new Transcript("snd"), seededBlindingRng("cheat"));
    // it verifies for its own claim, not for the true one
    expect(await accepts("snd", (t) => zkSumcheckCheck(publicCommitment(Fr.add(claim, 1n)), shape, cheat.proof, t))).toBe(true);
    expect(await accepts("snd", (t) => zkSumcheckCheck(C, shape, cheat.proof, t))).toBe(false);
  });
});

describe("zero-knowledge sumcheck: hiding", () => {
  const n = 4;
  const terms = TERMS["eq·A·B (degree 3)"]!;
  const { polys, ints } = tables(31, n, 3, true);
  const inst = { polys, terms };
  const claim = sumOf(inst);

  it("the proof bytes contain no witness value, round coefficient, round value or evaluation", () => {
    const out = proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("hide"), seededBlindingRng("hide"));
    const bytes = zkSumcheckProofBytes(out.proof);
    // the round polynomials this run committed to: the same rounds replayed at the proof's own point
    const roundValues: bigint[][] = [];
    let i = 0;
    runSumcheckRounds(inst, claim, { start: () => {}, round: (values) => (roundValues.push([...values]), out.point[i++]!) });
    const secrets = new Set<bigint>([...ints.flat().map((v) => Fr.fromSigned(v)), ...roundValues.flat(), ...roundValues.flatMap((v) => valuesToCoefficients(v)), ...out.polyEvals, out.finalOpening.value]);
    expect(secrets.size).toBeGreaterThan(60);
    for (const s of secrets) expect(containsBytes(bytes, fieldBytes(s)), `secret ${s}`).toBe(false);
  });

  it("two proofs of one statement with different blinding share no element", () => {
    const a = zkSumcheckProofBytes(proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("hide"), seededBlindingRng("one")).proof);
    const b = zkSumcheckProofBytes(proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("hide"), seededBlindingRng("two")).proof);
    expect(a.length).toBe(b.length);
    const ca = chunks(a);
    const shared = [...chunks(b)].filter((x) => ca.has(x));
    expect(shared).toEqual([]);
    // the same seed gives the same proof (determinism of the test RNG)
    const a2 = zkSumcheckProofBytes(proveZkSumcheck(inst, { value: claim, blinding: 0n }, new Transcript("hide"), seededBlindingRng("one")).proof);
    expect(Buffer.from(a2).equals(Buffer.from(a))).toBe(true);
  });
});
