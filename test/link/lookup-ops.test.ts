/**
 * The trigonometric, hyperbolic and Swish ops lower to lookups, ReduceL2 and ReduceLogSumExp to
 * sums and lookups: a model chaining them (opset 24, for Swish) proves and verifies in GKR mode with
 * real proofs, its outputs within a few grid steps of the float model's; a changed output is
 * rejected.
 */
import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { clone, provedModel, type TestModel } from "./helpers.js";

const SCALE = 9;

/**
 * x in [-0.9, 0.9]: y1 = atan(tan(x)) + asinh(sinh(x)); y2 = swish_1.5(atanh(x) + acos(x));
 * y3 = logsumexp(x) + l2(x) over the last axis
 */
function lookupModel(): TestModel {
  const b = new ModelBuilder("trig", 24);
  b.input("x", "float32", [1, 8]);
  const round = b.op("Atan", [b.op("Tan", ["x"])]);
  const hyper = b.op("Asinh", [b.op("Sinh", ["x"])]);
  b.op("Add", [round, hyper], {}, "y1");
  b.output("y1", "float32", [1, 8]);
  b.op("Swish", [b.op("Add", [b.op("Atanh", ["x"]), b.op("Acos", ["x"])])], { alpha: { kind: "float", value: 1.5 } }, "y2");
  b.output("y2", "float32", [1, 8]);
  const axes = b.int64s("axes", [1], [1]);
  b.op("Add", [b.op("ReduceLogSumExp", ["x", axes]), b.op("ReduceL2", ["x", axes])], {}, "y3");
  b.output("y3", "float32", [1, 1]);
  const graph = loadModelBytes(b.encode(), "trig.onnx");
  const rng = new Rng(5);
  const sample = () => Float64Array.from({ length: 8 }, () => Math.fround(rng.uniform(-0.9, 0.9)));
  const samples = Array.from({ length: 8 }, () => ({ x: tensor("float32", [1, 8], sample()) }));
  return { graph, calibration: calibrate(graph, samples, { scale: SCALE }), input: { x: [-0.85, -0.5, -0.2, 0, 0.1, 0.4, 0.7, 0.88] } };
}

const proved = provedModel(lookupModel, { backend: "gkr" });

describe("trigonometric, Swish and derived-reduction lookups, gkr mode", () => {
  it("lowers every one of them to a lookup", () => {
    expect(proved.model.calibration.program.prims.filter((p) => p.op === "lookup").length).toBeGreaterThanOrEqual(7);
  });

  it("verifies, with outputs near the float model's", async () => {
    const v = await proved.check(proved.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(proved.model.graph, { x: tensor("float32", [1, 8], Float64Array.from(proved.model.input.x!)) });
    v.outputs.forEach((o, k) => {
      const f = Array.from(want.get(`y${k + 1}`)!.data);
      o.floats!.forEach((g, i) => expect(Math.abs(g - f[i]!), `y${k + 1}[${i}]`).toBeLessThanOrEqual(0.05 * (1 + Math.abs(f[i]!))));
    });
  });

  it("rejects a changed output", async () => {
    for (const [k, i] of [[0, 3], [1, 3], [2, 0]] as const) {
      const bad = clone(proved.proof);
      bad.outputs[k].integers[i] += 1;
      bad.outputs[k].floats[i] = bad.outputs[k].integers[i] * 2 ** -proved.compiled.manifest.quantisation.outputs[k]!.scale;
      expect((await proved.check(bad)).ok).toBe(false);
    }
  });
});
