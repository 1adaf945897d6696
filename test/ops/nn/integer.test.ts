/** MatMulInteger and ConvInteger against onnxruntime (exact int32 results), plus zero-point errors. */
import { describe, expect, it } from "vitest";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { ConvInteger_10 } from "../../../compiler/ops/conv-integer.js";
import { MatMulInteger_10 } from "../../../compiler/ops/matmul-integer.js";
import { QLinearConv_10 } from "../../../compiler/ops/qlinear-conv.js";
import { requantise, roundHalfEven } from "../../../compiler/ops/util/matmul-requantise.js";
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

describe("QLinear ops against onnxruntime", () => {
  it("QLinearConv, uint8, per-channel weight scales, int32 bias, stride 2, pads", async () => {
    const next = rng(94);
    const r = await againstOrt({
      op: "QLinearConv",
      opset: 10,
      inputs: [
        { name: "x", value: randomTensor(next, [1, 3, 7, 6], 0, 256, "uint8") },
        { name: "xs", value: tensorOf("float32", [], [0.02]) },
        { name: "xz", value: tensorOf("uint8", [], [110]) },
        { name: "w", value: randomTensor(next, [4, 3, 3, 3], 0, 256, "uint8") },
        { name: "ws", value: randomTensor(next, [4], 0.001, 0.01) },
        { name: "wz", value: tensorOf("uint8", [4], [128, 128, 128, 128]) },
        { name: "ys", value: tensorOf("float32", [], [0.5]) },
        { name: "yz", value: tensorOf("uint8", [], [120]) },
        { name: "b", value: randomTensor(next, [4], -2000, 2000, "int32") },
      ],
      outputs: ["y"],
      attrs: { strides: [2, 2], pads: [1, 1, 1, 1] },
    });
    expect(r[0]!.zkc.dtype).toBe("uint8");
    expect(closeness(r[0]!.zkc, r[0]!.ort, 0, 0)).toBe(0);
  });
  it("QLinearMatMul, int8, scalar parameters", async () => {
    const next = rng(95);
    const r = await againstOrt({
      op: "QLinearMatMul",
      opset: 10,
      inputs: [
        { name: "a", value: randomTensor(next, [5, 8], -128, 128, "int8") },
        { name: "as", value: tensorOf("float32", [], [0.03]) },
        { name: "az", value: tensorOf("int8", [], [3]) },
        { name: "b", value: randomTensor(next, [8, 6], -128, 128, "int8") },
        { name: "bs", value: tensorOf("float32", [], [0.02]) },
        { name: "bz", value: tensorOf("int8", [], [-2]) },
        { name: "ys", value: tensorOf("float32", [], [0.4]) },
        { name: "yz", value: tensorOf("int8", [], [-5]) },
      ],
      outputs: ["y"],
    });
    expect(r[0]!.zkc.dtype).toBe("int8");
    expect(closeness(r[0]!.zkc, r[0]!.ort, 0, 0)).toBe(0);
  });
  it("QLinearConv rejects a non-scalar x_scale", () => {
    const t = (dtype: "uint8" | "float32", shape: number[]) => ({ dtype, shape });
    expect(() =>
      QLinearConv_10.infer(
        [t("uint8", [1, 1, 4, 4]), t("float32", [2]), t("uint8", []), t("uint8", [1, 1, 3, 3]), t("float32", []), t("uint8", []), t("float32", []), t("uint8", [])],
        ctxFor("QLinearConv"),
      ),
    ).toThrow(/x_scale must be a scalar/);
  });
});

describe("requantisation rounding", () => {
  it("rounds half to even like numpy, saturating to the output range", () => {
    expect([2.5, 3.5, -2.5, -3.5, 0.5, 1.4999, -0.5].map(roundHalfEven)).toEqual([2, 4, -2, -4, 0, 1, -0]);
    expect(requantise(1000, 0.5, 10, 0, 255)).toBe(255);
    expect(requantise(-1000, 0.5, 10, -128, 127)).toBe(-128);
    expect(requantise(5, 0.5, 10, 0, 255)).toBe(12); // 2.5 -> 2, + 10
  });
});
