/**
 * The base-field wasm kernels the verifier decodes points with (backends/math/wasm/fq-module.ts):
 * batched decompression and Montgomery conversion give exactly what the bigint code gives, on
 * valid points and on every kind of malformed encoding.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bn254 } from "@noble/curves/bn254.js";
import {
  COMPRESSED_POINT_BYTES,
  FQ_MODULUS,
  G1,
  PointSet,
  compressPoint,
  decompressPoint,
  decompressPoints,
  initCurveWasm,
  useCurveWasm,
  writeLE,
} from "../../backends/math/commit/curve.js";
import { FQ_PRIME, instantiateFqWasm, windowSchedule } from "../../backends/math/wasm/fq-module.js";
import { generators, hashToG1 } from "../../backends/math/commit/generators.js";
import { makeRng } from "./rng.js";

afterEach(() => useCurveWasm(true));

/** The encodings under test: valid points of both parities, the identity, and malformed ones. */
function encodings(): Uint8Array[] {
  const rng = makeRng(7);
  const out: Uint8Array[] = [];
  for (let i = 0; i < 24; i++) {
    const p = G1.BASE.multiply(rng.field() % (bn254.fields.Fr.ORDER - 1n) + 1n);
    out.push(compressPoint(p), compressPoint(p.negate()));
  }
  out.push(compressPoint(G1.ZERO));
  const x = (v: bigint, flags = 0) => {
    const b = new Uint8Array(32);
    writeLE(b, 0, v);
    b[31]! |= flags;
    return b;
  };
  // x = p and beyond, x = 0 and p - 1 with both parities, stray flags, a dirty identity
  out.push(x(FQ_MODULUS), x(FQ_MODULUS + 1n), x(0n), x(0n, 0x80), x(FQ_MODULUS - 1n), x(FQ_MODULUS - 1n, 0x80), x(0n, 0xc0), x(1n, 0x40));
  // random x: about half have no point on the curve
  for (let i = 0; i < 64; i++) out.push(x(rng.field() % FQ_MODULUS, i % 2 ? 0x80 : 0));
  return out;
}

describe("base-field wasm kernels", () => {
  it("the square root's window schedule multiplies out to its exponent, with fewer multiplications than by bits", () => {
    for (const e of [(FQ_PRIME + 1n) / 4n, 1n, 2n, 0b1011_0000_1111_0001n, (1n << 70n) - 1n, 1n << 40n]) {
      const { first, steps } = windowSchedule(e);
      let acc = BigInt(first);
      for (const { squarings, power } of steps) {
        expect(power === 0 || power % 2 === 1).toBe(true);
        expect(power).toBeLessThan(16);
        acc = (acc << BigInt(squarings)) + BigInt(power);
      }
      expect(acc).toBe(e);
    }
    const sqrt = windowSchedule((FQ_PRIME + 1n) / 4n);
    expect(sqrt.steps.filter((s) => s.power > 0).length).toBeLessThan(60);
  });

  it("load in Node, on noble's base field", async () => {
    expect(FQ_PRIME).toBe(FQ_MODULUS);
    expect(instantiateFqWasm()).not.toBeNull();
    expect(await initCurveWasm()).toBe(true);
  });

  it("decompressPoints decodes exactly as decompressPoint, point by point (wasm and bigint paths)", () => {
    const all = encodings();
    let refused = 0;
    for (const wasm of [true, false]) {
      useCurveWasm(wasm);
      for (const e of all) {
        const one = decompressPoint(e);
        const batch = decompressPoints(e, 0, 1);
        if (one === null) {
          refused++;
          expect(batch).toBeNull();
        } else {
          expect(batch).not.toBeNull();
          expect(batch![0]!.equals(one)).toBe(true);
          expect(compressPoint(batch![0]!)).toEqual(e); // the one encoding of that point
        }
      }
    }
    expect(refused).toBeGreaterThan(20); // the malformed ones are there, and refused
  });

  it("a batch decodes every point, and one malformed point refuses the whole batch", () => {
    const all = encodings().filter((e) => decompressPoint(e) !== null);
    const bad = encodings().find((e) => decompressPoint(e) === null)!;
    const buf = new Uint8Array(3 + all.length * COMPRESSED_POINT_BYTES);
    all.forEach((e, i) => buf.set(e, 3 + i * COMPRESSED_POINT_BYTES));
    const points = decompressPoints(buf, 3, all.length)!;
    expect(points.map((p, i) => p.equals(decompressPoint(all[i]!)!))).toEqual(all.map(() => true));
    for (const at of [0, all.length - 1]) {
      const tampered = buf.slice();
      tampered.set(bad, 3 + at * COMPRESSED_POINT_BYTES);
      expect(decompressPoints(tampered, 3, all.length)).toBeNull();
    }
    expect(decompressPoints(buf, 3, all.length + 1)).toBeNull(); // past the end of the bytes
  });

  it("batches larger than one wasm call (chunked) decode every point", () => {
    const p = G1.BASE.multiply(123456789n);
    const q = p.double();
    const n = 16_500; // more than the module's memory holds at once
    const buf = new Uint8Array(n * COMPRESSED_POINT_BYTES);
    for (let i = 0; i < n; i++) compressPoint(i % 2 ? q : p, buf, i * COMPRESSED_POINT_BYTES);
    const points = decompressPoints(buf, 0, n)!;
    expect(points).toHaveLength(n);
    expect(points.every((r, i) => r.equals(i % 2 ? q : p))).toBe(true);
    compressPoint(G1.ZERO, buf, (n - 1) * COMPRESSED_POINT_BYTES);
    buf[(n - 1) * COMPRESSED_POINT_BYTES] = 1; // an identity with a stray bit, in the last chunk
    expect(decompressPoints(buf, 0, n)).toBeNull();
  });

  it("generators derived in batches (wasm square roots) are hashToG1's, one by one", () => {
    for (const wasm of [true, false]) {
      useCurveWasm(wasm);
      const label = `test/batch-generators/${wasm}`;
      const first = generators(label, 5);
      const all = generators(label, 40); // extends the cached prefix by a batch
      expect(all.slice(0, 5)).toEqual(first);
      all.forEach((g, i) => expect(g.equals(hashToG1(label, i)), `generator ${i}`).toBe(true));
    }
  });

  it("MSM bases in Montgomery form match the bigint conversion", () => {
    const points = [G1.ZERO, G1.BASE, G1.BASE.multiply(5n), G1.BASE.multiply(2n ** 200n + 17n)];
    const expected = new Uint8Array(64 * points.length);
    points.forEach((p, i) => {
      if (p.is0()) return;
      const { x, y } = p.toAffine();
      writeLE(expected, 64 * i, (x << 256n) % FQ_MODULUS);
      writeLE(expected, 64 * i + 32, (y << 256n) % FQ_MODULUS);
    });
    expect(new PointSet(points).lemBytes()).toEqual(expected);
    useCurveWasm(false);
    expect(new PointSet(points).lemBytes()).toEqual(expected);
  });
});
