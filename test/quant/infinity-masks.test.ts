/**
 * Attention masks with -inf: a -inf constant (a causal mask, or the branch of a Where on a bool
 * mask) stands in as an integer far below every finite value, calibration ranges ignore the
 * infinities but note them, saturation keeps the stand-in, and Softmax gives exactly 0 at the
 * masked positions.
 */
import { describe, expect, it } from "vitest";
import { buildModel } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate, floatPassInterpreter, seededRandom, type Feeds } from "../../compiler/quant/calibrate.js";
import { measureAccuracy } from "../../compiler/quant/accuracy.js";
import { INFINITY_STAND_IN } from "../../compiler/quant/builder.js";
import { tensor, tensorOf } from "../../compiler/ir/tensor.js";
import { dequantise, quantiseInput, runProgram } from "../../runtime/witness.js";
import type { QProgram } from "../../compiler/quant/prim.js";

const N = 5;
/** 0 on and below the diagonal, -inf above: position i sees keys 0..i. */
const causal = Float64Array.from({ length: N * N }, (_, k) => (k % N > Math.floor(k / N) ? -Infinity : 0));

/** scores [2, N, N] (times 3: scaled products) plus the causal mask, then Softmax. */
function causalModel() {
  return loadModelBytes(
    buildModel({
      opset: 17,
      inputs: [{ name: "x", dtype: "float32", shape: [2, N, N] }],
      outputs: [{ name: "y" }],
      initializers: { mask: tensor("float32", [N, N], causal), three: tensorOf("float32", [], [3]) },
      nodes: [
        { op: "Mul", inputs: ["x", "three"], outputs: ["scores"] },
        { op: "Add", inputs: ["scores", "mask"], outputs: ["masked"] },
        { op: "Softmax", inputs: ["masked"], outputs: ["y"], attrs: { axis: -1 } },
      ],
    }),
    "causal.onnx",
  );
}

/** A runtime bool mask m [2, N]: bias = Where(m, 0, -inf) added to the scores before Softmax. */
function boolMaskModel() {
  return loadModelBytes(
    buildModel({
      opset: 17,
      inputs: [
        { name: "x", dtype: "float32", shape: [2, N] },
        { name: "m", dtype: "bool", shape: [2, N] },
      ],
      outputs: [{ name: "y" }],
      initializers: { zero: tensorOf("float32", [], [0]), neginf: tensorOf("float32", [], [-Infinity]) },
      nodes: [
        { op: "Where", inputs: ["m", "zero", "neginf"], outputs: ["bias"] },
        { op: "Add", inputs: ["x", "bias"], outputs: ["masked"] },
        { op: "Softmax", inputs: ["masked"], outputs: ["y"], attrs: { axis: -1 } },
      ],
    }),
    "boolmask.onnx",
  );
}

function uniform(shape: number[], seed: number): Float64Array {
  const r = seededRandom(seed);
  return Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(-2 + 4 * r()));
}

/** Each row keeps position 0 and a seeded choice of the others. */
function boolMask(seed: number): Float64Array {
  const r = seededRandom(seed);
  return Float64Array.from({ length: 2 * N }, (_, k) => (k % N === 0 || r() < 0.5 ? 1 : 0));
}

function quantisedOutput(program: QProgram, feeds: Feeds): Float64Array {
  const qin = new Map(program.inputs.map((name) => [name, quantiseInput(program, name, feeds[name]!.data).values]));
  const qt = program.tensors.get(program.outputs[0]!)!;
  return dequantise(runProgram(program, qin).get(qt.name)!, qt.scale);
}

describe("-inf attention masks", () => {
  it("calibration ignores the infinities of a masked tensor and notes them", () => {
    const g = causalModel();
    const { ranges } = floatPassInterpreter(g, [{ x: tensor("float32", [2, N, N], uniform([2, N, N], 1)) }]);
    const r = ranges.get("masked")!;
    expect(Number.isFinite(r.min) && Number.isFinite(r.max)).toBe(true);
    expect(r.negInf).toBe(true);
    expect(r.posInf).toBeUndefined();
    expect(ranges.get("scores")!.negInf).toBeUndefined();
  });

  it("a causal -inf constant: Softmax is exactly 0 above the diagonal and matches float", () => {
    const g = causalModel();
    const samples = Array.from({ length: 4 }, (_, i) => ({ x: tensor("float32", [2, N, N], uniform([2, N, N], 10 + i)) }));
    const cal = calibrate(g, samples, { scale: 10 });
    // the stand-in survives into the program, beyond every finite value
    const maskParam = [...cal.program.tensors.values()].find((t) => t.kind === "param" && t.values?.some((v) => v === -INFINITY_STAND_IN));
    expect(maskParam).toBeDefined();
    const test = Array.from({ length: 4 }, (_, i) => ({ x: tensor("float32", [2, N, N], uniform([2, N, N], 50 + i)) }));
    expect(measureAccuracy(g, cal.program, test).worstRelL2).toBeLessThan(1e-2);
    for (const feeds of test) {
      const y = quantisedOutput(cal.program, feeds);
      for (let k = 0; k < y.length; k++) if (causal[k % (N * N)] === -Infinity) expect(y[k], `y[${k}]`).toBe(0);
      expect(y[0]).toBe(1); // row 0 sees only itself
    }
  });

  it("a Where(mask, 0, -inf) bias on a runtime bool mask: masked positions exactly 0", () => {
    const g = boolMaskModel();
    const feeds = (i: number): Feeds => ({ x: tensor("float32", [2, N], uniform([2, N], 20 + i)), m: tensor("bool", [2, N], boolMask(30 + i)) });
    const cal = calibrate(g, Array.from({ length: 6 }, (_, i) => feeds(i)), { scale: 10 });
    const test = Array.from({ length: 6 }, (_, i) => feeds(100 + i));
    expect(measureAccuracy(g, cal.program, test).worstRelL2).toBeLessThan(1e-2);
    for (const f of test) {
      const y = quantisedOutput(cal.program, f);
      f.m!.data.forEach((keep, k) => {
        if (!keep) expect(y[k], `y[${k}]`).toBe(0);
        else expect(y[k]!).toBeGreaterThan(0);
      });
    }
  });

  it("NaN in a Where branch is still refused, naming the branch", () => {
    const bytes = buildModel({
      opset: 17,
      inputs: [{ name: "m", dtype: "bool", shape: [3] }],
      outputs: [{ name: "y" }],
      initializers: { a: tensorOf("float32", [], [0]), nan: tensorOf("float32", [], [Number.NaN]) },
      nodes: [{ op: "Where", inputs: ["m", "a", "nan"], outputs: ["y"] }],
    });
    const g = loadModelBytes(bytes, "nan.onnx");
    expect(() => calibrate(g, [{ m: tensor("bool", [3], Float64Array.of(1, 0, 1)) }], { scale: 8 })).toThrow(/branch "nan" holds NaN/);
  });
});
