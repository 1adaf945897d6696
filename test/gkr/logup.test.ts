import { describe, expect, it } from "vitest";
import { FR_MODULUS, Fr, FrVector } from "../../backends/math/field.js";
import { evaluateMle } from "../../backends/math/mle.js";
import { Transcript } from "../../backends/math/transcript.js";
import {
  columnsTable,
  indexMultiplicities,
  proveFractionSums,
  proveLogup,
  rangeMultiplicities,
  tableColumnEvals,
  verifyFractionSums,
  verifyLogup,
  witnessLeafValue,
  type LogupStatement,
  type LogupWitness,
} from "../../backends/gkr/logup.js";
import { makeRng } from "../math/rng.js";

type Rng = ReturnType<typeof makeRng>;

/** Prove, verify, and check the leaf claims against the real columns (what a caller does with openings). */
function roundTrip(s: LogupStatement, w: LogupWitness, tamper?: (proof: any) => void, verifierStatement: LogupStatement = s) {
  const proved = proveLogup(s, w, new Transcript("logup-test"));
  if (tamper) tamper(proved.proof);
  const v = verifyLogup(verifierStatement, proved.proof, new Transcript("logup-test"));
  if (!v.ok) return v;
  // discharge: the leaf denominators against the witness columns, m against the multiplicities
  for (let i = 0; i < w.columns.length; i++) {
    const evals = w.columns[i]!.map((c) => evaluateMle(c, v.claims.point));
    if (v.claims.witnessLeaves[i] !== witnessLeafValue(v.claims.alpha, v.claims.beta, evals)) return { ok: false as const, reason: `leaf ${i} differs from the columns` };
  }
  for (let t = 0; t < w.multiplicities.length; t++) {
    const c = v.claims.multiplicityClaims[t]!;
    if (evaluateMle(w.multiplicities[t]!, c.point) !== c.value) return { ok: false as const, reason: `m ${t} claim is false` };
  }
  return v;
}

/**
 * A dishonest prover: the same messages as proveLogup but without its balance check, so the
 * verifier (not the prover's own refusal) must catch a bad witness.
 */
function cheatingProof(s: LogupStatement, w: LogupWitness, label = "logup-test") {
  const t = new Transcript(label);
  const alpha = t.challenge("logup/alpha");
  const beta = t.challenge("logup/beta");
  const den = (cols: readonly FrVector[]) => {
    const n = cols[0]!.length;
    return FrVector.fromBigints(Array.from({ length: n }, (_, i) => witnessLeafValue(alpha, beta, cols.map((c) => c.get(i)))));
  };
  const trees = [
    ...w.columns.map((cols) => ({ p: FrVector.filled(cols[0]!.length, 1n), q: den(cols) })),
    ...s.tables.map((tab, i) => ({
      p: w.multiplicities[i]!,
      q: den(tab.kind === "range" ? [FrVector.fromInt32(Int32Array.from({ length: 2 ** tab.bits }, (_, j) => j))] : tab.columns),
    })),
  ];
  return { fractions: proveFractionSums(trees, t).proof };
}

const ints = (rng: Rng, n: number, below: number) => Int32Array.from({ length: n }, () => rng.below(below));

describe("fraction-sum GKR", () => {
  it("proves the roots of trees of different depths; the leaf claims are true", () => {
    const rng = makeRng(1);
    const trees = [3, 5, 0, 5].map((d) => ({
      p: FrVector.fromBigints(Array.from({ length: 2 ** d }, () => rng.field())),
      q: FrVector.fromBigints(Array.from({ length: 2 ** d }, () => rng.field())),
    }));
    const { proof, roots } = proveFractionSums(trees, new Transcript("f"));
    trees.forEach((t, j) => {
      let num = 0n;
      let den = 1n;
      for (let i = 0; i < t.p.length; i++) {
        num = Fr.add(Fr.mul(num, t.q.get(i)), Fr.mul(t.p.get(i), den));
        den = Fr.mul(den, t.q.get(i));
      }
      expect(Fr.mul(roots[j]![0], den)).toBe(Fr.mul(num, roots[j]![1]));
    });
    const v = verifyFractionSums([3, 5, 0, 5], proof, new Transcript("f"));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    v.leaves.forEach((l, j) => {
      expect(evaluateMle(trees[j]!.p, l.point)).toBe(l.p);
      expect(evaluateMle(trees[j]!.q, l.point)).toBe(l.q);
    });
    expect(v.leaves[1]!.point).toEqual(v.leaves[3]!.point);
    // a tampered child value or root is rejected
    const bad = structuredClone(proof);
    bad.layers[2]!.children[1] = (bad.layers[2]!.children[1]! + 1n) % FR_MODULUS;
    expect(verifyFractionSums([3, 5, 0, 5], bad, new Transcript("f")).ok).toBe(false);
    const badRoot = structuredClone(proof);
    badRoot.roots[0] = (badRoot.roots[0]! + 1n) % FR_MODULUS;
    const vr = verifyFractionSums([3, 5, 0, 5], badRoot, new Transcript("f"));
    // a changed root changes the claim of layer 0, so its sumcheck or the leaves no longer hold
    expect(vr.ok && evaluateMle(trees[0]!.p, vr.leaves[0]!.point) === vr.leaves[0]!.p).toBe(false);
  });
});

describe("logUp", () => {
  it("range check: honest accepted; value outside the table, wrong multiplicity, tampered layer, wrong root rejected", () => {
    const rng = makeRng(2);
    const bits = 6;
    const a = ints(rng, 256, 64);
    const b = ints(rng, 256, 64);
    const s: LogupStatement = { tables: [{ kind: "range", bits }], witnessTables: [0, 0], witnessVars: 8 };
    const w: LogupWitness = { columns: [[FrVector.fromInt32(a)], [FrVector.fromInt32(b)]], multiplicities: [rangeMultiplicities(bits, [a, b])] };
    expect(roundTrip(s, w).ok).toBe(true);

    // a value outside [0, 64): the honest prover refuses; a prover that forces it (m as if in range) fails
    const out = a.slice();
    out[17] = 64;
    expect(() => rangeMultiplicities(bits, [out, b])).toThrow(RangeError);
    const forced: LogupWitness = { columns: [[FrVector.fromInt32(out)], [FrVector.fromInt32(b)]], multiplicities: [rangeMultiplicities(bits, [a, b])] };
    expect(() => proveLogup(s, forced, new Transcript("logup-test"))).toThrow(/witness sum differs/);
    expect(verifyLogup(s, cheatingProof(s, w), new Transcript("logup-test")).ok).toBe(true); // the cheating path is faithful
    const vOut = verifyLogup(s, cheatingProof(s, forced), new Transcript("logup-test"));
    expect(vOut.ok).toBe(false);
    if (!vOut.ok) expect(vOut.reason).toMatch(/witness sum differs/);
    // negative value (r - 1) likewise
    const neg = a.slice();
    neg[3] = -1;
    expect(() => proveLogup(s, { ...forced, columns: [[FrVector.fromInt32(neg)], [FrVector.fromInt32(b)]] }, new Transcript("logup-test"))).toThrow(/witness sum differs/);

    // wrong multiplicity
    const m = rangeMultiplicities(bits, [a, b]);
    const mBad = m.clone();
    mBad.set(5, Fr.add(m.get(5), 1n));
    expect(() => proveLogup(s, { ...w, multiplicities: [mBad] }, new Transcript("logup-test"))).toThrow(/witness sum differs/);
    expect(verifyLogup(s, cheatingProof(s, { ...w, multiplicities: [mBad] }), new Transcript("logup-test")).ok).toBe(false);

    // tampered layer message, sumcheck round, root
    expect(roundTrip(s, w, (p) => (p.fractions.layers[4].children[0] = (p.fractions.layers[4].children[0] + 1n) % FR_MODULUS)).ok).toBe(false);
    expect(roundTrip(s, w, (p) => (p.fractions.layers[5].sumcheck.rounds[2][1] = (p.fractions.layers[5].sumcheck.rounds[2][1] + 1n) % FR_MODULUS)).ok).toBe(false);
    expect(roundTrip(s, w, (p) => (p.fractions.roots[0] = (p.fractions.roots[0] + 1n) % FR_MODULUS)).ok).toBe(false);
    // a verifier with a smaller table rejects the same proof
    expect(roundTrip(s, w, undefined, { ...s, tables: [{ kind: "range", bits: 5 }] }).ok).toBe(false);
    // malformed proofs: rejected, not thrown
    for (const junk of [null, {}, { fractions: { roots: [], layers: [] } }, { fractions: { roots: "x" } }]) {
      expect(verifyLogup(s, junk, new Transcript("logup-test")).ok).toBe(false);
    }
  });

  it("a cheating prover with a consistent-looking sum is caught by the leaf check", () => {
    // The prover proves the fraction sum for an in-range column but the committed column is another one:
    // the verifier's leaf check (done by the caller with an opening) fails.
    const rng = makeRng(3);
    const a = ints(rng, 64, 16);
    const s: LogupStatement = { tables: [{ kind: "range", bits: 4 }], witnessTables: [0], witnessVars: 6 };
    const proved = proveLogup(s, { columns: [[FrVector.fromInt32(a)]], multiplicities: [rangeMultiplicities(4, [a])] }, new Transcript("t"));
    const v = verifyLogup(s, proved.proof, new Transcript("t"));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const other = a.slice();
    other[0] = 16;
    const e = evaluateMle(FrVector.fromInt32(other), v.claims.point);
    expect(witnessLeafValue(v.claims.alpha, v.claims.beta, [e])).not.toBe(v.claims.witnessLeaves[0]);
  });

  it("function lookup (x, f(x)) pairs: honest accepted; a wrong output rejected", () => {
    const rng = makeRng(4);
    const lo = -20;
    const f = (x: number) => Math.floor((x * x) / 7) - 3;
    const rows = Array.from({ length: 41 }, (_, t) => [Fr.fromSigned(lo + t), Fr.fromSigned(f(lo + t))]);
    const table = columnsTable(rows);
    const xs = Int32Array.from({ length: 128 }, () => lo + rng.below(41));
    const ys = xs.map(f);
    const s: LogupStatement = { tables: [table], witnessTables: [0], witnessVars: 7 };
    const match = xs.map((x) => x - lo);
    const w: LogupWitness = { columns: [[FrVector.fromInt32(xs), FrVector.fromInt32(ys)]], multiplicities: [indexMultiplicities(64, [match])] };
    expect(roundTrip(s, w).ok).toBe(true);
    // table padding repeats the last row: multiplicity on a padding row is a legitimate use of that row
    const mPad = indexMultiplicities(64, [match]).clone();
    const xs2 = xs.slice();
    const ys2 = ys.slice();
    xs2[0] = lo + 40;
    ys2[0] = f(lo + 40);
    const match2 = xs2.map((x) => x - lo);
    match2[0] = 63; // count it on a padding row
    const w2: LogupWitness = { columns: [[FrVector.fromInt32(xs2), FrVector.fromInt32(ys2)]], multiplicities: [indexMultiplicities(64, [match2])] };
    expect(roundTrip(s, w2).ok).toBe(true);
    expect(mPad.get(63)).toBe(0n);
    // wrong output for one x
    const ysBad = ys.slice();
    ysBad[9]! += 1;
    const wBad = { ...w, columns: [[FrVector.fromInt32(xs), FrVector.fromInt32(ysBad)]] };
    expect(() => proveLogup(s, wBad, new Transcript("logup-test"))).toThrow(/witness sum differs/);
    expect(verifyLogup(s, cheatingProof(s, wBad), new Transcript("logup-test")).ok).toBe(false);
    expect(tableColumnEvals(table, [0n, 0n, 0n, 0n, 0n, 0n])).toEqual([Fr.fromSigned(lo), Fr.fromSigned(f(lo))]);
  });
});
