/**
 * Times the float path (issue 17): single ops, one forward pass of large model structures, and
 * calibration. Usage: tsx scripts/bench-float.ts [ops] [models] [calib] [calib-large]
 * [resnet50] [calib-resnet50] (default: ops models calib). Prints one line per measurement.
 */
import { readFileSync } from "node:fs";
import { runFloat } from "../compiler/float/interpret.js";
import { type Tensor, tensor } from "../compiler/ir/tensor.js";
import { type ModelSpec, buildModel, node } from "../compiler/onnx/build.js";
import { loadModelBytes } from "../compiler/onnx/load.js";
import { calibrateAsync, randomSamples } from "../compiler/quant/calibrate.js";
import { mulberry32 } from "../compiler/util/rng.js";
import { resnet18, resnet50, squeezenet } from "./large-models.js";
import { bestMs } from "./best-of.js";

const args = process.argv.slice(2);
const want = (s: string) => (args.length === 0 ? !s.startsWith("calib-") && s !== "resnet50" : args.includes(s));

function randomTensor(shape: number[], seed: number): Tensor {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.fround(r() * 2 - 1);
  return tensor("float32", shape, d);
}

/** Best of `reps` runs (after one warm-up), in ms. */
function time(f: () => void, reps = 3): number {
  f();
  return bestMs(reps, f);
}

function opCase(name: string, spec: ModelSpec, feeds: Record<string, Tensor>, reps = 3): void {
  const g = loadModelBytes(buildModel(spec), `${name}.onnx`);
  const ms = time(() => runFloat(g, feeds), reps);
  console.log(`op ${name}: ${ms.toFixed(1)} ms`);
}

if (want("ops")) {
  const w = (shape: number[], seed: number) => randomTensor(shape, seed);
  const conv = (name: string, x: number[], wShape: number[], attrs: Record<string, number[] | number>) =>
    opCase(
      name,
      {
        inputs: [{ name: "x", shape: x }],
        outputs: [{ name: "y" }],
        initializers: { w: w(wShape, 2), b: w([wShape[0]!], 3) },
        nodes: [node("Conv", ["x", "w", "b"], ["y"], attrs)],
      },
      { x: w(x, 1) },
    );
  conv("conv 64->64 3x3 56x56 pad 1", [1, 64, 56, 56], [64, 64, 3, 3], { pads: [1, 1, 1, 1] });
  conv("conv 3->64 7x7/2 224x224 pad 3", [1, 3, 224, 224], [64, 3, 7, 7], { pads: [3, 3, 3, 3], strides: [2, 2] });
  conv("conv depthwise 64 3x3 112x112 pad 1", [1, 64, 112, 112], [64, 1, 3, 3], { pads: [1, 1, 1, 1], group: 64 });
  conv("conv 256->64 1x1 56x56", [1, 256, 56, 56], [64, 256, 1, 1], {});
  const mm = (name: string, a: number[], b: number[], op = "MatMul", attrs: Record<string, number> = {}) =>
    opCase(name, { inputs: [{ name: "a", shape: a }], outputs: [{ name: "y" }], initializers: { b: w(b, 2) }, nodes: [node(op, ["a", "b"], ["y"], attrs)] }, { a: w(a, 1) }, 1);
  mm("matmul 1024x1024x1024", [1024, 1024], [1024, 1024]);
  mm("gemm 64x1024x1024 transB", [64, 1024], [1024, 1024], "Gemm", { transB: 1 });
  const x4 = [1, 64, 112, 112];
  opCase("add [1,64,112,112]+[1,64,1,1]", { inputs: [{ name: "a", shape: x4 }], outputs: [{ name: "y" }], initializers: { b: w([1, 64, 1, 1], 2) }, nodes: [node("Add", ["a", "b"], ["y"])] }, { a: w(x4, 1) });
  opCase("add same shape [1,64,112,112]", { inputs: [{ name: "a", shape: x4 }, { name: "b", shape: x4 }], outputs: [{ name: "y" }], nodes: [node("Add", ["a", "b"], ["y"])] }, { a: w(x4, 1), b: w(x4, 2) });
  opCase("relu [1,64,112,112]", { inputs: [{ name: "a", shape: x4 }], outputs: [{ name: "y" }], nodes: [node("Relu", ["a"], ["y"])] }, { a: w(x4, 1) });
  opCase("maxpool 3x3/2 [1,64,112,112]", { inputs: [{ name: "a", shape: x4 }], outputs: [{ name: "y" }], nodes: [node("MaxPool", ["a"], ["y"], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })] }, { a: w(x4, 1) });
  opCase("globalaveragepool [1,64,112,112]", { inputs: [{ name: "a", shape: x4 }], outputs: [{ name: "y" }], nodes: [node("GlobalAveragePool", ["a"], ["y"])] }, { a: w(x4, 1) });
  opCase(
    "batchnorm [1,64,112,112]",
    { inputs: [{ name: "a", shape: x4 }], outputs: [{ name: "y" }], initializers: { s: w([64], 2), b: w([64], 3), m: w([64], 4), v: tensor("float32", [64], new Float64Array(64).fill(1)) }, nodes: [node("BatchNormalization", ["a", "s", "b", "m", "v"], ["y"])] },
    { a: w(x4, 1) },
  );
}

if (want("models")) {
  for (const m of [squeezenet(), resnet18(), ...(want("resnet50") ? [resnet50()] : [])]) {
    const g = loadModelBytes(m.bytes, `${m.name}.onnx`);
    const feeds = { input: randomTensor(m.inputShape, 7) };
    const t0 = performance.now();
    runFloat(g, feeds);
    const ms = performance.now() - t0;
    const t1 = performance.now();
    runFloat(g, feeds, { keepAll: true });
    const all = performance.now() - t1;
    console.log(`model ${m.name} (${(m.macs / 1e9).toFixed(2)} GMAC, ${(m.bytes.length / 2 ** 20).toFixed(1)} MB): forward ${(ms / 1000).toFixed(2)} s, keepAll ${(all / 1000).toFixed(2)} s`);
  }
}

async function calib(name: string, bytes: Uint8Array, given: number, floatEngine: "auto" | "interpreter"): Promise<void> {
  const g = loadModelBytes(bytes, `${name}.onnx`);
  const user = randomSamples(g, given, 99);
  const samples = [...user, ...randomSamples(g, 16, 1, user)];
  const t = performance.now();
  const cal = await calibrateAsync(g, samples, { floatEngine, userSamples: user.length });
  const s = (performance.now() - t) / 1000;
  console.log(
    `calibrate ${name} (${floatEngine} -> ${cal.floatEngine}, ${cal.userSamples}+${cal.syntheticSamples} samples): ${s.toFixed(2)} s, scale ${cal.config.activationScale}, tried ${cal.tried.map((x) => x.scale).join(",")}${cal.notes.length ? `; notes: ${cal.notes.join("; ")}` : ""}`,
  );
}

if (want("calib")) {
  const lenet = readFileSync(new URL("../fixtures/lenet.onnx", import.meta.url));
  await calib("lenet", lenet, 1, "interpreter");
  await calib("lenet", lenet, 1, "auto");
}
if (want("calib-large")) {
  const m = squeezenet();
  await calib(m.name, m.bytes, 1, "interpreter");
  await calib(m.name, m.bytes, 1, "auto");
}
if (want("calib-resnet50")) {
  const m = resnet50();
  await calib(m.name, m.bytes, 1, "auto");
}
