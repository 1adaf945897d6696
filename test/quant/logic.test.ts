/**
 * Comparisons, logic and selection (compiler/quant/lower/logic.ts) against the float interpreter:
 * exact on inputs that lie on the quantisation grid (ties included), and against constant
 * thresholds off the grid wrong only within half a grid step of the threshold.
 */
import { describe, expect, it } from "vitest";
import { buildModel, type NodeSpec, type ValueSpec } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import type { Graph } from "../../compiler/ir/graph.js";
import { type DType, type Tensor, tensor, tensorOf } from "../../compiler/ir/tensor.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { DEFAULT_CONFIG } from "../../compiler/quant/builder.js";
import { collectRanges, seededRandom, type Feeds } from "../../compiler/quant/calibrate.js";
import type { QProgram } from "../../compiler/quant/prim.js";
import { quantiseGraph } from "../../compiler/quant/quantise.js";
import { dequantise, quantiseInput, runProgram } from "../../runtime/witness.js";
import { runOrt } from "../frontend/helpers.js";

const S = 8;
const STEP = 2 ** -S;
const CONFIG = { ...DEFAULT_CONFIG, inputScale: S, activationScale: S, paramScale: 0, paramBits: S + 4 };

interface Spec {
  inputs: ValueSpec[];
  nodes: NodeSpec[];
  outputs?: ValueSpec[];
  init?: Record<string, Tensor>;
  opset?: number;
}

function model(spec: Spec): Graph {
  return loadModelBytes(modelBytes(spec), "logic.onnx");
}

function modelBytes(spec: Spec): Uint8Array {
  return buildModel({
    opset: spec.opset ?? 17,
    inputs: spec.inputs,
    outputs: spec.outputs ?? [{ name: "y" }],
    initializers: spec.init ?? {},
    nodes: spec.nodes,
  });
}

function quantise(g: Graph, samples: Feeds[]): QProgram {
  return quantiseGraph(g, CONFIG, collectRanges(g, samples));
}

/** The integer program's outputs, dequantised, by graph output. */
function runQ(g: Graph, p: QProgram, feeds: Feeds): Float64Array[] {
  const qin = new Map(p.inputs.map((n) => [n, quantiseInput(p, n, feeds[n]!.data).values]));
  const values = runProgram(p, qin);
  return p.outputs.map((o) => dequantise(values.get(o)!, p.tensors.get(o)!.scale));
}

const floats = (g: Graph, feeds: Feeds) => g.outputs.map((o) => runFloat(g, feeds).get(o.name)!.data);

/** Values on the grid of scale S drawn from a few levels, so that ties are frequent. */
function gridT(rnd: () => number, dtype: DType, shape: number[], levels = 9, unit = 1 / 8): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n }, () => {
    if (dtype === "bool") return rnd() < 0.5 ? 0 : 1;
    const k = Math.floor(rnd() * levels) - (levels >> 1);
    return dtype.startsWith("float") ? k * unit : k;
  });
  return tensor(dtype, shape, data);
}

function samplesFor(g: Graph, seed: number, count = 6, levels = 9, unit = 1 / 8): Feeds[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => Object.fromEntries(g.inputs.map((i) => [i.name, gridT(rnd, i.dtype, i.shape, levels, unit)])));
}

/** Quantised and float agree exactly on every sample. */
function expectExact(g: Graph, samples: Feeds[]): QProgram {
  const p = quantise(g, samples);
  for (const f of samples) {
    const got = runQ(g, p, f);
    // + 0: the integer semantics may produce -0 (0 · -1), the same field element as 0
    floats(g, f).forEach((want, k) => expect(Array.from(got[k]!, (v) => v + 0)).toEqual(Array.from(want, (v) => v + 0)));
  }
  return p;
}

const binary = (op: string, dtype: DType, a: number[], b: number[]): Spec => ({
  inputs: [
    { name: "a", dtype, shape: a },
    { name: "b", dtype, shape: b },
  ],
  nodes: [{ op, inputs: ["a", "b"], outputs: ["y"] }],
});

const COMPARISONS = ["Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Equal"];

describe("comparisons of two tensors", () => {
  for (const op of COMPARISONS) {
    it(`${op}: float, broadcast, ties included, exact`, () => {
      const g = model(binary(op, "float32", [4, 16], [16]));
      const p = expectExact(g, samplesFor(g, 1));
      // a comparison is clamps and linear ops: no lookup table
      expect(p.prims.some((x) => x.op === "lookup")).toBe(false);
    });
    it(`${op}: int64 and mixed scales, exact`, () => {
      expectExact(model(binary(op, "int64", [3, 5], [3, 5])), samplesFor(model(binary(op, "int64", [3, 5], [3, 5])), 2, 7));
    });
  }
});

describe("comparisons with a constant threshold", () => {
  const N = 400;
  for (const op of COMPARISONS) {
    for (const side of ["right", "left"] as const) {
      it(`${op}, constant on the ${side}: agrees except within half a grid step`, () => {
        const rnd = seededRandom(7);
        const c = tensorOf("float32", [N], Array.from({ length: N }, () => Math.fround(-1.5 + 3 * rnd())));
        const g = model({
          inputs: [{ name: "x", dtype: "float32", shape: [N] }],
          init: { c },
          nodes: [{ op, inputs: side === "right" ? ["x", "c"] : ["c", "x"], outputs: ["y"] }],
        });
        // x near every threshold (within a few grid steps) and some exactly on a grid point next to it
        const xs = Array.from({ length: 5 }, (_, s) =>
          tensorOf("float32", [N], Array.from(c.data, (v) => Math.fround(s === 4 ? Math.round(v * 2 ** S) * STEP : v + (rnd() - 0.5) * 6 * STEP))),
        );
        const feeds = xs.map((x) => ({ x }));
        const p = quantise(g, [...feeds, { x: tensorOf("float32", [N], new Float64Array(N).fill(2)) }, { x: tensorOf("float32", [N], new Float64Array(N).fill(-2)) }]);
        let wrong = 0;
        let far = 0;
        for (const f of feeds) {
          const got = runQ(g, p, f)[0]!;
          const want = floats(g, f)[0]!;
          for (let i = 0; i < N; i++) {
            if (got[i] === want[i]) continue;
            const gap = Math.abs(f.x.data[i]! - c.data[i]!);
            if (op === "Equal") {
              // true iff x and c round to the same grid point: x within one step of c
              if (gap >= STEP) far++;
            } else if (gap > STEP / 2 + 1e-12) far++;
            wrong++;
          }
        }
        expect(far, `${wrong} disagreements, ${far} farther than allowed`).toBe(0);
        if (op !== "Equal") expect(wrong).toBeLessThan(feeds.length * N * 0.2);
      });
    }
  }

  it("compares with infinite thresholds", () => {
    const g = model({
      inputs: [{ name: "x", dtype: "float32", shape: [4] }],
      init: { lo: tensorOf("float32", [4], [-Infinity, Infinity, -Infinity, Infinity]) },
      nodes: [{ op: "Greater", inputs: ["x", "lo"], outputs: ["y"] }],
    });
    expectExact(g, samplesFor(g, 20));
  });

  it("compares exactly with a threshold that lies on the grid, equality included", () => {
    const g = model({ inputs: [{ name: "x", dtype: "float32", shape: [9] }], init: { c: tensorOf("float32", [], [0.375]) }, nodes: [{ op: "LessOrEqual", inputs: ["x", "c"], outputs: ["y"] }] });
    const x = tensorOf("float32", [9], [0.375, 0.375 - STEP, 0.375 + STEP, -1, 1, 0, 0.37, 0.38, 0.3749]);
    const p = quantise(g, [{ x }]);
    expect(Array.from(runQ(g, p, { x })[0]!)).toEqual([1, 1, 0, 1, 0, 1, 1, 0, 1]);
  });
});

describe("logic on bools", () => {
  for (const op of ["And", "Or", "Xor"]) {
    it(`${op}: every combination, broadcast`, () => {
      const g = model(binary(op, "bool", [2, 8], [8]));
      const p = expectExact(g, samplesFor(g, 3, 6));
      // a bound of 1 on the result: the polynomial's algebra, not the operand-wise rule
      expect(p.tensors.get(p.outputs[0]!)!.maxAbs).toBe(1);
    });
  }
  it("Not, and chains of comparisons (x > 0 and not y <= 0.25)", () => {
    const g = model({
      inputs: [
        { name: "x", dtype: "float32", shape: [32] },
        { name: "z", dtype: "float32", shape: [32] },
      ],
      init: { zero: tensorOf("float32", [], [0]), q: tensorOf("float32", [], [0.25]) },
      nodes: [
        { op: "Greater", inputs: ["x", "zero"], outputs: ["p"] },
        { op: "LessOrEqual", inputs: ["z", "q"], outputs: ["r"] },
        { op: "Not", inputs: ["r"], outputs: ["nr"] },
        { op: "And", inputs: ["p", "nr"], outputs: ["y"] },
      ],
    });
    expectExact(g, samplesFor(g, 4));
  });
});

describe("selection", () => {
  it("Where with tensor branches at different scales and a computed condition", () => {
    const g = model({
      inputs: [
        { name: "a", dtype: "float32", shape: [3, 8] },
        { name: "b", dtype: "float32", shape: [8] },
      ],
      init: { w: tensorOf("float32", [8], [0.5, -1, 2, 0.25, 1, -0.5, 1.5, 4]) },
      nodes: [
        { op: "Greater", inputs: ["a", "b"], outputs: ["c"] },
        { op: "Mul", inputs: ["b", "w"], outputs: ["bw"] },
        { op: "Where", inputs: ["c", "a", "bw"], outputs: ["y"] },
      ],
    });
    const p = expectExact(g, samplesFor(g, 5));
    const out = p.tensors.get(p.outputs[0]!)!;
    // bounded by the larger branch, not by the sum of both
    expect(out.maxAbs).toBeLessThanOrEqual(Math.max(...p.prims.filter((x) => x.op === "sub").map((x) => p.tensors.get(x.out)!.maxAbs)));
  });
  it("Where with constant leaves and a bool input condition", () => {
    const g = model({
      inputs: [{ name: "c", dtype: "bool", shape: [2, 4] }],
      init: { l: tensorOf("float32", [4], [1.5, -0.5, 0.25, 3]), r: tensorOf("float32", [], [-2]) },
      nodes: [{ op: "Where", inputs: ["c", "l", "r"], outputs: ["y"] }],
    });
    expectExact(g, samplesFor(g, 6));
  });
  it("Sign: exact, a clamp instead of a lookup", () => {
    const g = model({ inputs: [{ name: "x", dtype: "float32", shape: [40] }], nodes: [{ op: "Sign", inputs: ["x"], outputs: ["y"] }] });
    const p = expectExact(g, samplesFor(g, 8));
    expect(p.prims.map((x) => x.op)).toEqual(["clamp", "scale"]);
  });
  it("Clip with tensor bounds (and min > max gives max)", () => {
    const g = model({
      inputs: [
        { name: "x", dtype: "float32", shape: [4, 6] },
        { name: "lo", dtype: "float32", shape: [] },
        { name: "hi", dtype: "float32", shape: [] },
      ],
      nodes: [{ op: "Clip", inputs: ["x", "lo", "hi"], outputs: ["y"] }],
    });
    expectExact(g, samplesFor(g, 9, 8));
  });
  it("Clip with one tensor bound and one constant bound", () => {
    for (const inputs of [["x", "lo", "k"], ["x", "k", "lo"]]) {
      const g = model({
        inputs: [
          { name: "x", dtype: "float32", shape: [16] },
          { name: "lo", dtype: "float32", shape: [1] },
        ],
        init: { k: tensorOf("float32", [1], [0.125]) },
        nodes: [{ op: "Clip", inputs, outputs: ["y"] }],
      });
      expectExact(g, samplesFor(g, 10));
    }
  });
  it("Clip with constant bounds outside the values' range", () => {
    const g = model({
      inputs: [{ name: "x", dtype: "float32", shape: [16] }],
      init: { lo: tensorOf("float32", [], [5]), hi: tensorOf("float32", [], [7]) },
      nodes: [{ op: "Clip", inputs: ["x", "lo", "hi"], outputs: ["y"] }],
    });
    expectExact(g, samplesFor(g, 11));
  });
});

describe("Cast", () => {
  const cast = (from: DType, to: number, shape = [24]): Graph =>
    model({ inputs: [{ name: "x", dtype: from, shape }], nodes: [{ op: "Cast", inputs: ["x"], outputs: ["y"], attrs: { to } }] });
  const T = { FLOAT: 1, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 };
  it("float -> int truncates toward zero, exactly", () => {
    const g = cast("float32", T.INT32);
    // fractions of an 8th around several integers, both signs
    expectExact(g, samplesFor(g, 12, 41, 1 / 8));
  });
  it("float -> bool is x != 0; bool -> float and int -> float", () => {
    expectExact(cast("float32", T.BOOL), samplesFor(cast("float32", T.BOOL), 13));
    expectExact(cast("bool", T.FLOAT), samplesFor(cast("bool", T.FLOAT), 14));
    const p = expectExact(cast("int64", T.FLOAT), samplesFor(cast("int64", T.FLOAT), 15));
    // the float result lives at the activation scale, so later products keep their precision
    expect(p.tensors.get(p.outputs[0]!)!.scale).toBe(S);
    expectExact(cast("int64", T.BOOL), samplesFor(cast("int64", T.BOOL), 16));
    expectExact(cast("float32", T.DOUBLE), samplesFor(cast("float32", T.DOUBLE), 17));
  });
  it("CastLike follows its second input's dtype", () => {
    const g = model({
      inputs: [{ name: "x", dtype: "float32", shape: [24] }],
      init: { like: tensorOf("int64", [1], [0]) },
      nodes: [{ op: "CastLike", inputs: ["x", "like"], outputs: ["y"] }],
      opset: 19,
    });
    expectExact(g, samplesFor(g, 18, 41, 1 / 8));
  });
  it("refuses a cast whose calibrated range leaves the target integer type, naming the node", () => {
    const g = cast("float32", T.INT8);
    expect(() => quantise(g, [{ x: tensorOf("float32", [24], new Float64Array(24).fill(300)) }])).toThrow(/Cast.*int8|int8.*wrap-around/s);
  });
});

describe("IsNaN and IsInf on quantised values", () => {
  it("are constant false (quantised inputs are finite)", () => {
    for (const op of ["IsNaN", "IsInf"]) {
      const g = model({ inputs: [{ name: "x", dtype: "float32", shape: [8] }], nodes: [{ op, inputs: ["x"], outputs: ["y"] }] });
      expectExact(g, samplesFor(g, 19));
    }
  });
});

describe("against onnxruntime", () => {
  const specs: [string, Spec][] = [
    ["Cast float -> int32 (truncation toward zero)", { inputs: [{ name: "x", dtype: "float32", shape: [40] }], nodes: [{ op: "Cast", inputs: ["x"], outputs: ["y"], attrs: { to: 6 } }], outputs: [{ name: "y", dtype: "int32", shape: [40] }] }],
    [
      "tree: Less, LessOrEqual, Where with constant leaves",
      {
        inputs: [{ name: "x", dtype: "float32", shape: [40] }],
        init: { t: tensorOf("float32", [], [0.375]), u: tensorOf("float32", [], [-0.25]), a: tensorOf("float32", [], [1.5]), b: tensorOf("float32", [], [-0.5]), c: tensorOf("float32", [], [0.25]) },
        nodes: [
          { op: "Less", inputs: ["x", "t"], outputs: ["l"] },
          { op: "LessOrEqual", inputs: ["x", "u"], outputs: ["m"] },
          { op: "Where", inputs: ["m", "a", "b"], outputs: ["left"] },
          { op: "Where", inputs: ["l", "left", "c"], outputs: ["y"] },
        ],
        outputs: [{ name: "y", dtype: "float32", shape: [40] }],
      },
    ],
    ["Sign", { inputs: [{ name: "x", dtype: "float32", shape: [40] }], nodes: [{ op: "Sign", inputs: ["x"], outputs: ["y"] }], outputs: [{ name: "y", dtype: "float32", shape: [40] }] }],
    [
      "Clip with tensor bounds",
      {
        inputs: [
          { name: "x", dtype: "float32", shape: [40] },
          { name: "lo", dtype: "float32", shape: [] },
          { name: "hi", dtype: "float32", shape: [] },
        ],
        nodes: [{ op: "Clip", inputs: ["x", "lo", "hi"], outputs: ["y"] }],
        outputs: [{ name: "y", dtype: "float32", shape: [40] }],
      },
    ],
  ];
  for (const [name, spec] of specs) {
    it(name, async () => {
      const bytes = modelBytes(spec);
      const g = loadModelBytes(bytes, "logic.onnx");
      const samples = samplesFor(g, 30, 41, 1 / 8);
      const p = quantise(g, samples);
      for (const f of samples) {
        const want = (await runOrt(bytes, f)).y!;
        expect(Array.from(runQ(g, p, f)[0]!, (v) => v + 0)).toEqual(Array.from(want.data, (v) => v + 0));
      }
    });
  }
});
