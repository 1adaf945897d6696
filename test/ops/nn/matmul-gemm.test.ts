/** MatMul and Gemm against onnxruntime on seeded random inputs, plus their shape errors. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { Gemm_1, Gemm_11 } from "../../../compiler/ops/gemm.js";
import { MatMul_1 } from "../../../compiler/ops/matmul.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

const info = (shape: number[]) => ({ dtype: "float32" as const, shape });

function expectShapeError(f: () => unknown, reason: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZkcError);
  expect((err as ZkcError).code).toBe("SHAPE");
  expect((err as ZkcError).message).toMatch(reason);
  expect((err as ZkcError).message).toContain('node "n0"');
}

describe("MatMul", () => {
  const shapes: [number[], number[]][] = [
    [[2, 1, 3, 4], [5, 4, 2]], // batch broadcast on both sides
    [[3, 4], [2, 4, 6]], // 2-D left broadcast over batch
    [[4], [3, 4, 5]], // 1-D left
    [[2, 3, 4], [4]], // 1-D right
    [[7], [7]], // dot product -> scalar
  ];
  for (const [a, b] of shapes) {
    it(`matches onnxruntime for [${a}] x [${b}]`, async () => {
      const next = rng(a.length * 100 + b.length);
      const r = await againstOrt({
        op: "MatMul",
        inputs: [
          { name: "a", value: randomTensor(next, a) },
          { name: "b", value: randomTensor(next, b) },
        ],
        outputs: ["y"],
      });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  }

  it("computes a known product exactly and tampering is detected", () => {
    const a = tensorOf("float32", [2, 2], [1, 2, 3, 4]);
    const b = tensorOf("float32", [2, 2], [5, 6, 7, 8]);
    const [y] = MatMul_1.run([a, b], ctxFor("MatMul"));
    // [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]]
    expect([...y!.data]).toEqual([19, 22, 43, 50]);
    const tampered = { ...y!, data: Float64Array.from([19, 22, 43, 51]) };
    expect(closeness(tampered, { shape: y!.shape, data: [19, 22, 43, 50] })).toBeGreaterThan(0);
  });

  it("rejects an inner-dimension mismatch with SHAPE", () => {
    expectShapeError(() => MatMul_1.infer([info([2, 3]), info([4, 5])], ctxFor("MatMul")), /inner dimensions differ/);
    expectShapeError(() => MatMul_1.infer([info([3]), info([4])], ctxFor("MatMul")), /inner dimensions differ/);
  });
  it("rejects unbroadcastable batch dims and scalars with SHAPE", () => {
    expectShapeError(() => MatMul_1.infer([info([2, 3, 4]), info([3, 4, 5])], ctxFor("MatMul")), /batch dimensions/);
    expectShapeError(() => MatMul_1.infer([info([]), info([4, 5])], ctxFor("MatMul")), /rank >= 1/);
  });
  it("infers numpy output shapes", () => {
    const shape = (a: number[], b: number[]) => MatMul_1.infer([info(a), info(b)], ctxFor("MatMul"))[0]!.shape;
    expect(shape([2, 1, 3, 4], [5, 4, 2])).toEqual([2, 5, 3, 2]);
    expect(shape([4], [3, 4, 5])).toEqual([3, 5]);
    expect(shape([2, 3, 4], [4])).toEqual([2, 3]);
    expect(shape([4], [4])).toEqual([]);
  });
});

describe("Gemm", () => {
  const cases: { name: string; a: number[]; b: number[]; c?: number[]; attrs: Record<string, number> }[] = [
    { name: "transB with row bias (Linear layer)", a: [3, 5], b: [4, 5], c: [4], attrs: { transB: 1 } },
    { name: "transA, alpha, beta, column bias", a: [5, 3], b: [5, 4], c: [3, 1], attrs: { transA: 1, alpha: 0.5, beta: 2.5 } },
    { name: "both transposed, scalar bias", a: [5, 3], b: [4, 5], c: [], attrs: { transA: 1, transB: 1, beta: -1.5 } },
    { name: "no bias", a: [3, 5], b: [5, 4], attrs: { alpha: 1.25 } },
  ];
  for (const c of cases) {
    it(`matches onnxruntime: ${c.name}`, async () => {
      const next = rng(c.a[0]! * 31 + c.b[0]!);
      const inputs = [
        { name: "a", value: randomTensor(next, c.a) },
        { name: "b", value: randomTensor(next, c.b) },
      ];
      if (c.c) inputs.push({ name: "c", value: randomTensor(next, c.c) });
      const attrs = Object.fromEntries(
        Object.entries(c.attrs).map(([k, v]) => [k, k === "alpha" || k === "beta" ? { type: "float" as const, value: v } : v]),
      );
      const r = await againstOrt({ op: "Gemm", opset: 13, inputs, outputs: ["y"], attrs });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  }
  it("rejects mismatched inner dims and a C that does not broadcast", () => {
    expectShapeError(() => Gemm_11.infer([info([3, 5]), info([4, 5])], ctxFor("Gemm")), /inner dimensions differ/);
    expectShapeError(() => Gemm_11.infer([info([3, 5]), info([4, 5]), info([3])], ctxFor("Gemm", { transB: 1 })), /does not broadcast/);
    expectShapeError(() => Gemm_11.infer([info([3, 5, 1]), info([5, 4])], ctxFor("Gemm")), /must be matrices/);
  });
  it("opset 1-6: C must be [M, N] unless broadcast=1", () => {
    const ctx0 = ctxFor("Gemm", {}, 6);
    expectShapeError(() => Gemm_1.infer([info([3, 5]), info([5, 4]), info([4])], ctx0), /broadcast=0/);
    expect(Gemm_1.infer([info([3, 5]), info([5, 4]), info([4])], ctxFor("Gemm", { broadcast: 1 }, 6))[0]!.shape).toEqual([3, 4]);
  });
});
