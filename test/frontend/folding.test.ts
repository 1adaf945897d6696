/**
 * Constant folding of shape arithmetic: PyTorch exports `x.view(x.size(0), -1)` as
 * Shape -> Gather -> Unsqueeze -> Concat -> Reshape; after loading only the Reshape must remain,
 * with its target shape a compile-time constant, and results must still match onnxruntime.
 */
import { describe, expect, it } from "vitest";
import { runFloat } from "../../compiler/float/interpret.js";
import { tensorOf } from "../../compiler/ir/tensor.js";
import { type ModelSpec, type NodeSpec, buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { randomTensor, rng, runOrt } from "./helpers.js";

const i64 = (values: number[], shape = [values.length]) => tensorOf("int64", shape, values);

function flattenChain(opset: number): ModelSpec {
  const unsqueeze: NodeSpec =
    opset >= 13 ? node("Unsqueeze", ["dim0", "axes0"], ["dim0_1d"]) : node("Unsqueeze", ["dim0"], ["dim0_1d"], { axes: [0] });
  return {
    opset,
    inputs: [{ name: "x", shape: ["batch", 3, 4, 5] }],
    outputs: [{ name: "y", shape: ["batch", 60] }],
    initializers: { zero: i64([0], []), minus_one: i64([-1]), ...(opset >= 13 ? { axes0: i64([0]) } : {}) },
    nodes: [
      node("Shape", ["x"], ["shape_x"]),
      node("Gather", ["shape_x", "zero"], ["dim0"], { axis: 0 }),
      unsqueeze,
      node("Concat", ["dim0_1d", "minus_one"], ["target"], { axis: 0 }),
      node("Reshape", ["x", "target"], ["y"]),
    ],
  };
}

describe("shape arithmetic folding", () => {
  for (const opset of [11, 13, 17]) {
    it(`Shape -> Gather -> Unsqueeze -> Concat -> Reshape folds at opset ${opset}`, async () => {
      const bytes = buildModel(flattenChain(opset));
      const g = loadModelBytes(bytes, "chain.onnx");
      expect(g.nodes.map((n) => n.opType)).toEqual(["Reshape"]);
      const reshape = g.nodes[0]!;
      const target = g.constants.get(reshape.inputs[1]!);
      expect(target).toBeDefined();
      expect(Array.from(target!.data)).toEqual([1, -1]); // batch was symbolic, set to 1
      expect(g.warnings.join("\n")).toMatch(/dim 0 \(batch\).*batch size 1/);
      expect(g.outputs[0]!.shape).toEqual([1, 60]);

      const x = randomTensor(rng(opset), "float32", [1, 3, 4, 5]);
      const want = await runOrt(bytes, { x });
      const got = runFloat(g, { x }).get("y")!;
      expect(got.shape).toEqual(want.y!.shape);
      expect(Array.from(got.data)).toEqual(Array.from(want.y!.data));
    });
  }

  it("the chain follows a batch size chosen with inputShapes", () => {
    const g = loadModelBytes(buildModel(flattenChain(17)), "chain.onnx", { inputShapes: { x: [4, 3, 4, 5] } });
    expect(g.nodes.map((n) => n.opType)).toEqual(["Reshape"]);
    expect(Array.from(g.constants.get(g.nodes[0]!.inputs[1]!)!.data)).toEqual([4, -1]);
    expect(g.outputs[0]!.shape).toEqual([4, 60]);
  });

  it("does not fold what depends on runtime values", () => {
    // Gather on x's values (not its shape) must stay a node
    const spec: ModelSpec = {
      opset: 17,
      inputs: [{ name: "x", shape: [4] }],
      outputs: [{ name: "y" }],
      initializers: { idx: i64([1]) },
      nodes: [node("Gather", ["x", "idx"], ["y"])],
    };
    const g = loadModelBytes(buildModel(spec), "nofold.onnx");
    expect(g.nodes.map((n) => n.opType)).toEqual(["Gather"]);
    expect(g.constants.has("y")).toBe(false);
  });

  it("folds weight preprocessing on initializers (Transpose of a weight)", async () => {
    const w = randomTensor(rng(5), "float32", [3, 2]);
    const spec: ModelSpec = {
      opset: 17,
      inputs: [{ name: "x", shape: [2, 3] }],
      outputs: [{ name: "y" }],
      initializers: { w },
      nodes: [node("Transpose", ["w"], ["wt"]), node("Concat", ["x", "wt"], ["y"], { axis: 0 })],
    };
    const bytes = buildModel(spec);
    const g = loadModelBytes(bytes, "w.onnx");
    expect(g.nodes.map((n) => n.opType)).toEqual(["Concat"]);
    expect(g.constants.get("wt")!.shape).toEqual([2, 3]);
    const x = randomTensor(rng(6), "float32", [2, 3]);
    const want = await runOrt(bytes, { x });
    expect(Array.from(runFloat(g, { x }).get("y")!.data)).toEqual(Array.from(want.y!.data));
  });
});
