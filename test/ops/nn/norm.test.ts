/** Batch/Layer/Instance/Group normalisation and LRN against onnxruntime, training rejection, errors. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { BatchNormalization_1, BatchNormalization_9, BatchNormalization_14, BatchNormalization_15 } from "../../../compiler/ops/batch-normalization.js";
import { GroupNormalization_18, GroupNormalization_21 } from "../../../compiler/ops/group-normalization.js";
import { InstanceNormalization_1 } from "../../../compiler/ops/instance-normalization.js";
import { LayerNormalization_17 } from "../../../compiler/ops/layer-normalization.js";
import { LRN_1 } from "../../../compiler/ops/lrn.js";
import { againstOrt, closeness, ctxFor, randomTensor, rng } from "./helpers.js";

const info = (shape: number[]) => ({ dtype: "float32" as const, shape });

function expectError(f: () => unknown, code: string, reason: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZkcError);
  expect((err as ZkcError).code).toBe(code);
  expect((err as ZkcError).message).toMatch(reason);
}

function bnInputs(seed: number, x: number[], params: number[]) {
  const next = rng(seed);
  return [
    { name: "x", value: randomTensor(next, x, -2, 2) },
    { name: "scale", value: randomTensor(next, params, 0.5, 1.5) },
    { name: "b", value: randomTensor(next, params) },
    { name: "mean", value: randomTensor(next, params) },
    { name: "var", value: randomTensor(next, params, 0.1, 2) },
  ];
}

describe("BatchNormalization", () => {
  for (const opset of [9, 14, 15]) {
    it(`matches onnxruntime at opset ${opset}`, async () => {
      const r = await againstOrt({ op: "BatchNormalization", opset, inputs: bnInputs(opset, [2, 3, 4, 5], [3]), outputs: ["y"], attrs: { epsilon: 1e-3 } });
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  }
  it("matches onnxruntime at opset 7 with spatial=0 (per-activation parameters)", async () => {
    const r = await againstOrt({ op: "BatchNormalization", opset: 7, inputs: bnInputs(70, [2, 3, 2, 2], [3, 2, 2]), outputs: ["y"], attrs: { spatial: 0 } });
    expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
  });
  it("computes (x - mean) / sqrt(var + eps) * scale + B by hand", () => {
    const x = tensorOf("float32", [1, 2, 1], [3, 10]);
    const p = (a: number[]) => tensorOf("float32", [2], a);
    const [y] = BatchNormalization_15.run([x, p([2, 1]), p([1, -1]), p([1, 6]), p([4, 16])], ctxFor("BatchNormalization", { epsilon: { type: "float", value: 0 } }));
    // (3-1)/2*2+1 = 3; (10-6)/4*1-1 = 0
    expect([...y!.data]).toEqual([3, 0]);
  });
  it("rejects training mode in every version", () => {
    const ins = [info([1, 2, 3]), info([2]), info([2]), info([2]), info([2])];
    expectError(() => BatchNormalization_14.infer(ins, ctxFor("BatchNormalization", { training_mode: 1 }, 14)), "UNSUPPORTED_FEATURE", /training_mode=1/);
    expectError(() => BatchNormalization_9.infer(ins, ctxFor("BatchNormalization", {}, 9, ["y", "m", "v", "sm", "sv"])), "UNSUPPORTED_FEATURE", /training outputs/);
    expectError(() => BatchNormalization_1.infer(ins, ctxFor("BatchNormalization", { is_test: 0 }, 6)), "UNSUPPORTED_FEATURE", /is_test=0/);
    // eval-mode export: is_test=1 (opset 6) or just Y (opset 9) is fine
    expect(BatchNormalization_1.infer(ins, ctxFor("BatchNormalization", { is_test: 1 }, 6))[0]!.shape).toEqual([1, 2, 3]);
    expect(BatchNormalization_9.infer(ins, ctxFor("BatchNormalization", {}, 9))[0]!.shape).toEqual([1, 2, 3]);
  });
  it("rejects parameters with the wrong length, and other dtypes before opset 15", () => {
    expectError(() => BatchNormalization_14.infer([info([1, 2, 3]), info([3]), info([2]), info([2]), info([2])], ctxFor("BatchNormalization")), "SHAPE", /scale must have one value per channel/);
    const f64 = { dtype: "float64" as const, shape: [2] };
    expectError(() => BatchNormalization_14.infer([info([1, 2, 3]), f64, f64, f64, f64], ctxFor("BatchNormalization")), "SHAPE", /another dtype/);
    expect(BatchNormalization_15.infer([info([1, 2, 3]), f64, f64, f64, f64], ctxFor("BatchNormalization"))[0]!.dtype).toBe("float32");
  });
});

describe("LayerNormalization", () => {
  const cases: { x: number[]; axis: number; bias: boolean }[] = [
    { x: [2, 3, 4], axis: -1, bias: true },
    { x: [2, 3, 4], axis: 1, bias: false },
    { x: [3, 2, 2, 5], axis: 2, bias: true },
  ];
  cases.forEach((c, i) => {
    it(`matches onnxruntime: x [${c.x}], axis ${c.axis}, ${c.bias ? "with" : "without"} bias, all three outputs`, async () => {
      const next = rng(300 + i);
      const norm = c.x.slice(c.axis < 0 ? c.x.length + c.axis : c.axis);
      const inputs = [
        { name: "x", value: randomTensor(next, c.x, -3, 3) },
        { name: "scale", value: randomTensor(next, norm) },
      ];
      if (c.bias) inputs.push({ name: "b", value: randomTensor(next, norm) });
      const r = await againstOrt({ op: "LayerNormalization", opset: 17, inputs, outputs: ["y", "mean", "invstd"], attrs: { axis: c.axis } });
      for (const o of r) {
        expect(o.zkc.shape, o.name).toEqual(o.ort.shape);
        expect(closeness(o.zkc, o.ort), o.name).toBe(0);
      }
    });
  });
  it("broadcasts a scale of shape [1] and rejects one that does not broadcast", () => {
    const x = tensorOf("float32", [1, 4], [1, 2, 3, 4]);
    const [y] = LayerNormalization_17.run([x, tensorOf("float32", [1], [2])], ctxFor("LayerNormalization", { epsilon: { type: "float", value: 0 } }));
    // mean 2.5, var 1.25: (x - 2.5) / sqrt(1.25) * 2
    const want = [1, 2, 3, 4].map((v) => Math.fround(((v - 2.5) / Math.sqrt(1.25)) * 2));
    expect(closeness(y!, { shape: [1, 4], data: want }, 1e-6, 1e-7)).toBe(0);
    expectError(() => LayerNormalization_17.infer([info([2, 3, 4]), info([3])], ctxFor("LayerNormalization")), "SHAPE", /Scale does not broadcast/);
    expectError(() => LayerNormalization_17.infer([info([2, 3, 4]), info([4])], ctxFor("LayerNormalization", { axis: 3 })), "SHAPE", /out of range/);
  });
});

describe("InstanceNormalization, GroupNormalization, LRN", () => {
  it("InstanceNormalization matches onnxruntime", async () => {
    const next = rng(41);
    const r = await againstOrt({
      op: "InstanceNormalization",
      opset: 6,
      inputs: [
        { name: "x", value: randomTensor(next, [2, 3, 4, 5], -2, 2) },
        { name: "s", value: randomTensor(next, [3]) },
        { name: "b", value: randomTensor(next, [3]) },
      ],
      outputs: ["y"],
      attrs: { epsilon: { type: "float", value: 1e-2 } },
    });
    expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
  });
  it("InstanceNormalization rejects per-channel parameters of the wrong length", () => {
    expectError(() => InstanceNormalization_1.infer([info([1, 3, 4]), info([2]), info([3])], ctxFor("InstanceNormalization")), "SHAPE", /one value per channel/);
  });
  it("GroupNormalization opset 21 matches onnxruntime", async () => {
    const next = rng(42);
    const r = await againstOrt({
      op: "GroupNormalization",
      opset: 21,
      inputs: [
        { name: "x", value: randomTensor(next, [2, 6, 3, 4], -2, 2) },
        { name: "s", value: randomTensor(next, [6]) },
        { name: "b", value: randomTensor(next, [6]) },
      ],
      outputs: ["y"],
      attrs: { num_groups: 3 },
    });
    expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
  });
  it("GroupNormalization opset 18 scales per group", () => {
    // 1 batch, 4 channels of 1 value, 2 groups: group 0 = [1, 3], group 1 = [2, 6]; eps 0
    const x = tensorOf("float32", [1, 4, 1], [1, 3, 2, 6]);
    const [y] = GroupNormalization_18.run([x, tensorOf("float32", [2], [2, 3]), tensorOf("float32", [2], [0.5, -1])], ctxFor("GroupNormalization", { num_groups: 2, epsilon: { type: "float", value: 0 } }, 18));
    // normalised: [-1, 1] and [-1, 1]; group 0 * 2 + 0.5, group 1 * 3 - 1
    expect([...y!.data]).toEqual([-1.5, 2.5, -4, 2]);
    expect(() => GroupNormalization_18.infer([info([1, 4, 1]), info([4]), info([4])], ctxFor("GroupNormalization", { num_groups: 2 }, 18))).toThrow(/one value per group/);
  });
  it("GroupNormalization rejects channels not divisible by num_groups", () => {
    expectError(() => GroupNormalization_21.infer([info([1, 6, 4]), info([6]), info([6])], ctxFor("GroupNormalization", { num_groups: 4 })), "SHAPE", /divisible by num_groups/);
  });
  it("LRN with an even size reaches floor((size-1)/2) channels down and ceil((size-1)/2) up", () => {
    // onnxruntime only implements odd sizes; the ONNX spec's window for size 2 is [c, c+1]
    const x = tensorOf("float32", [1, 4, 1], [1, 2, 3, 4]);
    const [y] = LRN_1.run([x], ctxFor("LRN", { size: 2, alpha: 0.5, beta: 0.5, bias: { type: "float", value: 1 } }));
    const sq = [1 + 4, 4 + 9, 9 + 16, 16];
    const want = [1, 2, 3, 4].map((v, c) => Math.fround(v / Math.pow(1 + (0.5 / 2) * sq[c]!, 0.5)));
    expect(closeness(y!, { shape: [1, 4, 1], data: want }, 1e-6, 1e-7)).toBe(0);
  });
  for (const size of [3, 5]) {
    it(`LRN size ${size} matches onnxruntime`, async () => {
      const r = await againstOrt({
        op: "LRN",
        opset: 13,
        inputs: [{ name: "x", value: randomTensor(rng(size), [2, 7, 3, 3], -3, 3) }],
        outputs: ["y"],
        attrs: { size, alpha: { type: "float", value: 0.01 }, beta: { type: "float", value: 0.6 }, bias: { type: "float", value: 1.5 } },
      });
      expect(closeness(r[0]!.zkc, r[0]!.ort)).toBe(0);
    });
  }
});
