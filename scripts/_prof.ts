import { runFloat } from "/work/wt-i17float/compiler/float/interpret.js";
import { loadModelBytes } from "/work/wt-i17float/compiler/onnx/load.js";
import { collectRanges, randomSamples } from "/work/wt-i17float/compiler/quant/calibrate.js";
import { quantiseGraph } from "/work/wt-i17float/compiler/quant/quantise.js";
import { DEFAULT_CONFIG } from "/work/wt-i17float/compiler/quant/builder.js";
import { measureAccuracy } from "/work/wt-i17float/compiler/quant/accuracy.js";
import { squeezenet } from "/work/wt-i17float/scripts/large-models.js";
const m = squeezenet();
const g = loadModelBytes(m.bytes, "sq.onnx");
const samples = randomSamples(g, 2, 1);
let t = performance.now();
const ranges = collectRanges(g, samples);
console.log("collectRanges 2 samples", (performance.now() - t) / 1000);
const fo = samples.map((f) => runFloat(g, f));
for (const s of [4, 8]) {
  t = performance.now();
  const program = quantiseGraph(g, { ...DEFAULT_CONFIG, inputScale: s, activationScale: s, paramScale: 0, paramBits: s + 4 }, ranges);
  console.log("quantise", s, (performance.now() - t) / 1000, "prims", program.prims.length);
  t = performance.now();
  const acc = measureAccuracy(g, program, samples, fo);
  console.log("measure 2 samples", (performance.now() - t) / 1000, acc.worstRelL2);
  const counts = new Map<string, number>();
  for (const p of program.prims) counts.set(p.op, (counts.get(p.op) ?? 0) + 1);
  console.log([...counts]);
}
