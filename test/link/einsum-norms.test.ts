/**
 * Einsum of two runtime operands, LpNormalization, MeanVarianceNormalization, RMSNormalization,
 * LpPool and Mod by constants lower onto gathers, matmul, sums, tables and the proven division, and a causal -inf mask added to
 * Einsum scores before Softmax keeps its stand-in: a model using all of them proves and verifies
 * in GKR mode with real proofs, its outputs close to the float model's (the masked probabilities
 * exactly 0); a changed output is rejected. (Hardmax's argmax gets a Groth16 kernel of its own,
 * too slow for the default suite: conformance and test/quant/lowering.test.ts cover it.)
 */
import { describe, expect, it } from "vitest";
import { ModelBuilder, int, ints, str } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { clone, provedModel, type TestModel } from "./helpers.js";

const OUTPUTS = ["gram", "unit", "mvn", "lppool", "attn", "rms", "mod"] as const;
/** 0 on and below the diagonal, -inf above */
const CAUSAL = [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0];

/** x: [2, 3, 4] in [-1.5, 1.5]. */
function normsModel(): TestModel {
  const b = new ModelBuilder("einsum-norms", 23);
  b.input("x", "float32", [2, 3, 4]);
  const gram = b.op("Einsum", ["x", "x"], { equation: str("bij,bkj->bik") }, "gram");
  b.output("gram", "float32", [2, 3, 3]);
  b.op("LpNormalization", ["x"], { p: int(2), axis: int(-1) }, "unit");
  b.output("unit", "float32", [2, 3, 4]);
  b.op("MeanVarianceNormalization", ["x"], { axes: ints([1, 2]) }, "mvn");
  b.output("mvn", "float32", [2, 3, 4]);
  b.op("LpPool", ["x"], { kernel_shape: ints([2]), strides: ints([2]), p: int(1) }, "lppool");
  b.output("lppool", "float32", [2, 3, 2]);
  b.op("Softmax", [b.op("Add", [gram, b.floats("causal", [3, 3], CAUSAL)])], { axis: int(-1) }, "attn");
  b.output("attn", "float32", [2, 3, 3]);
  b.op("RMSNormalization", ["x", b.floats("gamma", [4], [1, -0.5, 0.75, 1.25])], { axis: int(-1) }, "rms");
  b.output("rms", "float32", [2, 3, 4]);
  b.op("Mod", ["x", b.floats("divisor", [4], [0.75, -0.5, 1.25, -1])], { fmod: int(1) }, "mod");
  b.output("mod", "float32", [2, 3, 4]);
  const graph = loadModelBytes(b.encode(), "einsum-norms.onnx");
  const rng = new Rng(21);
  const draw = () => Float64Array.from({ length: 24 }, () => Math.fround(rng.uniform(-1.5, 1.5)));
  const samples = Array.from({ length: 8 }, () => ({ x: tensor("float32", [2, 3, 4], draw()) }));
  return { graph, calibration: calibrate(graph, samples, { scale: 9 }), input: { x: Array.from(draw()) } };
}

const proved = provedModel(normsModel, { backend: "gkr" });

describe("Einsum, LpNormalization, MeanVarianceNormalization, RMSNormalization, LpPool, Mod and a -inf causal mask, gkr mode", () => {
  it("verifies, with outputs close to the float model's", async () => {
    const v = await proved.check(proved.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(proved.model.graph, { x: tensor("float32", [2, 3, 4], Float64Array.from(proved.model.input.x!)) });
    for (const [k, name] of OUTPUTS.entries()) {
      const f = Array.from(want.get(name)!.data);
      const got = v.outputs[k]!.floats!;
      if (name === "attn") got.forEach((g, i) => (CAUSAL[i % 9] === -Infinity ? expect(g, `attn[${i}]`).toBe(0) : expect(Math.abs(g - f[i]!), `attn[${i}]`).toBeLessThanOrEqual(0.03)));
      else got.forEach((g, i) => expect(Math.abs(g - f[i]!), `${name}[${i}]`).toBeLessThanOrEqual(0.03 * (1 + Math.abs(f[i]!))));
    }
  });

  it("rejects a changed output", async () => {
    for (const k of OUTPUTS.keys()) {
      const bad = clone(proved.proof);
      bad.outputs[k].integers[1] += 1;
      bad.outputs[k].floats[1] = bad.outputs[k].integers[1] * 2 ** -proved.compiled.manifest.quantisation.outputs[k]!.scale;
      expect((await proved.check(bad)).ok, OUTPUTS[k]).toBe(false);
    }
  });
});
