import { describe, expect, it } from "vitest";
import { divideValue, evalPrim, rescaleValue } from "../../compiler/quant/semantics.js";
import { ProgramBuilder, DEFAULT_CONFIG, quantiseValue } from "../../compiler/quant/builder.js";
import { ZkcError } from "../../compiler/errors.js";
import { SAFE_MAX_ABS } from "../../compiler/quant/prim.js";

describe("integer semantics", () => {
  it("rescale divides by 2^k rounding half up, floor for negatives", () => {
    // (x + 2^(k-1)) = q * 2^k + rem, 0 <= rem < 2^k
    const cases: [number, number, number][] = [
      [5, 1, 3], // 2.5 -> 3 (half up)
      [-5, 1, -2], // -2.5 -> -2 (half up)
      [7, 2, 2], // 1.75 -> 2
      [-7, 2, -2], // -1.75 -> -2
      [6, 2, 2], // 1.5 -> 2
      [-6, 2, -1], // -1.5 -> -1
      [0, 4, 0],
      [123, 0, 123],
    ];
    for (const [x, k, q] of cases) {
      expect(rescaleValue(x, k)).toBe(q);
      const rem = x + (k ? 2 ** (k - 1) : 0) - q * 2 ** k;
      expect(rem >= 0 && rem < 2 ** k).toBe(true);
    }
  });

  it("divide floors exactly, even where the float quotient rounds across an integer", () => {
    // a / b just below an integer in exact arithmetic
    const big = 2 ** 50 - 1;
    expect(divideValue(big, 2 ** 50, 0)).toBe(0);
    expect(divideValue(-1, 3, 0)).toBe(-1);
    expect(divideValue(7, 2, 1)).toBe(7);
    for (let i = 0; i < 1000; i++) {
      const num = Math.floor(Math.sin(i) * 2 ** 40);
      const den = 1 + Math.floor(Math.abs(Math.cos(i)) * 2 ** 20);
      const q = divideValue(num, den, 3);
      const rem = num * 8 - q * den;
      expect(rem >= 0 && rem < den).toBe(true);
    }
  });

  it("quantises reals to the grid, halves away from zero", () => {
    expect(quantiseValue(0.5, 0)).toBe(1);
    expect(quantiseValue(-0.5, 0)).toBe(-1);
    expect(quantiseValue(1.25, 2)).toBe(5);
  });

  it("matmul with a shared right operand and gather with padding", () => {
    const env = new Map<string, Float64Array>([
      ["a", Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8])], // [2 batches, 2, 2]
      ["b", Float64Array.from([1, -1, 2, 0])], // [1, 2, 2]
    ]);
    const out = evalPrim({ op: "matmul", a: "a", b: "b", out: "c", batch: 2, bBatch: 1, m: 2, k: 2, n: 2 }, env);
    expect([...out]).toEqual([5, -1, 11, -3, 17, -5, 23, -7]);
    const g = evalPrim({ op: "gather", sources: ["b"], out: "g", idx: Int32Array.from([3, -1, 0]) }, env);
    expect([...g]).toEqual([0, 0, 1]);
  });

  it("lookup outside the table domain is a bug, not a silent value", () => {
    const env = new Map([["x", Float64Array.from([5])]]);
    expect(() => evalPrim({ op: "lookup", in: "x", out: "y", table: { id: "t", lo: 0, values: Float64Array.from([1, 2]) } }, env)).toThrow(/outside the table domain/);
  });
});

describe("static bounds", () => {
  it("a bound past the safe limit is a QUANTISATION error naming the tensor", () => {
    const q = new ProgramBuilder(DEFAULT_CONFIG);
    q.where = { file: "m.onnx", node: "mm", op: "MatMul" };
    const a = q.label(q.input("x", [1, 4], 8, 2 ** 30), "x");
    const b = q.label(q.paramInts("w", [4, 1], Float64Array.from([2 ** 20, 1, 1, 1]), 8), "w");
    let err: unknown;
    try {
      q.matmul(a, b, { batch: 1, bBatch: 1, m: 1, k: 4, n: 1 }, [1, 1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).code).toBe("QUANTISATION");
    expect((err as ZkcError).message).toMatch(/m\.onnx: node "mm" \(MatMul\)/);
    expect((err as ZkcError).message).toMatch(/safe limit 2\^50/);
    expect(SAFE_MAX_ABS).toBe(2 ** 50);
  });

  it("matmul bounds use the actual weights", () => {
    const q = new ProgramBuilder(DEFAULT_CONFIG);
    const a = q.input("x", [1, 3], 8, 100);
    const w = q.paramInts("w", [3, 2], Float64Array.from([1, -2, 3, 0, -1, 1]), 8);
    const y = q.matmul(a, w, { batch: 1, bBatch: 1, m: 1, k: 3, n: 2 }, [1, 2]);
    // columns: |1|+|3|+|-1| = 5, |-2|+0+|1| = 3 -> 5 * 100
    expect(y.maxAbs).toBe(500);
    expect(y.scale).toBe(16);
  });
});
