/**
 * Calibration's float pass (issue 17): onnxruntime-node and the interpreter give the same ranges
 * (within float32 tolerance) and the same scales on the fixtures; failing scales stop early
 * without changing the choice; the result counts the caller's and the synthetic samples; a model
 * onnxruntime disagrees with falls back to the interpreter with a note.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelFile } from "../../compiler/onnx/load.js";
import { type Feeds, calibrate, calibrateAsync, floatPass, floatPassInterpreter, randomSamples } from "../../compiler/quant/calibrate.js";

const FIXTURES = new URL("../../fixtures/", import.meta.url);
const models = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".onnx"))
  .sort();

function samplesFor(graph: ReturnType<typeof loadModelFile>): Feeds[] {
  const user = randomSamples(graph, 1, 11);
  return [...user, ...randomSamples(graph, 4, 1, user)];
}

describe("calibration on onnxruntime-node and on the interpreter", () => {
  it.each(models)("%s: same ranges, outputs and scales", async (file) => {
    const graph = loadModelFile(new URL(file, FIXTURES).pathname);
    const samples = samplesFor(graph);
    const ort = await floatPass(graph, samples, "onnxruntime");
    expect(ort.notes, `${file}: onnxruntime was not used`).toEqual([]);
    expect(ort.engine).toBe("onnxruntime");
    const ref = floatPassInterpreter(graph, samples);
    expect([...ort.ranges.keys()].sort()).toEqual([...ref.ranges.keys()].sort());
    for (const [name, r] of ref.ranges) {
      const o = ort.ranges.get(name)!;
      const tol = 1e-4 * Math.max(1, Math.abs(r.min), Math.abs(r.max));
      expect(Math.abs(o.min - r.min), `${file} ${name} min`).toBeLessThanOrEqual(tol);
      expect(Math.abs(o.max - r.max), `${file} ${name} max`).toBeLessThanOrEqual(tol);
    }
    ref.outputs.forEach((outs, s) => {
      for (const [name, t] of outs) {
        const o = ort.outputs[s]!.get(name)!;
        expect(o.shape).toEqual(t.shape);
        t.data.forEach((v, i) => expect(Math.abs(o.data[i]! - v), `${file} ${name}[${i}]`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
      }
    });
    const a = calibrate(graph, samples, { float: ort, userSamples: 1 });
    const b = calibrate(graph, samples, { float: ref, userSamples: 1 });
    expect(a.config).toEqual(b.config);
    expect(a.tried.map((t) => [t.scale, t.met])).toEqual(b.tried.map((t) => [t.scale, t.met]));
    expect(a.floatEngine).toBe("onnxruntime");
    expect(b.floatEngine).toBe("interpreter");
  });

  it("counts the caller's and the synthetic samples", async () => {
    const graph = loadModelFile(new URL("lenet.onnx", FIXTURES).pathname);
    const samples = samplesFor(graph);
    const cal = await calibrateAsync(graph, samples, { userSamples: 1 });
    expect([cal.userSamples, cal.syntheticSamples]).toEqual([1, 4]);
    expect(cal.accuracy.samples).toBe(5);
    const all = calibrate(graph, samples);
    expect([all.userSamples, all.syntheticSamples]).toEqual([5, 0]);
  });

  it("stops a failing scale at its first failing sample without changing the choice", () => {
    const graph = loadModelFile(new URL("lenet.onnx", FIXTURES).pathname);
    const samples = samplesFor(graph);
    const float = floatPassInterpreter(graph, samples);
    const fast = calibrate(graph, samples, { float });
    const full = calibrate(graph, samples, { float, exhaustive: true });
    expect(fast.config).toEqual(full.config);
    expect(fast.accuracy).toEqual(full.accuracy);
    const failed = fast.tried.filter((t) => !t.met);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) expect(t.samples).toBeLessThan(samples.length);
    for (const t of full.tried) expect(t.samples).toBe(samples.length);
    // a target no scale meets: every scale is measured in full and the most accurate is kept
    const none = calibrate(graph, samples, { float, targetRelL2: 1e-12, scales: [4, 6, 8] });
    const noneFull = calibrate(graph, samples, { float, targetRelL2: 1e-12, scales: [4, 6, 8], exhaustive: true });
    expect(none.metTarget).toBe(false);
    expect(none.tried).toEqual(noneFull.tried);
    expect(none.config).toEqual(noneFull.config);
  });

  it("falls back to the interpreter, with a note, when onnxruntime disagrees on a shape", async () => {
    const graph = loadModelFile(new URL("lenet.onnx", FIXTURES).pathname);
    const name = graph.nodes[0]!.outputs[0]!;
    const v = graph.values.get(name)!;
    graph.values.set(name, { ...v, shape: [...v.shape.slice(0, -1), v.shape[v.shape.length - 1]! + 1] });
    const samples = samplesFor(graph);
    // (the tampered shape would stop quantisation, so the float pass is checked on its own)
    const pass = await floatPass(graph, samples);
    expect(pass.engine).toBe("interpreter");
    expect(pass.notes.join()).toMatch(/float values from the interpreter: onnxruntime .*shape/);
    expect(pass.ranges).toEqual(floatPassInterpreter(graph, samples).ranges);
    expect(pass.outputs[0]!.get(graph.outputs[0]!.name)!.data).toEqual(runFloat(graph, samples[0]!).get(graph.outputs[0]!.name)!.data);
  });
});
