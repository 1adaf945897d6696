/**
 * RNN, GRU and LSTM against onnxruntime over the option space the conformance cases leave out:
 * both directions, reverse, sequence_lens, initial states, clip, peepholes, input_forget,
 * linear_before_reset, non-default activations with alpha/beta; all outputs compared. onnxruntime
 * has no layout 1 (the conformance's batchwise cases cover it against ONNX's reference); here
 * layout 1 must equal layout 0 with every tensor's first two axes swapped. Bad attributes give
 * typed errors.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf, type Tensor } from "../../../compiler/ir/tensor.js";
import { loadModelBytes } from "../../../compiler/onnx/load.js";
import { buildModel } from "../../../compiler/onnx/build.js";
import { runFloat } from "../../../compiler/float/interpret.js";
import { againstOrt, closeness, randomTensor, rng } from "./helpers.js";

type Kind = "RNN" | "GRU" | "LSTM";
const GATES: Record<Kind, number> = { RNN: 1, GRU: 3, LSTM: 4 };

interface Case {
  kind: Kind;
  what: string;
  seq: number;
  batch: number;
  input: number;
  hidden: number;
  attrs?: Record<string, number | string | number[] | string[]>;
  lens?: number[];
  initial?: boolean;
  peepholes?: boolean;
}

const CASES: Case[] = [
  { kind: "RNN", what: "bidirectional, initial state, sequence_lens", seq: 4, batch: 3, input: 2, hidden: 3, attrs: { direction: "bidirectional" }, lens: [4, 2, 3], initial: true },
  { kind: "RNN", what: "reverse, Relu", seq: 3, batch: 2, input: 3, hidden: 2, attrs: { direction: "reverse", activations: ["Relu"] } },
  { kind: "GRU", what: "linear_before_reset, bidirectional, sequence_lens", seq: 4, batch: 2, input: 3, hidden: 2, attrs: { direction: "bidirectional", linear_before_reset: 1 }, lens: [3, 4], initial: true },
  { kind: "GRU", what: "clip and HardSigmoid with alpha/beta", seq: 3, batch: 2, input: 2, hidden: 3, attrs: { clip: 0.8, activations: ["HardSigmoid", "Tanh"], activation_alpha: [0.3], activation_beta: [0.4] } },
  { kind: "LSTM", what: "bidirectional with peepholes, initial h and c, sequence_lens", seq: 3, batch: 3, input: 2, hidden: 2, attrs: { direction: "bidirectional" }, lens: [1, 3, 2], initial: true, peepholes: true },
  { kind: "LSTM", what: "reverse, input_forget, clip", seq: 4, batch: 2, input: 3, hidden: 2, attrs: { direction: "reverse", input_forget: 1, clip: 1.5 } },
];

function caseInputs(c: Case, seed: number) {
  const next = rng(seed);
  const dirs = c.attrs?.direction === "bidirectional" ? 2 : 1;
  const G = GATES[c.kind];
  const layout = c.attrs?.layout === 1 ? 1 : 0;
  const x = randomTensor(next, layout === 0 ? [c.seq, c.batch, c.input] : [c.batch, c.seq, c.input], -1.5, 1.5);
  const state = () => randomTensor(next, layout === 0 ? [dirs, c.batch, c.hidden] : [c.batch, dirs, c.hidden]);
  const inputs: { name: string; value: Tensor }[] = [{ name: "x", value: x }];
  const initializers: Record<string, Tensor> = {
    w: randomTensor(next, [dirs, G * c.hidden, c.input]),
    r: randomTensor(next, [dirs, G * c.hidden, c.hidden]),
    b: randomTensor(next, [dirs, 2 * G * c.hidden], -0.5, 0.5),
  };
  const nodeInputs = ["x", "w", "r", "b", c.lens ? "lens" : ""];
  if (c.lens) inputs.push({ name: "lens", value: tensorOf("int32", [c.batch], c.lens) });
  if (c.initial) {
    inputs.push({ name: "h0", value: state() });
    nodeInputs.push("h0");
  } else nodeInputs.push("");
  if (c.kind === "LSTM") {
    if (c.initial) {
      inputs.push({ name: "c0", value: state() });
      nodeInputs.push("c0");
    } else nodeInputs.push("");
    if (c.peepholes) {
      initializers.p = randomTensor(next, [dirs, 3 * c.hidden]);
      nodeInputs.push("p");
    }
  }
  while (nodeInputs.at(-1) === "") nodeInputs.pop();
  return { inputs, initializers, nodeInputs };
}

describe("RNN, GRU and LSTM against onnxruntime", () => {
  CASES.forEach((c, k) => {
    it(`${c.kind}: ${c.what}`, async () => {
      const { inputs, initializers, nodeInputs } = caseInputs(c, 700 + k);
      const outputs = c.kind === "LSTM" ? ["y", "yh", "yc"] : ["y", "yh"];
      const r = await againstOrt({ op: c.kind, opset: 14, inputs, initializers, nodeInputs, outputs, attrs: { hidden_size: c.hidden, ...c.attrs } });
      for (const o of r) {
        expect(o.zkc.shape, o.name).toEqual(o.ort.shape);
        expect(closeness(o.zkc, o.ort, 1e-4, 1e-5), o.name).toBe(0);
      }
    });
  });
});

/** [a, b, ...rest] -> [b, a, ...rest] */
function swap01(t: Tensor): Tensor {
  const [a, b] = t.shape as [number, number];
  const rest = t.shape.slice(2).reduce((x, y) => x * y, 1);
  const out = new Float64Array(t.data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < rest; k++) out[(j * a + i) * rest + k] = t.data[(i * b + j) * rest + k]!;
  return tensorOf(t.dtype, [b, a, ...t.shape.slice(2)], out);
}

describe("layout 1", () => {
  it("LSTM bidirectional with sequence_lens and initial states: layout 1 is layout 0 with the first two axes swapped", () => {
    const c: Case = { kind: "LSTM", what: "", seq: 3, batch: 2, input: 2, hidden: 2, attrs: { direction: "bidirectional" }, lens: [2, 3], initial: true, peepholes: true };
    const { inputs, initializers, nodeInputs } = caseInputs(c, 790);
    const run = (layout: number, feeds: { name: string; value: Tensor }[]) => {
      const g = loadModelBytes(
        buildModel({
          opset: 14,
          inputs: feeds.map((i) => ({ name: i.name, dtype: i.value.dtype, shape: [...i.value.shape] })),
          outputs: [{ name: "y" }, { name: "yh" }, { name: "yc" }],
          initializers,
          nodes: [{ op: "LSTM", inputs: nodeInputs, outputs: ["y", "yh", "yc"], attrs: { hidden_size: 2, direction: "bidirectional", layout }, name: "lstm" }],
        }),
        "lstm.onnx",
      );
      return runFloat(g, Object.fromEntries(feeds.map((i) => [i.name, i.value])));
    };
    const zero = run(0, inputs);
    const one = run(1, inputs.map((i) => (i.name === "lens" ? i : { ...i, value: swap01(i.value) })));
    // Y [seq, dirs, batch, hidden] vs [batch, seq, dirs, hidden]: swap seq<->batch around dirs
    const y0 = zero.get("y")!;
    const y1 = one.get("y")!;
    for (let t = 0; t < 3; t++)
      for (let d = 0; d < 2; d++)
        for (let b = 0; b < 2; b++) for (let j = 0; j < 2; j++) expect(y1.data[((b * 3 + t) * 2 + d) * 2 + j]).toBe(y0.data[((t * 2 + d) * 2 + b) * 2 + j]);
    for (const name of ["yh", "yc"]) expect(Array.from(swap01(one.get(name)!).data)).toEqual(Array.from(zero.get(name)!.data));
  });
});

describe("recurrent attributes", () => {
  const model = (attrs: Record<string, number | string | string[]>, wShape = [1, 8, 2]) =>
    buildModel({
      opset: 14,
      inputs: [{ name: "x", dtype: "float32", shape: [2, 1, 2] }],
      outputs: [{ name: "y" }],
      initializers: { w: tensorOf("float32", wShape, new Array(wShape.reduce((a, b) => a * b, 1)).fill(0.1)), r: tensorOf("float32", [1, 8, 2], new Array(16).fill(0.1)) },
      nodes: [{ op: "LSTM", inputs: ["x", "w", "r"], outputs: ["y"], attrs: { hidden_size: 2, ...attrs }, name: "lstm" }],
    });
  const error = (bytes: Uint8Array): ZkcError => {
    try {
      loadModelBytes(bytes, "lstm.onnx");
    } catch (e) {
      if (e instanceof ZkcError) return e;
      throw e;
    }
    throw new Error("expected a ZkcError");
  };
  it("a wrong direction, activation count or activation name is an ATTRIBUTE error naming the node", () => {
    for (const attrs of <Record<string, string | string[]>[]>[{ direction: "sideways" }, { activations: ["Sigmoid", "Tanh"] }, { activations: ["Sigmoid", "Tanh", "Cube"] }]) {
      const e = error(model(attrs));
      expect(e.code).toBe("ATTRIBUTE");
      expect(e.details.node).toBe("lstm");
    }
  });
  it("a weight of the wrong shape is a SHAPE error that gives the expected shape", () => {
    const e = error(model({}, [1, 6, 2]));
    expect(e.code).toBe("SHAPE");
    expect(e.details.expected).toBe("[1, 8, 2]");
  });
});
