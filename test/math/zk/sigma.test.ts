import { afterAll, describe, expect, it } from "vitest";
import { G1, PointSet, terminateCurve } from "../../../backends/math/commit/index.js";
import { Fr } from "../../../backends/math/field.js";
import { Transcript } from "../../../backends/math/transcript.js";
import {
  absorbPoints,
  blindingGenerator,
  checkDotProduct,
  checkDotProductLog,
  proveDotProductLog,
  checkEquality,
  checkOpening,
  checkProduct,
  commitScalar,
  commitVector,
  cryptoBlindingRng,
  proveDotProduct,
  proveEquality,
  proveOpening,
  proveProduct,
  seededBlindingRng,
  valueGenerator,
  vectorGenerators,
} from "../../../backends/math/zk/index.js";
import { makeRng } from "../rng.js";
import { accepts, leaves, tamper } from "./helpers.js";

afterAll(async () => {
  await terminateCurve();
});

describe("Pedersen commitments and blinding", () => {
  it("uses generators with no shared family: g, H and the vector generators are distinct", () => {
    const g = valueGenerator();
    const H = blindingGenerator();
    const G = vectorGenerators(4);
    const all = [g, H, ...G].map((p) => p.toHex());
    expect(new Set(all).size).toBe(all.length);
  });

  it("is additively homomorphic and hides the value (a different blinding gives a different point)", () => {
    const a = commitScalar(5n, 11n);
    const b = commitScalar(7n, 13n);
    expect(a.add(b).equals(commitScalar(12n, 24n))).toBe(true);
    expect(commitScalar(5n, 11n).equals(commitScalar(5n, 12n))).toBe(false);
    expect(commitVector([1n, 2n], 3n).add(commitVector([4n, 5n], 6n)).equals(commitVector([5n, 7n], 9n))).toBe(true);
  });

  it("seeded blinding is deterministic per seed; the crypto one gives canonical, varying scalars", () => {
    const x = seededBlindingRng("s");
    const y = seededBlindingRng("s");
    const z = seededBlindingRng("t");
    const xs = [x.scalar(), x.scalar()];
    expect([y.scalar(), y.scalar()]).toEqual(xs);
    expect(z.scalar()).not.toBe(xs[0]);
    expect(xs[0]).not.toBe(xs[1]);
    const c = cryptoBlindingRng();
    const cs = [c.scalar(), c.scalar()];
    expect(cs.every((s) => Fr.isValid(s))).toBe(true);
    expect(cs[0]).not.toBe(cs[1]);
  });
});

/** Run a prover then a verifier on transcripts that absorbed the same statement; also every tamper of the proof. */
async function completeAndSound<P>(
  name: string,
  statement: () => Parameters<typeof absorbPoints>[2],
  prove: (t: Transcript) => P,
  check: (proof: unknown, t: Transcript) => ReturnType<typeof checkOpening>,
): Promise<void> {
  const setup = (t: Transcript) => absorbPoints(t, "statement", statement());
  const tp = new Transcript(name);
  setup(tp);
  const proof = prove(tp);
  expect(await accepts(name, (t) => check(proof, t), setup)).toBe(true);
  // each proof element changed
  const paths = leaves(proof);
  expect(paths.length).toBeGreaterThan(1);
  for (const path of paths) expect(await accepts(name, (t) => check(tamper(proof, path), t), setup), `tampered ${path.join(".")}`).toBe(false);
  // another transcript (label change)
  expect(await accepts(`${name}-other`, (t) => check(proof, t), setup)).toBe(false);
  // malformed data never throws
  const bads: unknown[] = [null, 1, "x", {}, []];
  for (const key of Object.keys(proof as object)) bads.push({ ...proof, [key]: "no" }, { ...proof, [key]: undefined });
  for (const bad of bads) expect(check(bad, new Transcript(name)).ok).toBe(false);
}

describe("Σ-protocols: completeness and every tamper rejected", () => {
  const rng = seededBlindingRng("sigma-tests");
  const r = makeRng(7);

  it("knowledge of opening", async () => {
    const o = { value: r.field(), blinding: r.field() };
    const C = commitScalar(o.value, o.blinding);
    await completeAndSound("open", () => [C], (t) => proveOpening(o, t, rng), (p, t) => checkOpening(C, p, t));
    // a commitment the prover cannot open: the proof made for C fails for C + g
    const tp = new Transcript("open");
    const proof = proveOpening(o, tp, rng);
    expect(await accepts("open", (t) => checkOpening(C.add(valueGenerator()), proof, t))).toBe(false);
  });

  it("equality of two committed values", async () => {
    const v = r.field();
    const [r1, r2] = [r.field(), r.field()];
    const C1 = commitScalar(v, r1);
    const C2 = commitScalar(v, r2);
    await completeAndSound("eq", () => [C1, C2], (t) => proveEquality(r1, r2, t, rng), (p, t) => checkEquality(C1, C2, p, t));
    // different values: the honest-looking proof fails
    const C3 = commitScalar(Fr.add(v, 1n), r2);
    const proof = proveEquality(r1, r2, new Transcript("eq"), rng);
    expect(await accepts("eq", (t) => checkEquality(C1, C3, proof, t))).toBe(false);
    // swapped commitments
    expect(await accepts("eq", (t) => checkEquality(C2, C1, proof, t))).toBe(false);
  });

  it("product", async () => {
    const x = { value: r.field(), blinding: r.field() };
    const y = { value: BigInt(r.int32()) & 0xffffn, blinding: r.field() };
    const z = { value: Fr.mul(x.value, y.value), blinding: r.field() };
    const [Cx, Cy, Cz] = [x, y, z].map((o) => commitScalar(o.value, o.blinding)) as [G1Point, G1Point, G1Point];
    await completeAndSound("prod", () => [Cx, Cy, Cz], (t) => proveProduct(x, y, z, t, rng), (p, t) => checkProduct(Cx, Cy, Cz, p, t));
    const proof = proveProduct(x, y, z, new Transcript("prod"), rng);
    expect(await accepts("prod", (t) => checkProduct(Cy, Cx, Cz, proof, t))).toBe(false); // swapped factors
    expect(await accepts("prod", (t) => checkProduct(Cx, Cy, Cz.add(valueGenerator()), proof, t))).toBe(false); // wrong product
    expect(() => proveProduct(x, y, { ...z, value: Fr.add(z.value, 1n) }, new Transcript("prod"), rng)).toThrow(RangeError);
  });

  it("dot product with a public vector (lengths 1, 4, 33)", async () => {
    for (const n of [1, 4, 33]) {
      const xs = Array.from({ length: n }, () => BigInt(r.int32()));
      const xv = xs.map((v) => Fr.fromSigned(v));
      const a = Array.from({ length: n }, () => r.field());
      const rx = r.field();
      const y = { value: xv.reduce((acc, v, j) => Fr.add(acc, Fr.mul(v, a[j]!)), 0n), blinding: r.field() };
      const Cx = commitVector(xv, rx);
      const Cy = commitScalar(y.value, y.blinding);
      await completeAndSound(`dot${n}`, () => [Cx, Cy], (t) => proveDotProduct({ values: xv, blinding: rx }, y, a, t, rng), (p, t) => checkDotProduct(Cx, Cy, a, p, t));
      const proof = proveDotProduct({ values: xv, blinding: rx }, y, a, new Transcript("dot"), rng);
      const a2 = [...a];
      a2[0] = Fr.add(a2[0]!, 1n);
      expect(await accepts("dot", (t) => checkDotProduct(Cx, Cy, a2, proof, t))).toBe(false); // another public vector
      expect(await accepts("dot", (t) => checkDotProduct(Cx, Cy.add(valueGenerator()), a, proof, t))).toBe(false); // wrong claim
      expect(checkDotProduct(Cx, Cy, [...a, 1n], proof, new Transcript("dot")).ok).toBe(false); // wrong length
    }
  });
});

describe("log-size dot product", () => {
  const rng = seededBlindingRng("dot-log");
  for (const n of [1, 2, 8, 64]) {
    it(`length ${n}: completeness, every tamper, wrong claim, wrong vector, other transcript, hiding`, async () => {
      const r = makeRng(n);
      const xv = Array.from({ length: n }, () => Fr.fromSigned(r.below(255) - 127));
      const a = Array.from({ length: n }, () => r.field());
      const rx = r.field();
      const y = { value: xv.reduce((acc, v, j) => Fr.add(acc, Fr.mul(v, a[j]!)), 0n), blinding: r.field() };
      const gens = vectorGenerators(n);
      const Cx = commitVector(xv, rx);
      const Cy = commitScalar(y.value, y.blinding);
      const setup = (t: Transcript) => absorbPoints(t, "statement", [Cx, Cy]);
      const tp = new Transcript("dl");
      setup(tp);
      const proof = await proveDotProductLog({ values: xv, blinding: rx }, y, a, new PointSet(gens), tp, rng);
      expect(proof.L.length).toBe(Math.log2(n));
      expect(await accepts("dl", (t) => checkDotProductLog(Cx, Cy, a, gens, proof, t), setup)).toBe(true);
      for (const path of leaves(proof)) expect(await accepts("dl", (t) => checkDotProductLog(Cx, Cy, a, gens, tamper(proof, path), t), setup), path.join(".")).toBe(false);
      expect(await accepts("dl", (t) => checkDotProductLog(Cx, Cy.add(valueGenerator()), a, gens, proof, t), setup)).toBe(false);
      const a2 = [...a];
      a2[n - 1] = Fr.add(a2[n - 1]!, 1n);
      expect(await accepts("dl", (t) => checkDotProductLog(Cx, Cy, a2, gens, proof, t), setup)).toBe(false);
      expect(await accepts("dl-2", (t) => checkDotProductLog(Cx, Cy, a, gens, proof, t), setup)).toBe(false);
      if (n > 1) expect(await accepts("dl", (t) => checkDotProductLog(Cy, Cx, a, gens, proof, t), setup)).toBe(false); // swapped
      for (const bad of [null, {}, { ...proof, L: [...proof.L, proof.delta] }, { ...proof, R: undefined }, { ...proof, z: -1n }]) expect(checkDotProductLog(Cx, Cy, a, gens, bad, new Transcript("dl")).ok).toBe(false);
      // no witness entry or the value among the proof's scalars
      for (const v of [...xv, y.value]) expect([proof.z, proof.zBlinding]).not.toContain(v);
      await expect(proveDotProductLog({ values: xv, blinding: rx }, { ...y, value: Fr.add(y.value, 1n) }, a, new PointSet(gens), new Transcript("dl"), rng)).rejects.toThrow(RangeError);
    });
  }
});

type G1Point = InstanceType<typeof G1>;
