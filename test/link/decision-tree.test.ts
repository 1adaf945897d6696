/**
 * A 2-level decision tree (Less/LessOrEqual on thresholds, Slice, Where with constant leaves) and
 * a Greater + Where + Relu gate, compiled in GKR mode, proved and verified with real proofs; a
 * changed output is rejected.
 */
import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { clone, provedModel, type TestModel } from "./helpers.js";

/** tree(x) = x0 < 0.37 ? (x1 < -0.2 ? 1.5 : -0.5) : (x2 <= 0.55 ? 0.25 : 2); gate(x) = relu(x > 0.1 ? x : 0.5 x) */
function treeModel(): TestModel {
  const b = new ModelBuilder("tree", 17);
  b.input("x", "float32", [1, 4]);
  const thr = b.floats("thr", [1, 4], [0.37, -0.2, 0.55, 0]);
  const lt = b.op("Less", ["x", thr]);
  const le = b.op("LessOrEqual", ["x", thr]);
  const column = (t: string, j: number) => b.op("Slice", [t, b.int64s(b.fresh("start"), [1], [j]), b.int64s(b.fresh("end"), [1], [j + 1]), b.int64s(b.fresh("axis"), [1], [1])]);
  const leaf = (v: number) => b.floats(b.fresh("leaf"), [1, 1], [v]);
  const left = b.op("Where", [column(lt, 1), leaf(1.5), leaf(-0.5)]);
  const right = b.op("Where", [column(le, 2), leaf(0.25), leaf(2)]);
  b.op("Where", [column(lt, 0), left, right], {}, "tree");
  b.output("tree", "float32", [1, 1]);
  const half = b.op("Mul", ["x", b.floats("half", [], [0.5])]);
  const on = b.op("Greater", ["x", b.floats("cut", [], [0.1])]);
  b.op("Relu", [b.op("Where", [on, "x", half])], {}, "gate");
  b.output("gate", "float32", [1, 4]);
  // a NaN guard: constant false on quantised (finite) values, still a proven tensor of the program
  b.op("IsNaN", [half], {}, "nan");
  b.output("nan", "bool", [1, 4]);
  const graph = loadModelBytes(b.encode(), "tree.onnx");
  const rng = new Rng(21);
  const sample = () => Array.from({ length: 4 }, () => Math.fround(rng.uniform(-1, 1)));
  const samples = Array.from({ length: 8 }, () => ({ x: tensor("float32", [1, 4], Float64Array.from(sample())) }));
  const calibration = calibrate(graph, samples, { scale: 7 });
  return { graph, calibration, input: { x: [0.3, -0.6, 0.9, 0.05] } };
}

const proved = provedModel(treeModel, { backend: "gkr" });

describe("decision tree and gate, gkr mode", () => {
  it("proves in GKR kernels only, without lookups", () => {
    expect(proved.compiled.manifest.kernels.every((k) => k.backend === "gkr")).toBe(true);
    expect(proved.model.calibration.program.prims.some((p) => p.op === "lookup")).toBe(false);
  });

  it("verifies, and the outputs are the float model's", async () => {
    const v = await proved.check(proved.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(proved.model.graph, { x: tensor("float32", [1, 4], Float64Array.from(proved.model.input.x!)) });
    // x0 = 0.3 < 0.37, x1 = -0.6 < -0.2: leaf 1.5, exactly on the grid
    expect(v.outputs[0]!.floats).toEqual([1.5]);
    expect(Array.from(want.get("tree")!.data)).toEqual([1.5]);
    const gate = Array.from(want.get("gate")!.data);
    v.outputs[1]!.floats!.forEach((f, i) => expect(Math.abs(f - gate[i]!)).toBeLessThanOrEqual(2 ** -7));
    expect(v.outputs[2]!.integers).toEqual([0, 0, 0, 0]);
  });

  it("rejects a changed output", async () => {
    const out = clone(proved.proof);
    out.outputs[0].integers[0] += 1;
    out.outputs[0].floats[0] = out.outputs[0].integers[0] * 2 ** -proved.compiled.manifest.quantisation.outputs[0]!.scale;
    expect((await proved.check(out)).ok).toBe(false);
    const gate = clone(proved.proof);
    gate.outputs[1].integers[2] -= 1;
    gate.outputs[1].floats[2] = gate.outputs[1].integers[2] * 2 ** -proved.compiled.manifest.quantisation.outputs[1]!.scale;
    expect((await proved.check(gate)).ok).toBe(false);
    const nan = clone(proved.proof);
    nan.outputs[2].integers[1] = 1;
    nan.outputs[2].floats[1] = 1;
    expect((await proved.check(nan)).ok).toBe(false);
  });
});
