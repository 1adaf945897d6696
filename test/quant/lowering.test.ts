/**
 * Every lowering against the float interpreter: single-node models on seeded random inputs,
 * quantised at scale 12, must match float within a relative L2 error of 1e-2 (and a shifted
 * output must not, so the comparison can fail).
 */
import { describe, expect, it } from "vitest";
import { buildModel, type NodeSpec } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate, seededRandom, type Feeds } from "../../compiler/quant/calibrate.js";
import { measureAccuracy } from "../../compiler/quant/accuracy.js";
import { type Tensor, tensor, tensorOf } from "../../compiler/ir/tensor.js";
import { runFloat } from "../../compiler/float/interpret.js";

interface Case {
  name: string;
  x: number[];
  node: Omit<NodeSpec, "inputs" | "outputs"> & { inputs?: string[] };
  init?: Record<string, Tensor>;
  /** input value range, default [-2, 2] */
  range?: [number, number];
  opset?: number;
  y?: number[];
}

const rnd = seededRandom(42);
const randT = (shape: number[], lo = -1, hi = 1) => tensorOf("float32", shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * rnd()));

const CASES: Case[] = [
  { name: "Add broadcast", x: [2, 3, 4], node: { op: "Add", inputs: ["x", "b"] }, init: { b: randT([4]) } },
  { name: "Sub", x: [2, 3], node: { op: "Sub", inputs: ["b", "x"] }, init: { b: randT([2, 3]) } },
  { name: "Mul by constant", x: [3, 4], node: { op: "Mul", inputs: ["x", "b"] }, init: { b: randT([3, 1]) } },
  { name: "Mul two tensors", x: [3, 4], node: { op: "Mul", inputs: ["x", "x"] } },
  { name: "Div by constant", x: [3, 4], node: { op: "Div", inputs: ["x", "b"] }, init: { b: randT([4], 0.5, 2) } },
  { name: "Div by positive tensor", x: [2, 5], node: { op: "Div", inputs: ["b", "x"] }, init: { b: randT([2, 5]) }, range: [0.5, 2] },
  { name: "Div by negative tensor (sign-handling form)", x: [2, 5], node: { op: "Div", inputs: ["b", "x"] }, init: { b: randT([2, 5]) }, range: [-2, -0.5] },
  { name: "Neg", x: [7], node: { op: "Neg" } },
  { name: "Abs", x: [7], node: { op: "Abs" } },
  { name: "Relu", x: [4, 5], node: { op: "Relu" } },
  { name: "LeakyRelu", x: [4, 5], node: { op: "LeakyRelu", attrs: { alpha: 0.1 } } },
  { name: "PRelu", x: [1, 3, 4], node: { op: "PRelu", inputs: ["x", "s"] }, init: { s: randT([3, 1], 0, 0.5) } },
  { name: "Clip", x: [10], node: { op: "Clip", inputs: ["x", "lo", "hi"] }, init: { lo: tensorOf("float32", [], [-0.5]), hi: tensorOf("float32", [], [1]) } },
  { name: "Max variadic", x: [3, 4], node: { op: "Max", inputs: ["x", "b"] }, init: { b: randT([4]) } },
  { name: "Min", x: [3, 4], node: { op: "Min", inputs: ["x", "b"] }, init: { b: randT([3, 4]) } },
  { name: "Sigmoid", x: [64], node: { op: "Sigmoid" }, range: [-6, 6] },
  { name: "Tanh", x: [64], node: { op: "Tanh" } },
  { name: "Exp", x: [64], node: { op: "Exp" } },
  { name: "Log", x: [64], node: { op: "Log" }, range: [0.2, 4] },
  { name: "Sqrt", x: [64], node: { op: "Sqrt" }, range: [0.1, 4] },
  { name: "Erf", x: [64], node: { op: "Erf" } },
  { name: "Gelu", x: [64], node: { op: "Gelu" }, opset: 20 },
  { name: "HardSwish", x: [64], node: { op: "HardSwish" } },
  { name: "Softplus", x: [64], node: { op: "Softplus" } },
  { name: "Swish alpha 1.5", x: [64], node: { op: "Swish", attrs: { alpha: 1.5 } }, opset: 24 },
  { name: "Tan", x: [64], node: { op: "Tan" }, range: [-1.2, 1.2] },
  { name: "Asin", x: [64], node: { op: "Asin" }, range: [-0.95, 0.95] },
  { name: "Acos", x: [64], node: { op: "Acos" }, range: [-0.95, 0.95] },
  { name: "Atan", x: [64], node: { op: "Atan" }, range: [-4, 4] },
  { name: "Sinh", x: [64], node: { op: "Sinh" } },
  { name: "Cosh", x: [64], node: { op: "Cosh" } },
  { name: "Asinh", x: [64], node: { op: "Asinh" }, range: [-4, 4] },
  { name: "Acosh", x: [64], node: { op: "Acosh" }, range: [1.05, 4] },
  { name: "Atanh", x: [64], node: { op: "Atanh" }, range: [-0.9, 0.9] },
  { name: "Pow 2", x: [16], node: { op: "Pow", inputs: ["x", "e"] }, init: { e: tensorOf("float32", [], [2]) } },
  { name: "Pow 3", x: [16], node: { op: "Pow", inputs: ["x", "e"] }, init: { e: tensorOf("float32", [], [3]) } },
  { name: "MatMul weights", x: [2, 3, 8], node: { op: "MatMul", inputs: ["x", "w"] }, init: { w: randT([8, 5]) } },
  { name: "MatMul two tensors", x: [2, 4, 4], node: { op: "MatMul", inputs: ["x", "x"] } },
  { name: "Gemm transB", x: [2, 6], node: { op: "Gemm", inputs: ["x", "w", "c"], attrs: { transB: 1, alpha: 0.5, beta: 2 } }, init: { w: randT([3, 6]), c: randT([3]) } },
  { name: "Conv pads strides", x: [1, 2, 9, 9], node: { op: "Conv", inputs: ["x", "w", "b"], attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } }, init: { w: randT([4, 2, 3, 3]), b: randT([4]) } },
  { name: "Conv depthwise dilated", x: [1, 3, 8, 8], node: { op: "Conv", inputs: ["x", "w"], attrs: { group: 3, dilations: [2, 2], auto_pad: "SAME_UPPER" } }, init: { w: randT([6, 1, 2, 2]) } },
  { name: "Conv batch 2", x: [2, 2, 5, 5], node: { op: "Conv", inputs: ["x", "w"] }, init: { w: randT([3, 2, 3, 3]) } },
  { name: "ConvTranspose 1-D stride 2", x: [1, 2, 6], node: { op: "ConvTranspose", inputs: ["x", "w", "b"], attrs: { strides: [2], pads: [1, 0] } }, init: { w: randT([2, 3, 3]), b: randT([3]) } },
  { name: "ConvTranspose 2-D groups, output_padding", x: [1, 4, 4, 4], node: { op: "ConvTranspose", inputs: ["x", "w"], attrs: { group: 2, strides: [2, 2], output_padding: [1, 0], pads: [1, 1, 0, 0] } }, init: { w: randT([4, 3, 3, 3]) } },
  { name: "ConvTranspose 2-D SAME_UPPER dilated", x: [2, 2, 3, 3], node: { op: "ConvTranspose", inputs: ["x", "w"], attrs: { auto_pad: "SAME_UPPER", strides: [2, 2], dilations: [2, 1] } }, init: { w: randT([2, 2, 2, 3]) } },
  { name: "ConvTranspose 3-D", x: [1, 2, 3, 3, 2], node: { op: "ConvTranspose", inputs: ["x", "w"], attrs: { strides: [1, 2, 1] } }, init: { w: randT([2, 2, 2, 2, 2]) } },
  { name: "MaxPool padded", x: [1, 2, 6, 6], node: { op: "MaxPool", attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } } },
  { name: "AveragePool no pad count", x: [1, 2, 5, 5], node: { op: "AveragePool", attrs: { kernel_shape: [2, 2], pads: [1, 1, 0, 0] } } },
  { name: "GlobalAveragePool", x: [1, 3, 4, 5], node: { op: "GlobalAveragePool" } },
  { name: "GlobalMaxPool", x: [1, 3, 4, 5], node: { op: "GlobalMaxPool" } },
  { name: "BatchNormalization", x: [1, 3, 4, 4], node: { op: "BatchNormalization", inputs: ["x", "s", "b", "m", "v"] }, init: { s: randT([3]), b: randT([3]), m: randT([3]), v: randT([3], 0.5, 2) } },
  { name: "LayerNormalization", x: [2, 3, 16], node: { op: "LayerNormalization", inputs: ["x", "s", "b"], attrs: { axis: -1 } }, init: { s: randT([16]), b: randT([16]) } },
  { name: "InstanceNormalization", x: [2, 3, 4, 4], node: { op: "InstanceNormalization", inputs: ["x", "s", "b"] }, init: { s: randT([3]), b: randT([3]) } },
  { name: "GroupNormalization 21, per channel", x: [1, 4, 3, 3], node: { op: "GroupNormalization", inputs: ["x", "s", "b"], attrs: { num_groups: 2 } }, init: { s: randT([4]), b: randT([4]) }, opset: 21 },
  { name: "GroupNormalization 18, per group", x: [2, 6, 5], node: { op: "GroupNormalization", inputs: ["x", "s", "b"], attrs: { num_groups: 3 } }, init: { s: randT([3]), b: randT([3]) }, opset: 18 },
  { name: "LRN size 3", x: [1, 5, 3, 3], node: { op: "LRN", attrs: { size: 3, alpha: 0.5, beta: 0.75, bias: 1 } } },
  { name: "ReduceMean axes 1", x: [2, 3, 4], node: { op: "ReduceMean", inputs: ["x", "axes"] }, init: { axes: tensorOf("int64", [1], [1]) }, opset: 18 },
  { name: "ReduceSum last", x: [2, 3, 4], node: { op: "ReduceSum", inputs: ["x", "axes"], attrs: { keepdims: 0 } }, init: { axes: tensorOf("int64", [1], [-1]) } },
  { name: "ReduceL1 axes 1", x: [2, 3, 4], node: { op: "ReduceL1", attrs: { axes: [1] } }, opset: 13 },
  { name: "ReduceL2 last, no keepdims", x: [3, 8], node: { op: "ReduceL2", attrs: { axes: [-1], keepdims: 0 } }, opset: 13 },
  { name: "ReduceSumSquare axes 0,2", x: [2, 3, 4], node: { op: "ReduceSumSquare", attrs: { axes: [0, 2] } }, opset: 13 },
  { name: "ReduceLogSum of positives", x: [4, 6], node: { op: "ReduceLogSum", attrs: { axes: [1] } }, opset: 13, range: [0.1, 2] },
  { name: "ReduceLogSumExp all axes", x: [3, 5], node: { op: "ReduceLogSumExp" }, opset: 13, range: [-3, 3] },
  { name: "ReduceProd axes 1", x: [3, 4], node: { op: "ReduceProd", attrs: { axes: [1] } }, opset: 13, range: [0.5, 1.5] },
  { name: "CumSum exclusive reverse", x: [2, 5, 3], node: { op: "CumSum", inputs: ["x", "ax"], attrs: { exclusive: 1, reverse: 1 } }, init: { ax: tensorOf("int64", [], [1]) } },
  { name: "Trilu upper k=1", x: [2, 4, 5], node: { op: "Trilu", inputs: ["x", "k"] }, init: { k: tensorOf("int64", [], [1]) } },
  { name: "Shrink", x: [64], node: { op: "Shrink", attrs: { lambd: 0.5, bias: 0.25 } } },
  { name: "ScatterElements", x: [3, 4], node: { op: "ScatterElements", inputs: ["x", "i", "u"], attrs: { axis: 1 } }, init: { i: tensorOf("int64", [2, 2], [3, 0, 1, 2]), u: randT([2, 2]) } },
  { name: "ReduceMax axes 0,2", x: [3, 2, 5], node: { op: "ReduceMax", attrs: { axes: [0, 2] } }, opset: 13 },
  { name: "Softmax last axis", x: [3, 10], node: { op: "Softmax", attrs: { axis: -1 } }, range: [-4, 4] },
  { name: "Softmax middle axis", x: [2, 5, 3], node: { op: "Softmax", attrs: { axis: 1 } } },
  { name: "LogSoftmax", x: [2, 8], node: { op: "LogSoftmax", attrs: { axis: 1 } } },
  { name: "Einsum matmul by constant", x: [3, 4], node: { op: "Einsum", inputs: ["x", "w"], attrs: { equation: "ij,jk->ik" } }, init: { w: randT([4, 5]) }, opset: 12 },
  { name: "Einsum batched, both runtime", x: [2, 3, 4], node: { op: "Einsum", inputs: ["x", "x"], attrs: { equation: "bij,bkj->bik" } }, opset: 12 },
  { name: "Einsum diagonal, summed and transposed", x: [3, 3, 4], node: { op: "Einsum", inputs: ["x"], attrs: { equation: "iij->ji" } }, opset: 12 },
  { name: "Einsum three operands, ellipsis", x: [2, 3, 4], node: { op: "Einsum", inputs: ["x", "w", "v"], attrs: { equation: "...ij,jk,k->...i" } }, init: { w: randT([4, 5]), v: randT([5]) }, opset: 12 },
  { name: "Hardmax middle axis", x: [2, 6, 3], node: { op: "Hardmax", attrs: { axis: 1 } }, opset: 13 },
  { name: "LpNormalization p 1", x: [3, 5], node: { op: "LpNormalization", attrs: { p: 1, axis: 1 } } },
  { name: "LpNormalization p 2 axis 0", x: [4, 3], node: { op: "LpNormalization", attrs: { p: 2, axis: 0 } } },
  { name: "MeanVarianceNormalization", x: [2, 3, 4, 4], node: { op: "MeanVarianceNormalization" }, opset: 13 },
  { name: "RMSNormalization axis 1, broadcast scale", x: [2, 3, 8], node: { op: "RMSNormalization", inputs: ["x", "s"], attrs: { axis: 1, epsilon: 1e-3 } }, init: { s: randT([1, 8]) }, opset: 23 },
  { name: "LpPool p 2 padded", x: [1, 2, 5, 5], node: { op: "LpPool", attrs: { kernel_shape: [2, 2], pads: [1, 1, 0, 0], p: 2 } } },
  { name: "LpPool p 3", x: [1, 2, 6], node: { op: "LpPool", attrs: { kernel_shape: [3], strides: [1], p: 3 } } },
  { name: "Mod fmod 1 by constants of both signs", x: [2, 8], node: { op: "Mod", inputs: ["x", "d"], attrs: { fmod: 1 } }, init: { d: tensorOf("float32", [8], [0.75, -1.25, 1.5, -0.5, 3, -3, 0.25, 1]) }, opset: 13 },
  { name: "Transpose", x: [2, 3, 4], node: { op: "Transpose", attrs: { perm: [2, 0, 1] } } },
  { name: "Concat with constant", x: [2, 3], node: { op: "Concat", inputs: ["x", "b", "x"], attrs: { axis: 1 } }, init: { b: randT([2, 2]) } },
  { name: "Slice", x: [4, 6], node: { op: "Slice", inputs: ["x", "st", "en", "ax", "sp"] }, init: { st: tensorOf("int64", [2], [1, 5]), en: tensorOf("int64", [2], [4, 0]), ax: tensorOf("int64", [2], [0, 1]), sp: tensorOf("int64", [2], [2, -2]) } },
  { name: "Pad constant 0.5", x: [1, 2, 3], node: { op: "Pad", inputs: ["x", "p", "v"] }, init: { p: tensorOf("int64", [6], [0, 1, 1, 0, 0, 2]), v: tensorOf("float32", [], [0.5]) } },
  { name: "Pad reflect", x: [1, 4], node: { op: "Pad", inputs: ["x", "p"], attrs: { mode: "reflect" } }, init: { p: tensorOf("int64", [4], [0, 2, 0, 1]) } },
  { name: "Gather", x: [5, 3], node: { op: "Gather", inputs: ["x", "i"], attrs: { axis: 0 } }, init: { i: tensorOf("int64", [4], [4, 0, -1, 2]) } },
];

function caseFeeds(shape: number[], range: [number, number], seed: number): Feeds {
  const r = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { x: tensor("float32", shape, Float64Array.from({ length: n }, () => Math.fround(range[0] + (range[1] - range[0]) * r()))) };
}

describe("lowerings match float semantics", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const bytes = buildModel({
        opset: c.opset ?? 17,
        inputs: [{ name: "x", dtype: "float32", shape: c.x }],
        outputs: [{ name: "y" }],
        initializers: c.init ?? {},
        nodes: [{ ...c.node, inputs: c.node.inputs ?? ["x"], outputs: ["y"] }],
      });
      const g = loadModelBytes(bytes, `${c.name}.onnx`);
      const range = c.range ?? [-2, 2];
      const samples = Array.from({ length: 4 }, (_, i) => caseFeeds(c.x, range, 100 + i));
      const cal = calibrate(g, samples, { scale: 12 });
      const acc = measureAccuracy(g, cal.program, Array.from({ length: 6 }, (_, i) => caseFeeds(c.x, range, 200 + i)));
      expect(acc.worstRelL2).toBeLessThan(1e-2);
      // the check can fail: at scale 2 the same model is visibly off
      const coarse = calibrate(g, samples, { scale: 2 });
      expect(coarse.accuracy.worstRelL2).toBeGreaterThan(acc.worstRelL2);
    });
  }
});

describe("Mod on integers by a constant divisor", () => {
  const x = [-7, -6, -5, -1, 0, 1, 4, 5, 6, 7, 11, -11];
  const divisors = [3, -3, 4, -4, 5, 2, 3, -3, 4, -4, 5, -2];
  for (const fmod of [0, 1]) {
    it(`fmod ${fmod}: exactly the float interpreter's remainders, signs included`, () => {
      const bytes = buildModel({
        opset: 13,
        inputs: [{ name: "x", dtype: "int32", shape: [12] }],
        outputs: [{ name: "y" }],
        initializers: { d: tensorOf("int32", [12], divisors) },
        nodes: [{ op: "Mod", inputs: ["x", "d"], outputs: ["y"], attrs: { fmod } }],
      });
      const g = loadModelBytes(bytes, `mod-${fmod}.onnx`);
      const feeds = { x: tensorOf("int32", [12], x) };
      const acc = measureAccuracy(g, calibrate(g, [feeds], { scale: 8 }).program, [feeds]);
      expect(acc.outputs[0]!.maxAbsError).toBe(0);
      // the reference differs between the modes on mixed signs, so equality above is not vacuous
      const want = fmod ? x.map((v, i) => v % divisors[i]!) : x.map((v, i) => ((v % divisors[i]!) + divisors[i]!) % divisors[i]!);
      expect(Array.from(runFloat(g, feeds).get("y")!.data)).toEqual(want.map((v) => v + 0));
    });
  }

  it("a divisor of 0 is refused, naming the constant", () => {
    const bytes = buildModel({
      opset: 13,
      inputs: [{ name: "x", dtype: "int32", shape: [2] }],
      outputs: [{ name: "y" }],
      initializers: { zero: tensorOf("int32", [2], [3, 0]) },
      nodes: [{ op: "Mod", inputs: ["x", "zero"], outputs: ["y"] }],
    });
    const g = loadModelBytes(bytes, "mod-0.onnx");
    expect(() => calibrate(g, [{ x: tensorOf("int32", [2], [1, 2]) }], { scale: 8 })).toThrow(/divisor that is 0 on x's grid \(constant "zero"\)/);
  });
});

describe("BitShift by constant amounts", () => {
  const model = (direction: string, amounts: number[]) =>
    loadModelBytes(
      buildModel({
        opset: 13,
        inputs: [{ name: "x", dtype: "uint16", shape: [6] }],
        outputs: [{ name: "y" }],
        initializers: { k: tensorOf("uint16", [6], amounts) },
        nodes: [{ op: "BitShift", inputs: ["x", "k"], outputs: ["y"], attrs: { direction } }],
      }),
      `shift-${direction}.onnx`,
    );
  const feeds = { x: tensorOf("uint16", [6], [0, 1, 7, 255, 1000, 4095]) };

  for (const [direction, amounts, want] of [
    ["LEFT", [1, 2, 3, 4, 0, 4], [0, 4, 56, 4080, 1000, 65520]],
    ["RIGHT", [1, 0, 2, 4, 3, 13], [0, 1, 1, 15, 125, 0]],
  ] as const) {
    it(`${direction}: exactly the float interpreter's values`, () => {
      const g = model(direction, [...amounts]);
      expect(Array.from(runFloat(g, feeds).get("y")!.data)).toEqual(want);
      expect(measureAccuracy(g, calibrate(g, [feeds], { scale: 8 }).program, [feeds]).outputs[0]!.maxAbsError).toBe(0);
    });
  }

  it("a LEFT shift that could wrap around is refused", () => {
    const g = model("LEFT", [8, 8, 8, 8, 8, 8]);
    expect(() => calibrate(g, [feeds], { scale: 8 })).toThrow(/could pass 65535.*wrap-around/);
  });
});
