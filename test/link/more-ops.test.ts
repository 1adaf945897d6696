/**
 * CumSum, ReduceProd, Trilu, ScatterElements and ArgMin with select_last_index lower onto matmul,
 * products, gathers and argmax; LRN and InstanceNormalization onto a band matmul, sums and tables;
 * ConvTranspose onto the im2col matmul of Conv:
 * models using all of them prove and verify in GKR mode with real proofs, their outputs close to
 * the float model's; a changed output is rejected.
 */
import { describe, expect, it } from "vitest";
import { ModelBuilder, float, int, ints } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { clone, provedModel, type TestModel } from "./helpers.js";

/** x: [3, 4] in [0.5, 1.5]. */
function scanModel(): TestModel {
  const b = new ModelBuilder("scan", 18);
  b.input("x", "float32", [3, 4]);
  b.op("CumSum", ["x", b.int64s("axis", [], [1])], { exclusive: int(1), reverse: int(1) }, "cumsum");
  b.output("cumsum", "float32", [3, 4]);
  b.op("ReduceProd", ["x", b.int64s("axes", [1], [1])], { keepdims: int(0) }, "prod");
  b.output("prod", "float32", [3]);
  const upper = b.op("Trilu", ["x", b.int64s("k", [], [1])], { upper: int(1) });
  b.op("ScatterElements", [upper, b.int64s("at", [1, 2], [0, 3]), b.floats("u", [1, 2], [-0.75, 0.625])], { axis: int(1) }, "scattered");
  b.output("scattered", "float32", [3, 4]);
  // a tie on purpose (x[0][1] = x[0][3] after rounding): the last index must win
  b.op("ArgMin", ["x"], { axis: int(1), select_last_index: int(1), keepdims: int(0) }, "argmin");
  b.output("argmin", "int64", [3]);
  const graph = loadModelBytes(b.encode(), "scan.onnx");
  const rng = new Rng(9);
  const samples = Array.from({ length: 8 }, () => ({ x: tensor("float32", [3, 4], Float64Array.from({ length: 12 }, () => Math.fround(rng.uniform(0.5, 1.5)))) }));
  const input = [0.75, 0.5, 1.25, 0.5, 1.0, 1.5, 0.625, 0.875, 1.125, 0.5625, 1.375, 0.9375];
  return { graph, calibration: calibrate(graph, samples, { scale: 8 }), input: { x: input } };
}

const proved = provedModel(scanModel, { backend: "gkr" });

describe("CumSum, ReduceProd, Trilu, ScatterElements and ArgMin (last index), gkr mode", () => {
  it("verifies, with outputs close to the float model's and the last tied minimum chosen", async () => {
    const v = await proved.check(proved.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(proved.model.graph, { x: tensor("float32", [3, 4], Float64Array.from(proved.model.input.x!)) });
    for (const [k, name] of ["cumsum", "prod", "scattered"].entries()) {
      const f = Array.from(want.get(name)!.data);
      v.outputs[k]!.floats!.forEach((g, i) => expect(Math.abs(g - f[i]!), `${name}[${i}]`).toBeLessThanOrEqual(0.02 * (1 + Math.abs(f[i]!))));
    }
    expect(v.outputs[3]!.integers).toEqual(Array.from(want.get("argmin")!.data));
    expect(v.outputs[3]!.integers![0]).toBe(3);
  });

  it("rejects a changed output", async () => {
    for (const k of [0, 1, 2, 3]) {
      const bad = clone(proved.proof);
      bad.outputs[k].integers[0] += 1;
      bad.outputs[k].floats[0] = bad.outputs[k].integers[0] * 2 ** -proved.compiled.manifest.quantisation.outputs[k]!.scale;
      expect((await proved.check(bad)).ok, `output ${k}`).toBe(false);
    }
  });
});

/** x: [1, 4, 3, 3]: LRN across channels, then InstanceNormalization with per-channel scale and bias. */
function normModel(): TestModel {
  const b = new ModelBuilder("norms", 17);
  b.input("x", "float32", [1, 4, 3, 3]);
  const lrn = b.op("LRN", ["x"], { size: int(3), alpha: float(0.5), beta: float(0.75), bias: float(1) }, "lrn");
  b.output("lrn", "float32", [1, 4, 3, 3]);
  b.op("InstanceNormalization", [lrn, b.floats("s", [4], [1, 0.5, -0.75, 1.25]), b.floats("bias", [4], [0, 0.25, -0.5, 0.125])], {}, "norm");
  b.output("norm", "float32", [1, 4, 3, 3]);
  const graph = loadModelBytes(b.encode(), "norms.onnx");
  const rng = new Rng(13);
  const draw = () => Float64Array.from({ length: 36 }, () => Math.fround(rng.uniform(-1.5, 1.5)));
  const samples = Array.from({ length: 8 }, () => ({ x: tensor("float32", [1, 4, 3, 3], draw()) }));
  return { graph, calibration: calibrate(graph, samples, { scale: 9 }), input: { x: Array.from(draw()) } };
}

const norms = provedModel(normModel, { backend: "gkr" });

describe("LRN and InstanceNormalization, gkr mode", () => {
  it("verifies, with outputs close to the float model's", async () => {
    const v = await norms.check(norms.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = runFloat(norms.model.graph, { x: tensor("float32", [1, 4, 3, 3], Float64Array.from(norms.model.input.x!)) });
    for (const [k, name] of ["lrn", "norm"].entries()) {
      const f = Array.from(want.get(name)!.data);
      v.outputs[k]!.floats!.forEach((g, i) => expect(Math.abs(g - f[i]!), `${name}[${i}]`).toBeLessThanOrEqual(0.03 * (1 + Math.abs(f[i]!))));
    }
  });

  it("rejects a changed output", async () => {
    const bad = clone(norms.proof);
    bad.outputs[1].integers[5] -= 1;
    bad.outputs[1].floats[5] = bad.outputs[1].integers[5] * 2 ** -norms.compiled.manifest.quantisation.outputs[1]!.scale;
    expect((await norms.check(bad)).ok).toBe(false);
  });
});

/** A DCGAN-style generator head: z [1, 4, 2, 2] -> ConvTranspose (stride 2) -> Relu -> ConvTranspose (groups 2) -> Tanh. */
function generatorModel(): TestModel {
  const b = new ModelBuilder("generator", 17);
  b.input("z", "float32", [1, 4, 2, 2]);
  const rng = new Rng(17);
  const weights = (n: number) => Array.from({ length: n }, () => Math.fround(rng.uniform(-0.5, 0.5)));
  const up = b.op("ConvTranspose", ["z", b.floats("w1", [4, 4, 4, 4], weights(256)), b.floats("b1", [4], weights(4))], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
  const act = b.op("Relu", [up]);
  b.op("Tanh", [b.op("ConvTranspose", [act, b.floats("w2", [4, 1, 3, 3], weights(36))], { group: int(2), pads: ints([1, 1, 1, 1]) })], {}, "image");
  b.output("image", "float32", [1, 2, 4, 4]);
  const graph = loadModelBytes(b.encode(), "generator.onnx");
  const draw = () => Float64Array.from({ length: 16 }, () => Math.fround(rng.uniform(-1, 1)));
  const samples = Array.from({ length: 8 }, () => ({ z: tensor("float32", [1, 4, 2, 2], draw()) }));
  return { graph, calibration: calibrate(graph, samples, { scale: 9 }), input: { z: Array.from(draw()) } };
}

const generator = provedModel(generatorModel, { backend: "gkr" });

describe("ConvTranspose generator, gkr mode", () => {
  it("verifies, with the image close to the float model's", async () => {
    const v = await generator.check(generator.proof);
    if (!v.ok) throw new Error(v.reason);
    const want = Array.from(runFloat(generator.model.graph, { z: tensor("float32", [1, 4, 2, 2], Float64Array.from(generator.model.input.z!)) }).get("image")!.data);
    v.outputs[0]!.floats!.forEach((g, i) => expect(Math.abs(g - want[i]!), `image[${i}]`).toBeLessThanOrEqual(0.02));
  });

  it("rejects a changed pixel", async () => {
    const bad = clone(generator.proof);
    bad.outputs[0].integers[7] += 1;
    bad.outputs[0].floats[7] = bad.outputs[0].integers[7] * 2 ** -generator.compiled.manifest.quantisation.outputs[0]!.scale;
    expect((await generator.check(bad)).ok).toBe(false);
  });
});
