/** MatMulInteger and ConvInteger against onnxruntime (exact int32 results), plus zero-point errors. */
import { describe, expect, it } from "vitest";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { ConvInteger_10 } from "../../../compiler/ops/conv-integer.js";
import { MatMulInteger_10 } from "../../../compiler/ops/matmul-integer.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

describe("integer linear ops against onnxruntime", () => {
  // onnxruntime accepts per-column B zero points but only a scalar A zero point
  it("MatMulInteger, uint8 x uint8, scalar A zero point, per-column B zero points", async () => {
    const next = rng(91);
    const r = await againstOrt({
      op: "MatMulInteger",
      opset: 10,
      inputs: [
        { name: "a", value: randomTensor(next, [4, 6], 0, 256, "uint8") },
        { name: "b", value: randomTensor(next, [6, 3], 0, 256, "uint8") },
        { name: "azp", value: tensorOf("uint8", [], [128]) },
        { name: "bzp", value: randomTensor(next, [3], 0, 256, "uint8") },
      ],
      outputs: ["y"],
    });
    expect(r[0]!.zkc.dtype).toBe("int32");
    expect(closeness(r[0]!.zkc, r[0]!.ort, 0, 0)).toBe(0);
  });
  it("MatMulInteger, batched uint8 x int8 without zero points", async () => {
    const next = rng(92);
    const r = await againstOrt({
      op: "MatMulInteger",
      opset: 10,
      inputs: [
        { name: "a", value: randomTensor(next, [2, 3, 5], 0, 256, "uint8") },
        { name: "b", value: randomTensor(next, [5, 4], -128, 128, "int8") },
      ],
      outputs: ["y"],
    });
    expect(closeness(r[0]!.zkc, r[0]!.ort, 0, 0)).toBe(0);
  });
  it("ConvInteger, uint8, zero points, stride and pads", async () => {
    const next = rng(93);
    const r = await againstOrt({
      op: "ConvInteger",
      opset: 10,
      inputs: [
        { name: "x", value: randomTensor(next, [1, 2, 6, 5], 0, 256, "uint8") },
        { name: "w", value: randomTensor(next, [3, 2, 3, 2], 0, 256, "uint8") },
        { name: "xzp", value: tensorOf("uint8", [], [100]) },
        { name: "wzp", value: tensorOf("uint8", [], [120]) },
      ],
      outputs: ["y"],
      attrs: { strides: [2, 1], pads: [1, 0, 1, 1] },
    });
    expect(r[0]!.zkc.dtype).toBe("int32");
    expect(closeness(r[0]!.zkc, r[0]!.ort, 0, 0)).toBe(0);
  });
  it("MatMulInteger per-row A zero points by hand", () => {
    // A - [1, 2] per row = [[0, 1], [1, 2]]; times B = [[1, 0], [0, 1]] (identity)
    const a = tensorOf("uint8", [2, 2], [1, 2, 3, 4]);
    const b = tensorOf("uint8", [2, 2], [1, 0, 0, 1]);
    const [y] = MatMulInteger_10.run([a, b, tensorOf("uint8", [2], [1, 2])], ctxFor("MatMulInteger"));
    expect([...y!.data]).toEqual([0, 1, 1, 2]);
  });
  it("rejects zero points that do not fit", () => {
    const u8 = (shape: number[]) => ({ dtype: "uint8" as const, shape });
    expect(() => MatMulInteger_10.infer([u8([4, 6]), u8([6, 3]), u8([5])], ctxFor("MatMulInteger"))).toThrow(/a_zero_point does not fit A/);
    expect(() => ConvInteger_10.infer([u8([1, 2, 5, 5]), u8([3, 2, 3, 3]), u8([2])], ctxFor("ConvInteger"))).toThrow(/x_zero_point must be a scalar/);
    expect(() => ConvInteger_10.infer([u8([1, 2, 5, 5]), u8([3, 2, 3, 3]), undefined, u8([2])], ctxFor("ConvInteger"))).toThrow(/w_zero_point/);
  });
});
