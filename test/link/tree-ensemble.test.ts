/**
 * ONNX-ML tree ensembles (TreeEnsembleRegressor + TreeEnsembleClassifier, ai.onnx.ml 3) compiled
 * in GKR mode, proved and verified with real proofs: the outputs are the hand-traced leaves'
 * values exactly (weights on the grid), and changed scores or a changed label are rejected.
 */
import { describe, expect, it } from "vitest";
import { ModelBuilder, floats, int, ints, str, strings } from "../../fixtures/lib/onnx-builder.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { CLASS_SCORES, ROWS, SUMS } from "../ops/ml/trees.js";
import { clone, provedModel, type TestModel } from "./helpers.js";

/** The trees of test/ops/ml/trees.ts, as the fixture builder writes them. */
function treeEnsembleModel(): TestModel {
  const b = new ModelBuilder("trees", 17).importOpset("ai.onnx.ml", 3);
  b.input("x", "float32", [3, 3]);
  const nodes = {
    nodes_treeids: ints([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
    nodes_nodeids: ints([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]),
    nodes_featureids: ints([0, 1, 0, 0, 0, 2, 0, 0, 0, 0]),
    nodes_values: floats([0.5, -0.25, 0, 0, 0, 0.1, 0, -0.3, 0, 0]),
    nodes_modes: strings(["BRANCH_LEQ", "BRANCH_LT", "LEAF", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "BRANCH_GTE", "LEAF", "LEAF"]),
    nodes_truenodeids: ints([1, 3, 0, 0, 0, 1, 0, 3, 0, 0]),
    nodes_falsenodeids: ints([2, 4, 0, 0, 0, 2, 0, 4, 0, 0]),
  };
  const leafTrees = ints([0, 0, 0, 1, 1, 1]);
  const leafNodes = ints([3, 4, 2, 1, 3, 4]);
  b.mlOp("TreeEnsembleRegressor", ["x"], {
    ...nodes,
    target_treeids: leafTrees,
    target_nodeids: leafNodes,
    target_ids: ints([0, 0, 0, 0, 0, 0]),
    target_weights: floats([1, 2, -1, 0.5, 0.25, -0.75]),
    n_targets: int(1),
    base_values: floats([0.125]),
    aggregate_function: str("SUM"),
  }, "y");
  b.output("y", "float32", [3, 1]);
  b.node("TreeEnsembleClassifier", ["x"], {
    ...nodes,
    class_treeids: leafTrees,
    class_nodeids: leafNodes,
    class_ids: ints([0, 1, 2, 0, 1, 2]),
    class_weights: floats([1, 1, 1, 0.5, 0.5, 0.5]),
    classlabels_int64s: ints([0, 1, 2]),
    post_transform: str("NONE"),
  }, ["label", "scores"], "ai.onnx.ml");
  b.output("label", "int64", [3]);
  b.output("scores", "float32", [3, 3]);
  const graph = loadModelBytes(b.encode(), "trees.onnx");
  // calibration rows around the traced ones
  const samples = [ROWS, ROWS.map((v) => v * 0.9), ROWS.map((v) => -v)].map((r) => ({ x: tensor("float32", [3, 3], Float64Array.from(r.map(Math.fround))) }));
  return { graph, calibration: calibrate(graph, samples, { scale: 7 }), input: { x: ROWS } };
}

const proved = provedModel(treeEnsembleModel, { backend: "gkr" });

describe("ONNX-ML tree ensembles, gkr mode", () => {
  it("proves in GKR kernels only", () => {
    expect(proved.compiled.manifest.kernels.every((k) => k.backend === "gkr")).toBe(true);
    const ops = new Set(proved.model.calibration.program.prims.map((p) => p.op));
    // comparisons are clamps, paths and labels matmuls: no argmax kernel, no lookup
    expect(ops.has("matmul") && ops.has("clamp")).toBe(true);
    expect(ops.has("argmax") || ops.has("lookup")).toBe(false);
  });

  it("verifies, and the outputs are the float model's (the traced leaves)", async () => {
    const v = await proved.check(proved.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(proved.model.graph, { x: tensor("float32", [3, 3], Float64Array.from(ROWS.map(Math.fround))) });
    expect(Array.from(want.get("y")!.data)).toEqual(SUMS);
    expect(v.outputs[0]!.floats).toEqual(SUMS);
    expect(v.outputs[1]!.integers).toEqual([0, 2, 1]);
    expect(v.outputs[2]!.floats).toEqual(CLASS_SCORES);
  });

  it("rejects changed scores and a changed label", async () => {
    const scale = (i: number) => proved.compiled.manifest.quantisation.outputs[i]!.scale;
    const y = clone(proved.proof);
    y.outputs[0].integers[1] += 1;
    y.outputs[0].floats[1] = y.outputs[0].integers[1] * 2 ** -scale(0);
    expect((await proved.check(y)).ok).toBe(false);
    const label = clone(proved.proof);
    label.outputs[1].integers[0] = 1;
    label.outputs[1].floats[0] = 1;
    expect((await proved.check(label)).ok).toBe(false);
    const scores = clone(proved.proof);
    scores.outputs[2].integers[4] -= 1;
    scores.outputs[2].floats[4] = scores.outputs[2].integers[4] * 2 ** -scale(2);
    expect((await proved.check(scores)).ok).toBe(false);
  });
});
