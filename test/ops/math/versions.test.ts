/**
 * Opset-dependent semantics checked against onnxruntime-node (the ONNX conformance cases are
 * stamped with recent opsets, so older versions need their own oracle): Softmax/LogSoftmax/
 * Hardmax 2-D coercion, Clip attributes vs inputs, Reduce* axes attribute vs input, variadic ops
 * without broadcasting, ArgMax select_last_index, integer Div/Mod/Add, Round, Gelu, CumSum.
 * Inputs come from a fixed seed.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { type DType, type Tensor, tensorOf } from "../../../compiler/ir/tensor.js";
import { type ModelSpec, node } from "../../../compiler/onnx/build.js";
import type { AttrInput } from "../../../compiler/onnx/build.js";
import { loadModelBytes } from "../../../compiler/onnx/load.js";
import { attr, buildModel } from "../../../compiler/onnx/build.js";
import { compare } from "./conformance.js";
import { runBoth, seededValues } from "./ort-oracle.js";

const X234 = tensorOf("float32", [2, 3, 4], seededValues(1, 24));

/** A one-node model over named inputs (all runtime inputs unless given as initializers). */
function oneNode(
  op: string,
  opset: number,
  inputs: Record<string, Tensor>,
  attrs: Record<string, AttrInput> = {},
  initializers: Record<string, Tensor> = {},
  inputOrder?: string[],
  outDType?: DType,
): ModelSpec {
  const names = inputOrder ?? [...Object.keys(inputs), ...Object.keys(initializers)];
  return {
    opset,
    inputs: Object.entries(inputs).map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
    outputs: [{ name: "y", dtype: outDType ?? Object.values(inputs)[0]!.dtype }],
    initializers,
    nodes: [node(op, names, ["y"], attrs)],
  };
}

async function agree(spec: ModelSpec, feeds: Record<string, Tensor>, rtol = 1e-5, atol = 1e-6): Promise<Tensor> {
  const { ort, zkc } = await runBoth(spec, feeds);
  expect(compare(ort, zkc, rtol, atol)).toBeNull();
  return zkc;
}

describe("lane ops: 2-D coercion before opset 13, single axis from 13", () => {
  for (const op of ["Softmax", "LogSoftmax", "Hardmax"]) {
    it(`${op} opset 11 (axis 1 coerces [2,3,4] to [2,12]) and opset 13 (axis 1 alone) both match onnxruntime`, async () => {
      const old = await agree(oneNode(op, 11, { x: X234 }, { axis: 1 }), { x: X234 });
      const now = await agree(oneNode(op, 13, { x: X234 }, { axis: 1 }), { x: X234 });
      // the two versions really differ on this input
      expect(compare(old, now, 1e-3, 1e-5)).not.toBeNull();
    });
    it(`${op} default axis: 1 at opset 11, -1 at opset 13`, async () => {
      await agree(oneNode(op, 11, { x: X234 }), { x: X234 });
      await agree(oneNode(op, 13, { x: X234 }), { x: X234 });
    });
  }
});

describe("Clip: attributes (6-10) vs optional inputs (11+)", () => {
  it("opset 6 with min/max attributes, and with none", async () => {
    const clipped = await agree(oneNode("Clip", 6, { x: X234 }, { min: -0.5, max: 1.25 }), { x: X234 });
    expect(Math.min(...clipped.data)).toBeCloseTo(-0.5, 6);
    const same = await agree(oneNode("Clip", 6, { x: X234 }), { x: X234 });
    expect([...same.data]).toEqual([...X234.data]);
  });
  it("opset 6 default bounds are the float32 range (+-inf become +-FLT_MAX)", async () => {
    const x = tensorOf("float32", [3], [Infinity, -Infinity, 1]);
    const y = await agree(oneNode("Clip", 6, { x }), { x });
    expect([...y.data]).toEqual([3.4028234663852886e38, -3.4028234663852886e38, 1]);
  });
  it("opset 11 with only a min input (max omitted), and opset 13 int32 with both", async () => {
    const lo = tensorOf("float32", [], [-1]);
    await agree(oneNode("Clip", 11, { x: X234, lo }, {}, {}, ["x", "lo"]), { x: X234, lo });
    const xi = tensorOf("int32", [2, 3], [-7, -2, 0, 3, 9, 100]);
    const loI = tensorOf("int32", [], [-3]);
    const hiI = tensorOf("int32", [], [8]);
    const y = await agree(oneNode("Clip", 13, { x: xi, loI, hiI }), { x: xi, loI, hiI });
    expect([...y.data]).toEqual([-3, -2, 0, 3, 8, 8]);
  });
  it("opset 11 with min > max gives max everywhere", async () => {
    const lo = tensorOf("float32", [], [2]);
    const hi = tensorOf("float32", [], [1]);
    const y = await agree(oneNode("Clip", 11, { x: X234, lo, hi }), { x: X234, lo, hi });
    expect(new Set(y.data)).toEqual(new Set([1]));
  });
});

describe("reductions: axes attribute vs axes input, keepdims, noop_with_empty_axes", () => {
  const cases: [string, number, Record<string, AttrInput>, number[] | null][] = [
    ["ReduceMean", 13, { axes: [0, 2], keepdims: 0 }, null],
    ["ReduceMean", 18, { keepdims: 0 }, [0, -1]],
    ["ReduceSum", 11, { axes: [-2] }, null],
    ["ReduceSum", 13, { keepdims: 1 }, [1]],
    ["ReduceMax", 13, { axes: [1, 2] }, null],
    ["ReduceMax", 18, {}, [2]],
    ["ReduceMin", 18, { keepdims: 0 }, [0]],
    ["ReduceProd", 13, { axes: [2] }, null],
    ["ReduceL1", 18, {}, [1, 2]],
    ["ReduceL2", 13, {}, null],
    ["ReduceSumSquare", 18, { keepdims: 0 }, [1]],
    ["ReduceLogSumExp", 18, {}, [2]],
  ];
  for (const [op, opset, attrs, axes] of cases) {
    it(`${op} opset ${opset} ${JSON.stringify(attrs)} axes input ${JSON.stringify(axes)}`, async () => {
      const init: Record<string, Tensor> = axes ? { axes: tensorOf("int64", [axes.length], axes) } : {};
      await agree(oneNode(op, opset, { x: X234 }, attrs, init), { x: X234 });
    });
  }
  it("ReduceLogSum opset 18 on positive data", async () => {
    const x = tensorOf("float32", [3, 4], seededValues(2, 12, 0.1, 5));
    await agree(oneNode("ReduceLogSum", 18, { x }, {}, { axes: tensorOf("int64", [1], [1]) }), { x });
  });
  it("ReduceSum opset 13 with an empty axes input: all axes, or none with noop_with_empty_axes=1", async () => {
    const empty = { axes: tensorOf("int64", [0], []) };
    const all = await agree(oneNode("ReduceSum", 13, { x: X234 }, {}, empty), { x: X234 });
    expect(all.shape).toEqual([1, 1, 1]);
    const noop = await agree(oneNode("ReduceSum", 13, { x: X234 }, { noop_with_empty_axes: 1 }, empty), { x: X234 });
    expect([...noop.data]).toEqual([...X234.data]);
  });
  for (const op of ["ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp", "ReduceMean", "ReduceMax", "ReduceProd"]) {
    it(`${op} opset 18 with noop_with_empty_axes=1 reduces each element alone (|x| for L1/L2, x^2 for SumSquare)`, async () => {
      const empty = { axes: tensorOf("int64", [0], []) };
      await agree(oneNode(op, 18, { x: X234 }, { noop_with_empty_axes: 1 }, empty), { x: X234 });
    });
  }
  it("ReduceMean on int32 truncates the mean", async () => {
    const x = tensorOf("int32", [2, 3], [1, 2, 2, -1, -2, -2]);
    const y = await agree(oneNode("ReduceMean", 18, { x }, { keepdims: 0 }, { axes: tensorOf("int64", [1], [1]) }), { x });
    expect([...y.data]).toEqual([1, -1]);
  });
  it("an axes input that is not constant is rejected at compile time (UNSUPPORTED_FEATURE)", () => {
    const spec = oneNode("ReduceSum", 13, { x: X234, axes: tensorOf("int64", [1], [0]) });
    expect(() => loadModelBytes(buildModel(spec), "m.onnx")).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_FEATURE", message: expect.stringMatching(/axes.*compile time/) }),
    );
  });
});

describe("variadic ops: equal shapes before opset 8, broadcasting from 8", () => {
  const a = tensorOf("float32", [2, 3], seededValues(3, 6));
  const b = tensorOf("float32", [2, 3], seededValues(4, 6));
  const c = tensorOf("float32", [2, 3], seededValues(5, 6));
  for (const op of ["Sum", "Mean", "Max", "Min"]) {
    it(`${op} opset 7 over three equal shapes, opset 13 with broadcasting`, async () => {
      await agree(oneNode(op, 7, { a, b, c }), { a, b, c });
      const row = tensorOf("float32", [3], seededValues(6, 3));
      const col = tensorOf("float32", [2, 1], seededValues(7, 2));
      await agree(oneNode(op, 13, { a, row, col }), { a, row, col });
    });
  }
  it("opset 7 rejects unequal shapes with SHAPE, naming them", () => {
    const row = tensorOf("float32", [3], [1, 2, 3]);
    expect(() => loadModelBytes(buildModel(oneNode("Sum", 7, { a, row })), "m.onnx")).toThrow(
      expect.objectContaining({ code: "SHAPE", message: expect.stringContaining("[2, 3], [3]") }),
    );
  });
});

describe("index and integer semantics", () => {
  const ties = tensorOf("int32", [2, 5], [3, 9, 1, 9, 2, -4, -4, 0, -4, -1]);
  for (const op of ["ArgMax", "ArgMin"]) {
    it(`${op}: first vs last of tied extremes, keepdims 0 / 1, negative axis`, async () => {
      const first = await agree(oneNode(op, 12, { x: ties }, { axis: -1, keepdims: 0 }, {}, undefined, "int64"), { x: ties });
      const last = await agree(oneNode(op, 12, { x: ties }, { axis: 1, select_last_index: 1 }, {}, undefined, "int64"), { x: ties });
      expect(first.shape).toEqual([2]);
      expect(last.shape).toEqual([2, 1]);
      expect([...first.data]).not.toEqual([...last.data]);
      await agree(oneNode(op, 11, { x: X234 }, { axis: 0 }, {}, undefined, "int64"), { x: X234 });
    });
  }
  it("Div on int32 truncates toward zero; Mod fmod=0 takes the divisor's sign, fmod=1 the dividend's", async () => {
    const a = tensorOf("int32", [6], [7, -7, 7, -7, 9, -9]);
    const b = tensorOf("int32", [6], [2, 2, -2, -2, 4, 4]);
    const q = await agree(oneNode("Div", 14, { a, b }), { a, b });
    expect([...q.data]).toEqual([3, -3, -3, 3, 2, -2]);
    const m0 = await agree(oneNode("Mod", 13, { a, b }), { a, b });
    expect([...m0.data]).toEqual([1, 1, -1, -1, 1, 3]);
    const m1 = await agree(oneNode("Mod", 13, { a, b }, { fmod: 1 }), { a, b });
    expect([...m1.data]).toEqual([1, -1, 1, -1, 1, -1]);
  });
  it("Add and Mul on int8 wrap around", async () => {
    const a = tensorOf("int8", [3], [100, -100, 127]);
    const b = tensorOf("int8", [3], [100, -100, 1]);
    const s = await agree(oneNode("Add", 14, { a, b }), { a, b });
    expect([...s.data]).toEqual([-56, 56, -128]);
    await agree(oneNode("Mul", 14, { a, b }), { a, b });
  });
  it("Pow with a float base and an int64 exponent keeps the base's dtype", async () => {
    const x = tensorOf("float32", [2, 3], seededValues(8, 6, 0.5, 3));
    const e = tensorOf("int64", [3], [2, 3, -1]);
    await agree(oneNode("Pow", 15, { x, e }), { x, e });
  });
  it("Round halves to even", async () => {
    const x = tensorOf("float32", [8], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001]);
    const y = await agree(oneNode("Round", 11, { x }), { x });
    expect([...y.data]).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });
  it("CumSum exclusive and reverse along a constant axis", async () => {
    const axis = { axis: tensorOf("int64", [], [1]) };
    await agree(oneNode("CumSum", 14, { x: X234 }, { exclusive: 1, reverse: 1 }, axis), { x: X234 });
    await agree(oneNode("CumSum", 14, { x: X234 }, {}, { axis: tensorOf("int32", [], [-1]) }), { x: X234 });
  });
});

describe("activations against onnxruntime", () => {
  const x = tensorOf("float32", [3, 8], seededValues(9, 24, -6, 6));
  const cases: [string, number, Record<string, AttrInput>][] = [
    ["Gelu", 20, {}],
    ["Gelu", 20, { approximate: "tanh" }],
    ["Erf", 13, {}],
    ["Sigmoid", 13, {}],
    ["HardSigmoid", 6, { alpha: 0.3, beta: 0.4 }],
    ["HardSwish", 14, {}],
    ["LeakyRelu", 16, { alpha: 0.2 }],
    ["Elu", 6, { alpha: 0.7 }],
    ["Selu", 6, {}],
    ["Celu", 12, { alpha: attr.float(2) }],
    ["Softplus", 1, {}],
    ["Softsign", 1, {}],
    ["Mish", 18, {}],
    ["ThresholdedRelu", 10, { alpha: 0.5 }],
    ["Shrink", 9, { lambd: attr.float(1), bias: 0.25 }],
  ];
  for (const [op, opset, attrs] of cases) {
    it(`${op} opset ${opset} ${JSON.stringify(attrs)}`, async () => {
      await agree(oneNode(op, opset, { x }, attrs), { x }, 1e-5, 1e-6);
    });
  }
  it("PRelu with a per-channel slope [3,1,1] over [2,3,2,2]", async () => {
    const xs = tensorOf("float32", [2, 3, 2, 2], seededValues(10, 24));
    const slope = tensorOf("float32", [3, 1, 1], [0.1, 0.5, 2]);
    await agree(oneNode("PRelu", 16, { x: xs, slope }), { x: xs, slope });
  });
  it("a wrong attribute value is caught by the comparison (HardSigmoid alpha 0.3 vs default)", async () => {
    const { ort } = await runBoth(oneNode("HardSigmoid", 6, { x }, { alpha: 0.3 }), { x });
    const { zkc } = await runBoth(oneNode("HardSigmoid", 6, { x }), { x });
    expect(compare(ort, zkc, 1e-5, 1e-6)).not.toBeNull();
  });
  it("Gelu with an unknown approximate value is rejected with ATTRIBUTE", () => {
    expect(() => loadModelBytes(buildModel(oneNode("Gelu", 20, { x }, { approximate: "fast" })), "m.onnx")).toThrow(ZkcError);
    expect(() => loadModelBytes(buildModel(oneNode("Gelu", 20, { x }, { approximate: "fast" })), "m.onnx")).toThrow(
      expect.objectContaining({ code: "ATTRIBUTE" }),
    );
  });
});

describe("TopK versions and Det against onnxruntime", () => {
  const ties = tensorOf("float32", [2, 6], [3, 1, 3, 2, 1, 3, -1, 5, 5, 0, -1, 5]);
  /** TopK has two outputs: check values and indices separately. */
  function topK(opset: number, attrs: Record<string, AttrInput>, k: number | null, output: "values" | "indices"): ModelSpec {
    const init: Record<string, Tensor> = k === null ? {} : { k: tensorOf("int64", [1], [k]) };
    return {
      opset,
      inputs: [{ name: "x", dtype: "float32", shape: [2, 6] }],
      outputs: [{ name: "y", dtype: output === "values" ? "float32" : "int64" }],
      initializers: init,
      nodes: [node("TopK", k === null ? ["x"] : ["x", "k"], output === "values" ? ["y", "unused"] : ["unused", "y"], attrs)],
    };
  }
  for (const output of ["values", "indices"] as const) {
    it(`TopK ${output}: opset 1 (k attribute), 10 (k input), 11 smallest with ties`, async () => {
      await agree(topK(1, { k: 3 }, null, output), { x: ties });
      await agree(topK(10, { axis: 1 }, 4, output), { x: ties });
      const smallest = await agree(topK(11, { largest: 0 }, 3, output), { x: ties });
      if (output === "indices") expect([...smallest.data]).toEqual([1, 4, 3, 0, 4, 3]);
    });
  }
  it("TopK rejects k larger than the axis (SHAPE)", () => {
    expect(() => loadModelBytes(buildModel(topK(11, {}, 7, "values")), "m.onnx")).toThrow(expect.objectContaining({ code: "SHAPE" }));
  });
  it("Det of a batch of 3x3 matrices, including a singular one", async () => {
    const m = tensorOf("float32", [2, 3, 3], [...seededValues(11, 9), 1, 2, 3, 2, 4, 6, 0, 1, 1]);
    const y = await agree(oneNode("Det", 11, { x: m }), { x: m }, 1e-4, 1e-5);
    expect(y.data[1]).toBe(0);
  });
});

describe("window functions (opset 17) against onnxruntime", () => {
  for (const op of ["HannWindow", "HammingWindow", "BlackmanWindow"]) {
    it(`${op}: periodic and symmetric differ, both match; float64 output_datatype`, async () => {
      const spec = (attrs: Record<string, AttrInput>, dtype: DType = "float32"): ModelSpec => ({
        opset: 17,
        inputs: [{ name: "dummy", dtype: "float32", shape: [1] }],
        outputs: [{ name: "y", dtype }],
        initializers: { size: tensorOf("int64", [], [10]) },
        nodes: [node(op, ["size"], ["w"], attrs), node("Identity", ["w"], ["y"])],
      });
      const dummy = tensorOf("float32", [1], [0]);
      const periodic = await agree(spec({}), { dummy });
      const symmetric = await agree(spec({ periodic: 0 }), { dummy });
      expect(compare(periodic, symmetric, 1e-3, 1e-5)).not.toBeNull();
      // onnxruntime evaluates the coefficients in float32 even for a float64 output
      await agree(spec({ output_datatype: 11 }, "float64"), { dummy }, 1e-6, 1e-7);
    });
  }
});
