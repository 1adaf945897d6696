/**
 * An LSTM classifier (LSTM over 5 steps, its last hidden state through a Gemm and Softmax) and a
 * bidirectional GRU encoder, unrolled and proved in GKR mode with real proofs: outputs close to the
 * float model's, a changed output rejected.
 */
import { describe, expect, it } from "vitest";
import { ModelBuilder, int, strings } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { clone, provedModel, type TestModel } from "./helpers.js";

const [SEQ, IN, HID, CLASSES] = [5, 3, 4, 3];

function classifier(): TestModel {
  const b = new ModelBuilder("lstm-classifier", 14);
  const rng = new Rng(31);
  const w = (shape: number[], s = 0.6) => b.floats(b.fresh("w"), shape, Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => Math.fround(rng.uniform(-s, s))));
  b.input("x", "float32", [SEQ, 1, IN]);
  const [, h] = b.node("LSTM", ["x", w([1, 4 * HID, IN]), w([1, 4 * HID, HID]), w([1, 8 * HID], 0.2)], { hidden_size: int(HID) }, 2);
  const last = b.op("Reshape", [h!, b.int64s("flat", [2], [1, HID])]);
  b.op("Softmax", [b.op("Gemm", [last, w([HID, CLASSES]), w([CLASSES], 0.2)])], { axis: int(-1) }, "probs");
  b.output("probs", "float32", [1, CLASSES]);
  b.node("GRU", ["x", w([2, 3 * HID, IN]), w([2, 3 * HID, HID]), w([2, 6 * HID], 0.2)], { hidden_size: int(HID), direction: { kind: "string", value: "bidirectional" }, activations: strings(["Sigmoid", "Tanh", "Sigmoid", "Tanh"]) }, ["states"]);
  b.output("states", "float32", [SEQ, 2, 1, HID]);
  const graph = loadModelBytes(b.encode(), "lstm-classifier.onnx");
  const draw = () => Float64Array.from({ length: SEQ * IN }, () => Math.fround(rng.uniform(-1, 1)));
  const samples = Array.from({ length: 8 }, () => ({ x: tensor("float32", [SEQ, 1, IN], draw()) }));
  return { graph, calibration: calibrate(graph, samples, { scale: 9 }), input: { x: Array.from(draw()) } };
}

const proved = provedModel(classifier, { backend: "gkr" });

describe("LSTM classifier and bidirectional GRU, gkr mode", () => {
  it("verifies, with outputs close to the float model's", async () => {
    const v = await proved.check(proved.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(proved.model.graph, { x: tensor("float32", [SEQ, 1, IN], Float64Array.from(proved.model.input.x!)) });
    for (const [k, name] of ["probs", "states"].entries()) {
      const f = Array.from(want.get(name)!.data);
      v.outputs[k]!.floats!.forEach((g, i) => expect(Math.abs(g - f[i]!), `${name}[${i}]`).toBeLessThanOrEqual(0.03));
    }
  });

  it("rejects a changed output", async () => {
    for (const k of [0, 1]) {
      const bad = clone(proved.proof);
      bad.outputs[k].integers[1] += 1;
      bad.outputs[k].floats[1] = bad.outputs[k].integers[1] * 2 ** -proved.compiled.manifest.quantisation.outputs[k]!.scale;
      expect((await proved.check(bad)).ok, `output ${k}`).toBe(false);
    }
  });
});
