/**
 * Statements at the edges of what a model can be: an output that is an input (Identity, or an
 * output named like the input), outputs computed beside an output passed through, and a model
 * without inputs whose outputs are constants. Each output gets a proven copy of its source, so the
 * statement binds it like any computed output: honest proofs verify, tampered outputs are rejected.
 */
import { afterAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { parseInputs } from "../../runtime/inputs.js";
import { verify } from "../../runtime/verify.js";
import type { CompiledModel, CompileOptions } from "../../toolchain/compile.js";
import * as api from "../../toolchain/api.js";
import { clone, compile, filesOf, proveJson, type Json, type TestModel } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const X = [0.25, -0.5, 0.75, 0.125];

function model(spec: Parameters<typeof buildModel>[0], input: Record<string, number[]>): TestModel {
  const graph = loadModelBytes(buildModel(spec), "edge.onnx");
  const feeds = Object.fromEntries(graph.inputs.map((i) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(input[i.name]!))]));
  return { graph, calibration: calibrate(graph, [feeds]), input };
}

/** y = Identity(x) */
const identity = () =>
  model({ inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "y", shape: [1, 4] }], nodes: [node("Identity", ["x"], ["y"])] }, { x: X });

/** Changes output `at`'s first integer and its float consistently, so only the proof can catch it. */
function tamperOutput(json: Json, at = 0): Json {
  const t = clone(json);
  const o = t.outputs[at];
  const scale = o.floats[0] === 0 ? 1 : o.floats[0] / o.integers[0];
  o.integers[0] += 1;
  o.floats[0] = o.integers[0] * scale;
  return t;
}

async function proveAndCheck(c: CompiledModel, input: Record<string, number[]>): Promise<Json> {
  const { json } = await proveJson(c, input);
  const v = await verify(c.manifest, json, filesOf(c));
  if (!v.ok) throw new Error(v.reason);
  return json;
}

async function rejected(c: CompiledModel, json: Json): Promise<string> {
  const v = await verify(c.manifest, json, filesOf(c));
  expect(v.ok).toBe(false);
  return v.ok ? "" : v.reason;
}

describe("an output that is a model input", () => {
  const m = identity();

  it("gets its own tensor under its ONNX name, proven equal to the input", () => {
    const p = m.calibration.program;
    expect(p.outputs).toHaveLength(1);
    const out = p.tensors.get(p.outputs[0]!)!;
    expect(out.kind).toBe("intermediate");
    expect(out.onnxName).toBe("y");
    expect(p.prims).toEqual([{ op: "scale", in: "x", out: out.name, factor: 1 }]);
  });

  for (const opts of [
    { backend: "auto", linking: "chained", vis: "public" },
    { backend: "auto", linking: "independent", vis: "public" },
    { backend: "auto", linking: "chained", vis: "hashed" },
    { backend: "groth16", linking: "chained", vis: "public" },
  ] as const) {
    it(`proves output = input (${opts.backend}, ${opts.linking}, ${opts.vis}); a changed output is rejected`, async () => {
      const c = await compile(m, { backend: opts.backend, linking: opts.linking, inputVisibility: opts.vis, outputVisibility: opts.vis } as Partial<CompileOptions>);
      expect(c.manifest.quantisation.outputs.map((e) => e.onnxName)).toEqual(["y"]);
      const json = await proveAndCheck(c, m.input);
      if (opts.vis === "public") {
        expect(json.outputs[0].floats).toEqual(X);
        expect(await rejected(c, tamperOutput(json))).toMatch(/claim|kernel/);
      } else {
        const t = clone(json);
        t.outputs[0].hash = `0x${(BigInt(t.outputs[0].hash) + 1n).toString(16)}`;
        expect(await rejected(c, t)).not.toBe("");
      }
    }, 120_000);
  }

  it("an output named like the input (a graph without nodes) is proven the same way", async () => {
    const same = model({ inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "x", shape: [1, 4] }], nodes: [] }, { x: X });
    const c = await compile(same);
    expect(c.manifest.quantisation.outputs.map((e) => e.onnxName)).toEqual(["x"]);
    const json = await proveAndCheck(c, same.input);
    expect(json.outputs[0].floats).toEqual(X);
    expect(await rejected(c, tamperOutput(json))).not.toBe("");
  }, 60_000);
});

describe("outputs computed beside an output passed through", () => {
  // y = Relu(x) * 2 (computed), z = x (passed through), w = Identity(y) (a second name for y)
  const m = model(
    {
      inputs: [{ name: "x", shape: [1, 4] }],
      outputs: [
        { name: "y", shape: [1, 4] },
        { name: "z", shape: [1, 4] },
        { name: "w", shape: [1, 4] },
      ],
      nodes: [node("Relu", ["x"], ["r"]), node("Add", ["r", "r"], ["y"]), node("Identity", ["x"], ["z"]), node("Identity", ["y"], ["w"])],
    },
    { x: X },
  );

  it("proves every output; a change to any one of them is rejected", async () => {
    const c = await compile(m);
    const outs = c.manifest.quantisation.outputs;
    expect(outs.map((e) => e.onnxName)).toEqual(["y", "z", "w"]);
    expect(new Set(outs.map((e) => e.name)).size).toBe(3);
    const json = await proveAndCheck(c, m.input);
    const relu2 = X.map((v) => Math.max(v, 0) * 2);
    expect(json.outputs.map((o: Json) => o.floats)).toEqual([relu2, X, relu2]);
    for (const at of [0, 1, 2]) expect(await rejected(c, tamperOutput(json, at))).not.toBe("");
  }, 120_000);
});

describe("a model without inputs", () => {
  const c0 = [0.5, -1.25, 3];
  const graph = loadModelBytes(
    buildModel({ inputs: [], outputs: [{ name: "y", shape: [3] }], initializers: { c: tensor("float32", [3], Float64Array.from(c0)) }, nodes: [node("Identity", ["c"], ["y"])] }),
    "constant.onnx",
  );
  const m: TestModel = { graph, calibration: calibrate(graph, [{}]), input: {} };

  it("reads {} and {\"input_data\": [[]]} (and []) as its input; anything else is refused", () => {
    for (const form of [{}, { input_data: [[]] }, { input_data: [] }]) expect(parseInputs(form, graph.inputs, "in.json")).toEqual({});
    expect(() => parseInputs({ input_data: [[1]] }, graph.inputs, "in.json")).toThrow(/"input_data" holds 1 list, but the model has 0 inputs \(none\)/);
    expect(() => parseInputs({ x: [1] }, graph.inputs, "in.json")).toThrow(/names "x", which the model does not have/);
  });

  it("compiles and proves through the library API without calibration data, warnings or notes", async () => {
    const bytes = buildModel({ inputs: [], outputs: [{ name: "y", shape: [3] }], initializers: { c: tensor("float32", [3], Float64Array.from(c0)) }, nodes: [node("Identity", ["c"], ["y"])] });
    const art = await api.compile(bytes, { modelName: "constant.onnx" });
    expect(art.warnings).toEqual([]);
    expect(art.quantisation.notes).toEqual([]);
    const { proof, outputs } = await api.prove(art, { input_data: [[]] });
    expect(outputs.map((o) => [o.onnxName, o.floats])).toEqual([["y", c0]]);
    expect((await api.verify(art, proof)).ok).toBe(true);
  }, 60_000);

  for (const backend of ["auto", "groth16"] as const) {
    it(`proves that the program's outputs are its constants (${backend}); a changed output is rejected`, async () => {
      const c = await compile(m, { backend });
      expect(c.manifest.quantisation.inputs).toEqual([]);
      const json = await proveAndCheck(c, parseInputs({ input_data: [[]] }, graph.inputs, "in.json") as never);
      expect(json.outputs[0].floats).toEqual(c0);
      expect(await rejected(c, tamperOutput(json))).not.toBe("");
    }, 120_000);
  }
});

describe("input values in the user's JSON", () => {
  const infos = [
    { name: "mask", dtype: "bool" as const, shape: [3] },
    { name: "ids", dtype: "int64" as const, shape: [2] },
    { name: "x", dtype: "float32" as const, shape: [2] },
  ];

  it("takes true/false for bool inputs and whole numbers for integer inputs", () => {
    const v = parseInputs({ mask: [true, false, 1], ids: [3, -7], x: [0.5, 2] }, infos, "in.json");
    expect(Array.from(v.mask!)).toEqual([1, 0, 1]);
    expect(Array.from(v.ids!)).toEqual([3, -7]);
    expect(Array.from(v.x!)).toEqual([0.5, 2]);
    // the manifest does not record dtypes: at prove time booleans are read as 1 and 0
    expect(Array.from(parseInputs({ input_data: [[true, false]] }, [{ name: "m", shape: [2] }], "in.json").m!)).toEqual([1, 0]);
  });

  it("refuses values that do not fit the input's type, naming the input", () => {
    expect(() => parseInputs({ mask: [true, 2, 0], ids: [3, -7], x: [0.5, 2] }, infos, "in.json")).toThrow(/input "mask" is a bool input and holds 2/);
    expect(() => parseInputs({ mask: [1, 0, 1], ids: [3.5, -7], x: [0.5, 2] }, infos, "in.json")).toThrow(/input "ids" is an int64 input and holds 3.5, not a whole number/);
    expect(() => parseInputs({ mask: [1, 0, 1], ids: [3, -7], x: [true, 2] }, infos, "in.json")).toThrow(/input "x" holds true, but it is a float32 input/);
  });

  it("a wrong number of input lists names both counts and the graph's inputs", () => {
    expect(() => parseInputs({ input_data: [[1, 0, 1], [3, 4]] }, infos, "in.json")).toThrow(
      /"input_data" holds 2 lists, but the model has 3 inputs \(mask \[3\], ids \[2\], x \[2\]\)/,
    );
    expect(() => parseInputs({ input_data: [0.5, 2] }, [infos[2]!], "in.json")).toThrow(/wrap the values in a list per input/);
  });

  it("both forms at once, or unknown names beside input_data, are refused", () => {
    const one = [infos[2]!];
    expect(() => parseInputs({ input_data: [[0.5, 2]], x: [0.5, 2] }, one, "in.json")).toThrow(/uses both forms: "input_data" and the input name\(s\) "x"/);
    expect(() => parseInputs({ input_data: [[0.5, 2]], output_data: [[1]] }, one, "in.json")).toThrow(/holds "output_data" beside "input_data"/);
    expect(() => parseInputs({ x: [0.5, 2], y: [1] }, one, "in.json")).toThrow(/names "y", which the model does not have/);
  });
});
