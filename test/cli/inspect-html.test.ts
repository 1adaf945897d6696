/**
 * The inspect page's graph layout (dagre, at page-generation time): for generated 50-kernel
 * plans, a chain and a ShuffleNet-like branching one, every kernel gets a box, no two boxes
 * overlap, every edge runs downwards, the drawing grows with depth (not with width) and the page
 * is self-contained (no script, no network address).
 */
import { describe, expect, it } from "vitest";
import { inspectHtml, layoutGraph, type InspectData } from "../../cli/inspect-html.js";
import type { KernelEntry, Manifest } from "../../runtime/manifest.js";
import type { PlanRow } from "../../toolchain/compile.js";

interface Spec {
  name: string;
  inputs: string[];
  output: string;
}

/** `units` blocks of: two branches from the block input, then a kernel joining them and the input. */
function shuffleNetLike(units: number): Spec[] {
  const specs: Spec[] = [];
  let prev = "x";
  for (let u = 0; u < units; u++) {
    const a = `k${specs.length}`;
    specs.push({ name: a, inputs: [prev], output: `${a}.out` });
    const b = `k${specs.length}`;
    specs.push({ name: b, inputs: [prev], output: `${b}.out` });
    const c = `k${specs.length}`;
    specs.push({ name: c, inputs: [`${a}.out`, `${b}.out`, prev], output: `${c}.out` });
    prev = `${c}.out`;
  }
  return specs;
}

function chain(kernels: number): Spec[] {
  return Array.from({ length: kernels }, (_, k) => ({ name: `k${k}`, inputs: [k === 0 ? "x" : `k${k - 1}.out`], output: `k${k}.out` }));
}

/** The fields of a manifest and plan that the page reads, for a generated kernel graph. */
function inspectData(specs: Spec[]): InspectData {
  const estimate = { proveSeconds: 0.5, memoryBytes: 2 ** 22, proofBytes: 4096 };
  const kernels = specs.map(
    (s, i): KernelEntry => ({
      name: s.name,
      kind: "prims",
      backend: i % 4 === 3 ? "groth16" : "gkr",
      from: i,
      to: i + 1,
      inputs: s.inputs,
      params: [],
      outputs: [s.output],
      reason: "cheaper",
      estimate: { gkr: estimate, groth16: estimate },
    }),
  );
  const io = (name: string) => ({ name, onnxName: name, shape: [1, 24, 28, 28], scale: 8, maxAbs: 1 << 20, visibility: "public" as const });
  const manifest = {
    model: { name: "generated.onnx", digest: "0".repeat(64) },
    quantisation: { config: { activationScale: 8 }, inputs: [io("x")], outputs: [io(specs.at(-1)!.output)] },
    kernels,
    committedTensors: [],
    developmentPtau: false,
  } as unknown as Manifest;
  const plan: PlanRow[] = kernels.map((k) => ({ kernel: k.name, ops: "conv, batchnorm, relu, channel-shuffle", shapes: "[1×24×28×28] -> [1×24×28×28]", backend: k.backend, estimate, reason: k.reason }));
  const shapes = new Map<string, number[]>([["x", [1, 24, 28, 28]], ...specs.map((s) => [s.output, [1, 24, 28, 28]] as [string, number[]])]);
  return { manifest, plan, shapes };
}

type Box = { x: number; y: number; w: number; h: number };
function boxesOf(html: string): Box[] {
  return [...html.matchAll(/<rect x="(-?[\d.]+)" y="(-?[\d.]+)" width="(\d+)" height="(\d+)"/g)].map((m) => ({ x: +m[1]!, y: +m[2]!, w: +m[3]!, h: +m[4]! }));
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
function svgSize(html: string): { width: number; height: number } {
  const m = /<svg id="graph" viewBox="0 0 (\d+) (\d+)" width="(\d+)" height="(\d+)"/.exec(html)!;
  return { width: +m[3]!, height: +m[4]! };
}

describe("inspect page layout", () => {
  for (const [what, specs] of [
    ["a 50-kernel chain", chain(50)],
    ["a 51-kernel ShuffleNet-like branching plan", shuffleNetLike(17)],
  ] as const) {
    it(`${what}: a box per kernel, none overlapping, all inside the drawing, edges downwards`, () => {
      const html = inspectHtml(inspectData(specs));
      const boxes = boxesOf(html);
      expect(boxes.length).toBe(specs.length + 2); // kernels, inputs, outputs
      const { width, height } = svgSize(html);
      for (const [i, a] of boxes.entries()) {
        expect(a.x).toBeGreaterThanOrEqual(0);
        expect(a.y).toBeGreaterThanOrEqual(0);
        expect(a.x + a.w).toBeLessThanOrEqual(width);
        expect(a.y + a.h).toBeLessThanOrEqual(height);
        for (const b of boxes.slice(i + 1)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(false);
      }
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
      // top to bottom: every tensor edge leaves its producer's box downwards into its consumer's
      const nodes = ["in", ...specs.map((s) => s.name), "out"];
      const producer = new Map<string, string>([["x", "in"], ...specs.map((s) => [s.output, s.name] as [string, string])]);
      const edges = [...specs.flatMap((s) => s.inputs.map((t) => ({ from: producer.get(t)!, to: s.name, tensor: t, label: "[1×24×28×28]" }))), { from: specs.at(-1)!.name, to: "out", tensor: specs.at(-1)!.output, label: "" }];
      const layout = layoutGraph(nodes, edges);
      expect(layout.edges.length).toBe(edges.length);
      for (const e of layout.edges) {
        const from = layout.boxes.get(e.from)!;
        const to = layout.boxes.get(e.to)!;
        expect(to.y).toBeGreaterThan(from.y);
        expect(e.points.length).toBeGreaterThanOrEqual(2);
        expect(e.points[0]!.y).toBeLessThan(e.points.at(-1)!.y);
      }
    });
  }

  it("the drawing grows with depth, not sideways: a 50-kernel chain is one box wide and five times as tall as a 10-kernel one", () => {
    const short = svgSize(inspectHtml(inspectData(chain(10))));
    const long = svgSize(inspectHtml(inspectData(chain(50))));
    expect(long.width).toBe(short.width);
    expect(long.width).toBeLessThan(2 * 190 + 100);
    expect(long.height / short.height).toBeGreaterThan(4);
    // the branching plan: two branches side by side, depth two thirds of its kernel count
    const branching = svgSize(inspectHtml(inspectData(shuffleNetLike(17))));
    expect(branching.width).toBeGreaterThan(long.width);
    expect(branching.height).toBeLessThan(long.height);
  });
});
