import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { FR_MODULUS, FrVector } from "../../backends/math/field.js";
import { evaluateMle } from "../../backends/math/mle.js";
import { Transcript } from "../../backends/math/transcript.js";
import {
  FQ_MODULUS,
  G1,
  PointSet,
  commit,
  commitmentBytes,
  decodeCommitment,
  decodePoint,
  encodePoint,
  ffjavascriptEngine,
  generators,
  hashToG1,
  nobleEngine,
  open,
  openBatch,
  terminateCurve,
  verifyBatchOpening,
  verifyOpening,
} from "../../backends/math/commit/index.js";
import { makeRng } from "./rng.js";

afterAll(async () => {
  await terminateCurve();
});

const point = (rng: ReturnType<typeof makeRng>, n: number): bigint[] => Array.from({ length: n }, () => rng.field());

describe("generators", () => {
  it("are on the curve, distinct, deterministic, with even y", () => {
    const gs = generators("test/family", 16);
    const seen = new Set<string>();
    for (const g of gs) {
      g.assertValidity();
      const { x, y } = g.toAffine();
      expect(y % 2n).toBe(0n);
      expect((y * y - x * x * x - 3n) % FQ_MODULUS).toBe(0n);
      seen.add(x.toString());
    }
    expect(seen.size).toBe(16);
    expect(hashToG1("test/family", 5).equals(gs[5]!)).toBe(true);
    expect(hashToG1("test/other", 5).equals(gs[5]!)).toBe(false);
    expect(gs.some((g) => g.equals(G1.BASE))).toBe(false);
  });

  it("follow the documented derivation (recomputed with node:crypto and noble's square root)", () => {
    const Fp = G1.Fp;
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    for (const [label, index] of [["zkc/hyrax/v1", 0], ["zkc/hyrax/v1", 7], ["other", 3]] as const) {
      let expected: { x: bigint; y: bigint } | undefined;
      for (let c = 0; !expected; c++) {
        const msg = Buffer.concat([Buffer.from("zkc/g1-generator/v1"), u32(label.length), Buffer.from(label), u32(index), u32(c)]);
        const h = Buffer.concat([0, 1].map((b) => createHash("sha256").update(Buffer.concat([msg, Buffer.of(b)])).digest()));
        const x = Fp.create(BigInt("0x" + Buffer.from(h).reverse().toString("hex")));
        const a = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
        let y: bigint;
        try {
          y = Fp.sqrt(a);
        } catch {
          continue; // not a square: next counter
        }
        expected = { x, y: y % 2n === 0n ? y : Fp.neg(y) };
      }
      const g = hashToG1(label, index).toAffine();
      expect(g).toEqual(expected);
    }
  });

  it("point encoding round-trips; bad encodings decode to null", () => {
    const g = hashToG1("test/family", 3);
    const bytes = encodePoint(g);
    expect(decodePoint(bytes)!.equals(g)).toBe(true);
    expect(decodePoint(encodePoint(G1.ZERO))!.is0()).toBe(true);
    const off = bytes.slice();
    off[0]! ^= 1;
    expect(decodePoint(off)).toBeNull();
    expect(decodePoint(new Uint8Array(63))).toBeNull();
    const big = new Uint8Array(64).fill(0xff);
    expect(decodePoint(big)).toBeNull();
  });
});

describe("MSM engines agree", () => {
  it("small and full scalars, wasm vs TS", async () => {
    const rng = makeRng(7);
    const ps = new PointSet(generators("test/msm", 40));
    const small = new Uint32Array(40).map(() => rng.below(1000));
    small[3] = 0;
    const full = Array.from({ length: 40 }, () => rng.fieldWithEdges());
    const a = await nobleEngine.msmSmall(ps, small, 10);
    const b = await ffjavascriptEngine.msmSmall(ps, small, 10);
    const c = await nobleEngine.msm(ps, Array.from(small, BigInt));
    expect(a.equals(b) && a.equals(c)).toBe(true);
    const d = await nobleEngine.msm(ps, full);
    const e = await ffjavascriptEngine.msm(ps, full);
    expect(d.equals(e)).toBe(true);
    expect(d.equals(a)).toBe(false);
  });
});

describe("ffjavascript curve lifecycle", () => {
  it("concurrent first MSMs share one curve; a curve terminated elsewhere is rebuilt", async () => {
    await terminateCurve();
    const ps = new PointSet(generators("test/msm", 8));
    const scalars = new Uint32Array(8).map((_, i) => i + 1);
    const expected = await nobleEngine.msmSmall(ps, scalars, 4);
    const results = await Promise.all([0, 1, 2, 3].map(() => ffjavascriptEngine.msmSmall(ps, scalars, 4)));
    expect(results.every((r) => r.equals(expected))).toBe(true);
    // another library (snarkjs users) terminates the shared global curve
    const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
    await g.curve_bn128?.terminate();
    expect((await ffjavascriptEngine.msmSmall(ps, scalars, 4)).equals(expected)).toBe(true);
    await terminateCurve();
    expect((await ffjavascriptEngine.msmSmall(ps, scalars, 4)).equals(expected)).toBe(true);
  });
});

describe("hyrax commitment", () => {
  for (const n of [0, 1, 5, 8]) {
    it(`opens and verifies at random points (n = ${n}, signed ints and field values)`, async () => {
      const rng = makeRng(100 + n);
      const ints = Array.from({ length: 2 ** n }, () => rng.below(2001) - 1000);
      const field = FrVector.fromBigints(Array.from({ length: 2 ** n }, () => rng.fieldWithEdges()));
      for (const values of [ints, field]) {
        const { commitment, state } = await commit(values, n);
        const r = point(rng, n);
        const { value, proof } = open(state, r, new Transcript("t"));
        const table = values instanceof FrVector ? values : FrVector.fromIntegers(values);
        expect(value).toBe(evaluateMle(table, r));
        expect(await verifyOpening(commitment, r, value, proof, new Transcript("t"))).toBe(true);
        // rejected: wrong value, tampered proof, another point, another transcript
        expect(await verifyOpening(commitment, r, (value + 1n) % FR_MODULUS, proof, new Transcript("t"))).toBe(false);
        const tampered = { combined: proof.combined.map((x, j) => (j === proof.combined.length - 1 ? (x + 1n) % FR_MODULUS : x)) };
        expect(await verifyOpening(commitment, r, value, tampered, new Transcript("t"))).toBe(false);
        if (n > 0) expect(await verifyOpening(commitment, point(rng, n), value, proof, new Transcript("t"))).toBe(false);
      }
    });
  }

  it("small-integer and field paths give the same commitment; engines agree; padding is zeros", async () => {
    const rng = makeRng(3);
    const ints = Array.from({ length: 50 }, () => rng.below(600) - 300);
    const a = await commit(ints, 6);
    const padded = FrVector.fromIntegers([...ints, ...new Array(14).fill(0)]);
    const big = padded.clone();
    big.set(63, FR_MODULUS - 1n); // forces the full-scalar path, then undo the difference below
    const b = await commit(padded, 6, { engine: nobleEngine });
    expect(commitmentBytes(a.commitment)).toEqual(commitmentBytes(b.commitment));
    const c = await commit(big, 6);
    expect(commitmentBytes(c.commitment)).not.toEqual(commitmentBytes(a.commitment));
    const bigInts = new Float64Array(64).fill(0);
    bigInts[1] = 2 ** 40; // beyond int32: full path
    const d = await commit(bigInts, 6);
    const e = await commit(FrVector.fromIntegers(bigInts), 6, { engine: nobleEngine });
    expect(commitmentBytes(d.commitment)).toEqual(commitmentBytes(e.commitment));
  });

  it("rejects an opening against the commitment of another vector", async () => {
    const rng = makeRng(11);
    const v1 = Array.from({ length: 64 }, () => rng.below(100));
    const v2 = v1.slice();
    v2[17]! += 1;
    const c1 = await commit(v1, 6);
    const c2 = await commit(v2, 6);
    const r = point(rng, 6);
    const o2 = open(c2.state, r, new Transcript("t"));
    expect(await verifyOpening(c2.commitment, r, o2.value, o2.proof, new Transcript("t"))).toBe(true);
    expect(await verifyOpening(c1.commitment, r, o2.value, o2.proof, new Transcript("t"))).toBe(false);
  });

  it("never throws on malformed proofs or commitments", async () => {
    const { commitment, state } = await commit([1, 2, 3, 4], 2);
    const r = [5n, 6n];
    const { value } = open(state, r, new Transcript("t"));
    for (const bad of [null, undefined, 3, {}, { combined: [1n] }, { combined: [1n, -1n] }, { combined: [FR_MODULUS, 0n] }, { combined: "xx" }]) {
      expect(await verifyOpening(commitment, r, value, bad, new Transcript("t"))).toBe(false);
    }
    expect(await verifyOpening({ ...commitment, rows: [] }, r, value, { combined: [0n, 0n] }, new Transcript("t"))).toBe(false);
    expect(await verifyOpening(commitment, [1n], value, { combined: [0n, 0n] }, new Transcript("t"))).toBe(false);
  });

  it("commitment bytes round-trip; corrupted bytes are rejected", async () => {
    const { commitment } = await commit([3, -1, 4, 1, -5, 9, 2, 6], 3);
    const bytes = commitmentBytes(commitment);
    const back = decodeCommitment(bytes)!;
    expect(commitmentBytes(back)).toEqual(bytes);
    const bad = bytes.slice();
    bad[bad.length - 1]! ^= 0x40;
    expect(decodeCommitment(bad)).toBeNull();
    expect(decodeCommitment(bytes.slice(0, bytes.length - 1))).toBeNull();
  });

  it("batch opening at one point; a wrong value in the batch is rejected", async () => {
    const rng = makeRng(21);
    const polys = [0, 1, 2].map(() => Array.from({ length: 32 }, () => rng.below(500) - 250));
    const cs = await Promise.all(polys.map((p) => commit(p, 5)));
    const r = point(rng, 5);
    const { values, proof } = openBatch(cs.map((c) => c.state), r, new Transcript("t"));
    polys.forEach((p, k) => expect(values[k]).toBe(evaluateMle(FrVector.fromIntegers(p), r)));
    const coms = cs.map((c) => c.commitment);
    expect(await verifyBatchOpening(coms, r, values, proof, new Transcript("t"))).toBe(true);
    const wrong = values.slice();
    wrong[1] = (wrong[1]! + 1n) % FR_MODULUS;
    expect(await verifyBatchOpening(coms, r, wrong, proof, new Transcript("t"))).toBe(false);
    // swapping two commitments breaks the random combination
    expect(await verifyBatchOpening([coms[1]!, coms[0]!, coms[2]!], r, values, proof, new Transcript("t"))).toBe(false);
  });
});
