import { describe, expect, it } from "vitest";
import { buildModel } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate, randomSamples } from "../../compiler/quant/calibrate.js";
import { quantiseGraph } from "../../compiler/quant/quantise.js";
import { DEFAULT_CONFIG } from "../../compiler/quant/builder.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { ZkcError } from "../../compiler/errors.js";
import { tensorOf } from "../../compiler/ir/tensor.js";

function relu() {
  const bytes = buildModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, 4] }],
    outputs: [{ name: "y" }],
    nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }],
  });
  const g = loadModelBytes(bytes, "relu.onnx");
  return { g, cal: calibrate(g, randomSamples(g, 4, 3), { scale: 8 }) };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ZkcError);
    return (e as ZkcError).code;
  }
  return undefined;
}

describe("bad inputs to the integer interpreter", () => {
  it("wrong length names the input, the expected count and shape", () => {
    const { cal } = relu();
    expect(() => quantiseInput(cal.program, "x", [1, 2, 3])).toThrow(/input "x" has 3 values.*expected 4 \(shape \[1, 4\]\)/);
    expect(codeOf(() => quantiseInput(cal.program, "x", [1, 2, 3]))).toBe("INPUT");
  });

  it("NaN and infinities are rejected with their position", () => {
    const { cal } = relu();
    expect(() => quantiseInput(cal.program, "x", [0, NaN, 0, 0])).toThrow(/holds NaN at position 1/);
    expect(() => quantiseInput(cal.program, "x", [0, 0, Infinity, 0])).toThrow(/holds Infinity at position 2/);
  });

  it("an unknown input name lists the real ones", () => {
    const { cal } = relu();
    expect(() => quantiseInput(cal.program, "nope", [0])).toThrow(/inputs: x/);
  });

  it("values beyond the calibrated range saturate and are counted", () => {
    const { cal } = relu();
    const t = cal.program.tensors.get("x")!;
    const r = quantiseInput(cal.program, "x", [0.5, 1000, -1000, 0]);
    expect(r.clamped).toBe(2);
    expect(r.values[1]).toBe(t.maxAbs);
    expect(r.values[2]).toBe(-t.maxAbs);
    const out = runProgram(cal.program, new Map([["x", r.values]]));
    expect(out.get(cal.program.outputs[0]!)![1]).toBe(t.maxAbs);
  });

  it("a scale that would overflow the safe bound is a QUANTISATION error naming node and tensor", () => {
    const g = loadModelBytes(
      buildModel({
        inputs: [{ name: "x", dtype: "float32", shape: [1, 64] }],
        outputs: [{ name: "y" }],
        initializers: { w: tensorOf("float32", [64, 64], new Array(64 * 64).fill(1000)) },
        nodes: [{ op: "MatMul", inputs: ["x", "w"], outputs: ["y"], name: "big" }],
      }),
      "big.onnx",
    );
    const ranges = new Map([["x", { min: -1e6, max: 1e6 }]]);
    let err: ZkcError | undefined;
    try {
      quantiseGraph(g, { ...DEFAULT_CONFIG, inputScale: 16, activationScale: 16, paramScale: 16 }, ranges);
    } catch (e) {
      err = e as ZkcError;
    }
    expect(err?.code).toBe("QUANTISATION");
    expect(err?.message).toMatch(/big\.onnx: node "big" \(MatMul\)/);
    expect(err?.message).toMatch(/lower the quantisation scales/);
  });

  it("an op without a quantised lowering is named, and the float path still works", () => {
    const g = loadModelBytes(
      buildModel({
        opset: 17,
        inputs: [{ name: "x", dtype: "float32", shape: [3, 3] }],
        outputs: [{ name: "y", dtype: "float32", shape: [] }],
        nodes: [{ op: "Det", inputs: ["x"], outputs: ["y"], name: "det" }],
      }),
      "det.onnx",
    );
    expect(() => calibrate(g, randomSamples(g, 2, 1))).toThrow(/node "det" \(Det\): Det has no quantised lowering yet/);
  });
});
