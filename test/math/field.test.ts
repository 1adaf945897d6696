import { afterAll, describe, expect, it } from "vitest";
import {
  FR_MODULUS as P,
  Fr,
  FrVector,
  batchInvert,
  innerProduct,
  vecAdd,
  vecMul,
  vecMulSmall,
  vecScale,
  vecAddScaledInts,
  vecScaleInts,
  vecSub,
  vecSum,
} from "../../backends/math/field.js";
import { useKernels } from "../../backends/math/kernels.js";
import { EDGE_VALUES, makeRng } from "./rng.js";

const mod = (x: bigint): bigint => ((x % P) + P) % P;

describe("Fr scalars against bigint", () => {
  const rng = makeRng(1);
  const values = [...EDGE_VALUES, ...Array.from({ length: 200 }, rng.field)];
  it("add, sub, neg, mul, inv, pow agree with bigint on random and edge values", () => {
    for (let i = 0; i < values.length; i++) {
      const a = values[i]!;
      const b = values[(i * 7 + 3) % values.length]!;
      expect(Fr.add(a, b)).toBe(mod(a + b));
      expect(Fr.sub(a, b)).toBe(mod(a - b));
      expect(Fr.neg(a)).toBe(mod(-a));
      expect(Fr.mul(a, b)).toBe(mod(a * b));
      if (a !== 0n) expect(Fr.mul(a, Fr.inv(a))).toBe(1n);
    }
    expect(Fr.pow(3n, P - 1n)).toBe(1n); // Fermat
    expect(Fr.pow(P - 1n, 2n)).toBe(1n);
  });
  it("rejects inverting zero and negative exponents", () => {
    expect(() => Fr.inv(0n)).toThrow(RangeError);
    expect(() => Fr.pow(2n, -1n)).toThrow(RangeError);
  });
  it("signed conversions: -1 is r-1, toSigned inverts fromSigned on (-r/2, r/2]", () => {
    expect(Fr.fromSigned(-1)).toBe(P - 1n);
    expect(Fr.fromSigned(-(2 ** 53 - 1))).toBe(P - BigInt(2 ** 53 - 1));
    for (const v of [0n, 1n, -1n, 123456789n, -(P >> 1n), P >> 1n]) expect(Fr.toSigned(Fr.fromSigned(v))).toBe(v);
    expect(() => Fr.fromSigned(0.5)).toThrow(RangeError);
    expect(() => Fr.fromSigned(2 ** 60)).toThrow(RangeError);
  });
  it("bytes are 32-byte little-endian canonical; non-canonical and wrong-length input is rejected", () => {
    const b = Fr.toBytes(0x0102n);
    expect(b.length).toBe(32);
    expect([b[0], b[1], b[2]]).toEqual([2, 1, 0]);
    for (const v of values.slice(0, 40)) expect(Fr.fromBytes(Fr.toBytes(v))).toBe(v);
    const rBytes = new Uint8Array(32);
    let x = P;
    for (let i = 0; i < 32; i++, x >>= 8n) rBytes[i] = Number(x & 0xffn);
    expect(() => Fr.fromBytes(rBytes)).toThrow(RangeError);
    expect(() => Fr.fromBytes(new Uint8Array(31))).toThrow(RangeError);
    expect(Fr.fromBytesWide(rBytes)).toBe(0n);
  });
});

for (const kind of ["wasm", "ts"] as const) {
  describe(`FrVector batch operations (${kind} kernels)`, () => {
    afterAll(() => {
      useKernels("wasm");
    });
    const rng = makeRng(kind === "wasm" ? 2 : 3);
    // 4096 is the chunk size: cross a chunk boundary in the wasm run, keep the slow TS run small.
    const n = kind === "wasm" ? 4096 + 37 : 300;
    const aVals = Array.from({ length: n }, rng.fieldWithEdges);
    const bVals = Array.from({ length: n }, rng.fieldWithEdges);
    const ints = Int32Array.from({ length: n }, (_, i) => (i < 6 ? [0, 1, -1, 2147483647, -2147483648, -2][i]! : rng.int32()));

    it("uses the requested kernels", () => {
      expect(useKernels(kind)).toBe(kind);
    });
    it("round-trips bigints and bytes; rejects non-canonical input", () => {
      useKernels(kind);
      const a = FrVector.fromBigints(aVals);
      expect(a.toBigints()).toEqual(aVals);
      expect(FrVector.fromBytes(a.toBytes()).toBigints()).toEqual(aVals);
      expect(a.get(5)).toBe(aVals[5]);
      expect(() => FrVector.fromBigints([P])).toThrow(RangeError);
      expect(() => FrVector.fromBigints([-1n])).toThrow(RangeError);
      const bad = new Uint8Array(64).fill(0xff);
      expect(() => FrVector.fromBytes(bad)).toThrow(RangeError);
      expect(() => FrVector.fromBytes(new Uint8Array(33))).toThrow(RangeError);
    });
    it("converts signed integers both ways", () => {
      useKernels(kind);
      const v = FrVector.fromInt32(ints);
      expect(v.toBigints()).toEqual(Array.from(ints, (k) => mod(BigInt(k))));
      expect(Array.from(v.toSignedNumbers())).toEqual(Array.from(ints));
      const floats = Float64Array.from([0, -3, 2 ** 40, -(2 ** 53 - 1), 7, 2 ** 31, -(2 ** 31) - 1]);
      const fv = FrVector.fromIntegers(floats);
      expect(fv.toSignedBigints()).toEqual(Array.from(floats, (f) => BigInt(f)));
      expect(() => FrVector.fromIntegers([1, 2.5])).toThrow(/index 1/);
      expect(() => FrVector.fromIntegers([NaN])).toThrow(RangeError);
      expect(() => FrVector.fromBigints([P - 1n, 1n << 200n]).toSignedNumbers()).toThrow(RangeError);
    });
    it("add, sub, mul, scale agree with bigint elementwise", () => {
      useKernels(kind);
      const a = FrVector.fromBigints(aVals);
      const b = FrVector.fromBigints(bVals);
      const s = bVals[1]!;
      const sum = vecAdd(a, b).toBigints();
      const diff = vecSub(a, b).toBigints();
      const prod = vecMul(a, b).toBigints();
      const scaled = vecScale(a, s).toBigints();
      for (let i = 0; i < n; i++) {
        expect(sum[i]).toBe(mod(aVals[i]! + bVals[i]!));
        expect(diff[i]).toBe(mod(aVals[i]! - bVals[i]!));
        expect(prod[i]).toBe(mod(aVals[i]! * bVals[i]!));
        expect(scaled[i]).toBe(mod(aVals[i]! * s));
      }
      // in-place output
      const c = a.clone();
      vecMul(c, b, c);
      expect(c.toBigints()).toEqual(prod);
      expect(() => vecAdd(a, b.subarray(1))).toThrow(RangeError);
    });
    it("field x small int agrees with bigint, including the extremes of int32", () => {
      useKernels(kind);
      const a = FrVector.fromBigints(aVals);
      const got = vecMulSmall(a, ints).toBigints();
      for (let i = 0; i < n; i++) expect(got[i]).toBe(mod(aVals[i]! * BigInt(ints[i]!)));
      const s = aVals[9]!;
      const si = vecScaleInts(s, ints).toBigints();
      for (let i = 0; i < n; i++) expect(si[i]).toBe(mod(s * BigInt(ints[i]!)));
      expect(() => vecMulSmall(a, ints.subarray(1))).toThrow(RangeError);
      // acc += s * k, in place
      const acc = FrVector.fromBigints(bVals);
      expect(vecAddScaledInts(acc, s, ints)).toBe(acc);
      const accVals = acc.toBigints();
      for (let i = 0; i < n; i++) expect(accVals[i]).toBe(mod(bVals[i]! + s * BigInt(ints[i]!)));
      expect(() => vecAddScaledInts(acc, s, ints.subarray(1))).toThrow(RangeError);
      expect(() => vecAddScaledInts(acc, P, ints)).toThrow(RangeError);
    });
    it("inner product and sum agree with bigint", () => {
      useKernels(kind);
      const a = FrVector.fromBigints(aVals);
      const b = FrVector.fromBigints(bVals);
      let ip = 0n;
      let s = 0n;
      for (let i = 0; i < n; i++) {
        ip += aVals[i]! * bVals[i]!;
        s += aVals[i]!;
      }
      expect(innerProduct(a, b)).toBe(mod(ip));
      expect(vecSum(a)).toBe(mod(s));
    });
    it("batch inversion inverts every non-zero element and maps zeros to zero", () => {
      useKernels(kind);
      const vals = aVals.slice(0, 200);
      vals[3] = 0n;
      vals[0] = 0n;
      vals[199] = 0n;
      const inv = batchInvert(FrVector.fromBigints(vals)).toBigints();
      for (let i = 0; i < vals.length; i++) {
        expect(inv[i]).toBe(vals[i] === 0n ? 0n : Fr.inv(vals[i]!));
      }
      // aliasing output
      const v = FrVector.fromBigints(vals);
      batchInvert(v, v);
      expect(v.toBigints()).toEqual(inv);
    });
  });
}
