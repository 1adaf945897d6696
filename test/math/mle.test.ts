import { describe, expect, it } from "vitest";
import { FR_MODULUS as P, Fr, FrVector, vecSum } from "../../backends/math/field.js";
import {
  eqEval,
  eqTable,
  evaluateMle,
  evaluateMleByEq,
  evaluateTensorMle,
  foldFirst,
  log2Ceil,
  padTensor,
  splitTensorPoint,
  tensorMleLayout,
} from "../../backends/math/mle.js";
import { makeRng } from "./rng.js";

const mod = (x: bigint): bigint => ((x % P) + P) % P;

/** Oracle straight from the definition: sum_i t[i] * prod_j (bit_j(i) ? r_j : 1 - r_j), bit 0 = MSB. */
function naiveMle(table: bigint[], point: bigint[]): bigint {
  const n = point.length;
  let acc = 0n;
  for (let i = 0; i < table.length; i++) {
    let w = 1n;
    for (let j = 0; j < n; j++) {
      const bit = (i >> (n - 1 - j)) & 1;
      w = mod(w * (bit ? point[j]! : 1n - point[j]!));
    }
    acc = mod(acc + w * table[i]!);
  }
  return acc;
}

describe("multilinear extensions", () => {
  const rng = makeRng(21);
  const n = 6;
  const values = Array.from({ length: 1 << n }, rng.field);
  const table = FrVector.fromBigints(values);
  const point = Array.from({ length: n }, rng.field);

  it("evaluation matches the definition (variable 0 = most significant index bit)", () => {
    expect(evaluateMle(table, point)).toBe(naiveMle(values, point));
    expect(evaluateMleByEq(table, point)).toBe(naiveMle(values, point));
    // a point that differs in one coordinate gives another value
    const other = [...point];
    other[0] = Fr.add(other[0]!, 1n);
    expect(evaluateMle(table, other)).not.toBe(naiveMle(values, point));
  });

  it("at a boolean point returns the table entry whose index spells the point big-endian", () => {
    for (const idx of [0, 1, 2, 37, 63]) {
      const bits = Array.from({ length: n }, (_, j) => BigInt((idx >> (n - 1 - j)) & 1));
      expect(evaluateMle(table, bits)).toBe(values[idx]);
    }
    // variable 0 is the top bit: (1,0,0,0,0,0) is index 32, not 1
    expect(evaluateMle(table, [1n, 0n, 0n, 0n, 0n, 0n])).toBe(values[32]);
  });

  it("eq table: entries are eq(r, x), they sum to 1, and eqEval agrees", () => {
    const eq = eqTable(point);
    expect(eq.length).toBe(1 << n);
    expect(vecSum(eq)).toBe(1n);
    const e = eq.toBigints();
    for (const idx of [0, 5, 63]) {
      const bits = Array.from({ length: n }, (_, j) => BigInt((idx >> (n - 1 - j)) & 1));
      expect(e[idx]).toBe(eqEval(point, bits));
    }
    expect(eqEval(point, point)).not.toBe(0n);
    expect(eqTable([]).toBigints()).toEqual([1n]);
  });

  it("folding variable 0 pairs the halves; folds then evaluate agree with direct evaluation", () => {
    const folded = foldFirst(table, point[0]!);
    expect(folded.length).toBe(1 << (n - 1));
    const h = 1 << (n - 1);
    expect(folded.get(3)).toBe(mod(values[3]! + point[0]! * (values[h + 3]! - values[3]!)));
    expect(evaluateMle(folded, point.slice(1))).toBe(evaluateMle(table, point));
  });

  it("is linear in the table", () => {
    const other = Array.from({ length: 1 << n }, rng.field);
    const c = rng.field();
    const combined = FrVector.fromBigints(values.map((v, i) => mod(v + c * other[i]!)));
    expect(evaluateMle(combined, point)).toBe(mod(evaluateMle(table, point) + c * evaluateMle(FrVector.fromBigints(other), point)));
  });

  it("rejects bad tables and points", () => {
    expect(() => evaluateMle(FrVector.zeros(6), [0n, 0n, 0n])).toThrow(RangeError);
    expect(() => evaluateMle(table, point.slice(1))).toThrow(RangeError);
    expect(() => evaluateMle(table, [...point.slice(1), P])).toThrow(RangeError);
    expect(() => foldFirst(FrVector.zeros(1), 1n)).toThrow(RangeError);
    expect(log2Ceil(1)).toBe(0);
    expect(log2Ceil(5)).toBe(3);
  });
});

describe("tensor MLEs (row-major, every axis padded to a power of two, axis 0's variables first)", () => {
  const rng = makeRng(22);
  const shape = [3, 5, 2];
  const size = 30;
  const ints = Int32Array.from({ length: size }, () => rng.int32() >> 20);
  const t = FrVector.fromInt32(ints);

  it("layout: padded shape and per-axis variable counts", () => {
    expect(tensorMleLayout(shape)).toEqual({ paddedShape: [4, 8, 2], axisVars: [2, 3, 1], numVars: 6 });
    expect(tensorMleLayout([1])).toEqual({ paddedShape: [1], axisVars: [0], numVars: 0 });
  });

  it("element [i, j, k] sits at the vertex spelling (bits of i, bits of j, bits of k); padding is zero", () => {
    const padded = padTensor(t, shape).toSignedNumbers();
    expect(padded.length).toBe(64);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 8; j++) {
        for (let k = 0; k < 2; k++) {
          const inside = i < 3 && j < 5;
          const want = inside ? ints[(i * 5 + j) * 2 + k]! : 0;
          expect(padded[(i * 8 + j) * 2 + k]).toBe(want);
          if (i === 2 && j === 4 && k === 1) {
            const point = [1n, 0n, 1n, 0n, 0n, 1n];
            expect(splitTensorPoint(shape, point)).toEqual([[1n, 0n], [1n, 0n, 0n], [1n]]);
            expect(Fr.toSigned(evaluateTensorMle(t, shape, point))).toBe(BigInt(want));
          }
        }
      }
    }
  });

  it("evaluates at random points like the definition over the padded table", () => {
    const point = Array.from({ length: 6 }, rng.field);
    const padded = padTensor(t, shape).toBigints();
    expect(evaluateTensorMle(t, shape, point)).toBe(naiveMle(padded, point));
    expect(() => padTensor(t, [3, 5, 3])).toThrow(RangeError);
  });
});
