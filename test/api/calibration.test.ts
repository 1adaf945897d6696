/**
 * Calibration as the user sees it (library `compile`, the path of `zkc compile --calibrate`):
 * EZKL-style batched files (N samples stacked in one flat list, or under a leading batch
 * dimension), the given and synthetic sample counts, and a report whose numbers agree: the
 * warning, the `tried` list and the accuracy table all state the limit the search applied.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../toolchain/api.js";
import { SEARCH_MARGIN } from "../../compiler/quant/calibrate.js";
import { parseSamples } from "../../runtime/inputs.js";
import { accuracyTable } from "../../cli/commands/compile.js";
import { tinyClassifierOnnx } from "../link/helpers.js";

const work = mkdtempSync(join(tmpdir(), "zkc-calibration-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const onnx = tinyClassifierOnnx(1, false, 2); // x [1,6] -> Gemm 8 -> Relu -> Gemm 4 -> logits
const sample = (k: number) => Array.from({ length: 6 }, (_, i) => Math.fround(Math.sin(k * 3 + i) * 0.9));
const file = (name: string, json: unknown) => {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

describe("batched calibration files", () => {
  const infos = [{ name: "x", dtype: "float32" as const, shape: [1, 6] }];

  it("a flat list of N stacked samples, a leading batch dimension and a list of objects read alike", () => {
    const flat = parseSamples({ input_data: [[...sample(0), ...sample(1), ...sample(2)]] }, infos, "b.json");
    const nested = parseSamples({ x: [[sample(0)], [sample(1)], [sample(2)]] }, infos, "b.json");
    const objects = parseSamples([0, 1, 2].map((k) => ({ input_data: [sample(k)] })), infos, "b.json");
    expect(flat).toHaveLength(3);
    expect(nested).toEqual(flat);
    expect(objects).toEqual(flat);
    expect(Array.from(flat[1]!.x!)).toEqual(sample(1));
  });

  it("a length that is no multiple of the input size, or batches of different sizes, are refused", () => {
    expect(() => parseSamples({ input_data: [[...sample(0), 1, 2]] }, infos, "b.json")).toThrow(/input "x" has 8 values \(expected 6 \(shape \[1, 6\]\) per sample, or a multiple of it/);
    const two = [
      { name: "a", dtype: "float32" as const, shape: [2] },
      { name: "b", dtype: "float32" as const, shape: [2] },
    ];
    expect(() => parseSamples({ a: [1, 2, 3, 4], b: [1, 2] }, two, "b.json")).toThrow(/input "b" holds 1 sample, input "a" 2 samples/);
  });

  it("compile counts the user's N samples and the synthetic ones apart", async () => {
    for (const [name, json] of [
      ["flat.json", { input_data: [[...sample(0), ...sample(1), ...sample(2)]] }],
      ["nested.json", { input_data: [[sample(0), sample(1), sample(2)]] }],
    ] as const) {
      const art = await compile(onnx, { calibrate: file(name, json), backend: "gkr", modelName: "tiny.onnx" });
      expect(art.quantisation.samples).toEqual({ given: 3, synthetic: 16 });
      expect(art.quantisation.accuracy.samples).toBe(19);
      expect(art.warnings.map((w) => w.code)).not.toContain("random-calibration");
    }
    // without calibration data every sample is synthetic
    const random = await compile(onnx, { backend: "gkr" });
    expect(random.quantisation.samples).toEqual({ given: 0, synthetic: 16 });
  }, 120_000);
});

describe("the accuracy report states the limit it applied", () => {
  it("the search limit is the target over the margin, and `met` means within it", async () => {
    const art = await compile(onnx, { calibrate: file("one.json", { input_data: [sample(0)] }), backend: "gkr", target: 0.02 });
    const q = art.quantisation;
    expect(q.searchLimit).toBe(0.02 / SEARCH_MARGIN);
    expect(q.metTarget).toBe(true);
    for (const t of q.tried) expect(t.met).toBe(t.relL2 <= q.searchLimit);
    expect(q.accuracy.worstRelL2).toBeLessThanOrEqual(q.searchLimit);
  }, 60_000);

  it("a kept error between the limit and the target is reported as missing the limit, with both numbers, and the table header names the limit", async () => {
    // measure the error at one scale, then ask for a target just above it: within the target, not within the limit
    const fixed = await compile(onnx, { calibrate: file("one.json", { input_data: [sample(0)] }), backend: "gkr", scale: 5 });
    const relL2 = fixed.quantisation.accuracy.worstRelL2;
    expect(relL2).toBeGreaterThan(0);
    const target = relL2 * 1.5;
    const art = await compile(onnx, { calibrate: file("one.json", { input_data: [sample(0)] }), backend: "gkr", scale: 5, target });
    const q = art.quantisation;
    expect(q.metTarget).toBe(false);
    expect(q.accuracy.worstRelL2).toBe(relL2);
    expect(relL2).toBeLessThan(q.target);
    expect(relL2).toBeGreaterThan(q.searchLimit);
    const w = art.warnings.find((x) => x.code === "target-not-met")!;
    expect(w.message).toContain(`within ${q.searchLimit} (the target ${target} with a ${SEARCH_MARGIN}× margin for new inputs)`);
    expect(w.message).toContain(`scale 2^5 at rel L2 ${Number(relL2.toPrecision(3))}`);
    const header = accuracyTable(q).split("\n").find((l) => l.includes("rel L2"))!;
    expect(header).toContain(`rel L2 (worst; limit ${Number(q.searchLimit.toPrecision(3))})`);
  }, 60_000);
});
