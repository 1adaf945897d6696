/** LpPool, LpNormalization and MeanVarianceNormalization against onnxruntime, plus errors. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { LpNormalization_1 } from "../../../compiler/ops/lp-normalization.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

describe("LpPool against onnxruntime", () => {
  const cases: Record<string, number | number[] | string>[] = [
    { kernel_shape: [2, 3], strides: [2, 1], pads: [1, 0, 0, 1], p: 3 },
    { kernel_shape: [3, 2], auto_pad: "SAME_UPPER", p: 1 },
    { kernel_shape: [2, 2], dilations: [2, 1], ceil_mode: 1, strides: [2, 2], p: 2 },
  ];
  cases.forEach((attrs, i) => {
    it(JSON.stringify(attrs), async () => {
      const r = await againstOrt({ op: "LpPool", opset: 18, inputs: [{ name: "x", value: randomTensor(rng(40 + i), [2, 2, 7, 6]) }], outputs: ["y"], attrs });
      expect(r[0]!.zkc.shape).toEqual(r[0]!.ort.shape);
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  });
});

describe("LpNormalization and MeanVarianceNormalization against onnxruntime", () => {
  for (const [p, axis] of [[1, 0], [2, 1], [2, -1]] as const) {
    it(`LpNormalization p=${p}, axis=${axis}`, async () => {
      const r = await againstOrt({ op: "LpNormalization", opset: 13, inputs: [{ name: "x", value: randomTensor(rng(p * 10 + axis + 5), [3, 4, 5]) }], outputs: ["y"], attrs: { p, axis } });
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  }
  for (const axes of [[0, 2, 3], [1], [2, 3]]) {
    it(`MeanVarianceNormalization axes [${axes}]`, async () => {
      const r = await againstOrt({ op: "MeanVarianceNormalization", opset: 13, inputs: [{ name: "x", value: randomTensor(rng(axes.length), [2, 3, 4, 5], -3, 3) }], outputs: ["y"], attrs: { axes } });
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  }
  it("an all-zero slice normalises to zero; p other than 1 or 2 is an ATTRIBUTE error", () => {
    const [y] = LpNormalization_1.run([tensorOf("float32", [2, 2], [0, 0, 3, 4])], ctxFor("LpNormalization", { p: 2, axis: 1 }));
    expect([...y!.data]).toEqual([0, 0, Math.fround(0.6), Math.fround(0.8)]);
    try {
      LpNormalization_1.infer([{ dtype: "float32", shape: [2, 2] }], ctxFor("LpNormalization", { p: 3 }));
      expect.unreachable();
    } catch (e) {
      expect((e as ZkcError).code).toBe("ATTRIBUTE");
    }
  });
});
