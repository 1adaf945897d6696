/**
 * evaluateIntegerMle (backends/math/layout.ts), the verifier's evaluation of public integer
 * tensors (weights, public inputs and outputs), against the padded-table evaluation it replaces,
 * on both kernel implementations; and its kernel dotSmallInto, wasm against TS.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FR_MODULUS, FrVector } from "../../backends/math/field.js";
import { DOT_SMALL_MAX_TERMS, kernels, tsKernels, useKernels, wasmKernels } from "../../backends/math/kernels.js";
import { evaluateIntegerMle, integerTable, numVarsOfShape, sizeOfShape } from "../../backends/math/layout.js";
import { evaluateMle } from "../../backends/math/mle.js";
import { makeRng } from "./rng.js";

afterEach(() => useKernels("wasm"));

// small shapes take the table path; from 8192 entries up the integer path (ranks 2-5, columns
// merged across axes, rows longer than one dotSmallInto call)
const SHAPES = [[1], [5], [3, 4], [6, 1, 5, 5], [1, 1, 1], [7, 4100], [3, 5000], [130, 70], [1, 8192], [2, 2, 48, 48], [6, 1, 40, 40], [3, 3, 1000], [2, 3, 2, 30, 26]];

describe("evaluateIntegerMle", () => {
  for (const kind of ["wasm", "ts"] as const) {
    it(`equals the MLE of the padded table (${kind} kernels; ranks 1-5, long rows, bounds ±(2^15 - 1) and beyond)`, () => {
      useKernels(kind);
      const rng = makeRng(kind === "wasm" ? 11 : 12);
      for (const shape of SHAPES) {
        for (const maxAbs of [0, 1, 127, 2 ** 15 - 1, 2 ** 15, 40_000]) {
          const n = sizeOfShape(shape);
          // the extremes are present (the offset's edge), the rest uniform in [-maxAbs, maxAbs]
          const v = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? maxAbs : i % 11 === 0 ? -maxAbs : rng.below(2 * maxAbs + 1) - maxAbs));
          const point = Array.from({ length: numVarsOfShape(shape) }, () => rng.fieldWithEdges());
          expect(evaluateIntegerMle(v, shape, point), `shape [${shape}] maxAbs ${maxAbs}`).toBe(evaluateMle(integerTable(v, shape), point));
        }
      }
    });
  }

  it("a changed value or point coordinate changes the result; bad arguments throw", () => {
    const rng = makeRng(3);
    const shape = [9, 300];
    const v = Float64Array.from({ length: 2700 }, () => rng.below(255) - 127);
    const point = Array.from({ length: numVarsOfShape(shape) }, () => rng.field());
    const value = evaluateIntegerMle(v, shape, point);
    const w = v.slice();
    w[2699]! += 1;
    expect(evaluateIntegerMle(w, shape, point)).not.toBe(value);
    expect(evaluateIntegerMle(v, shape, [...point.slice(0, -1), (point.at(-1)! + 1n) % FR_MODULUS])).not.toBe(value);
    expect(() => evaluateIntegerMle(v, shape, point.slice(1))).toThrow(RangeError);
    expect(() => evaluateIntegerMle(v.subarray(1), shape, point)).toThrow(RangeError);
  });
});

describe("dotSmallInto", () => {
  it("wasm and TS give the same sums, up to the largest factors and term count", () => {
    const wasm = wasmKernels()!;
    const ts = tsKernels();
    const rng = makeRng(5);
    for (const [n, maxK] of [[1, 1], [17, 65535], [DOT_SMALL_MAX_TERMS, 65535], [DOT_SMALL_MAX_TERMS, 0], [300, 255]] as const) {
      const a = FrVector.fromBigints(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? FR_MODULUS - 1n : rng.field())));
      const k = Uint32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? maxK : rng.below(maxK + 1)));
      const start = rng.field();
      // converted before the heap is filled: conversions use the heap as scratch
      const startLimbs = FrVector.fromBigints([start]).limbs;
      const sums = [wasm, ts].map((K) => {
        const acc = n;
        const kWord = (n + 1) * 8;
        K.heap.set(a.limbs, 0);
        K.heap.set(startLimbs, acc * 8);
        K.heap.set(k, kWord);
        K.dotSmallInto(acc, 0, kWord, n);
        return new FrVector(K.heap.slice(acc * 8, acc * 8 + 8)).get(0);
      });
      let expected = start;
      a.toBigints().forEach((x, i) => (expected = (expected + x * BigInt(k[i]!)) % FR_MODULUS));
      expect(sums).toEqual([expected, expected]);
    }
    expect(kernels().kind).toBe("wasm");
  });
});
