/**
 * Batch proving: one proof for B inputs through the same kernel (batch index = new high variables),
 * checked against evalPrim per input; proof size grows by a constant per doubling of B (log B);
 * attacks: a changed input in the batch, swapped batch order, the wrong batch size.
 */
import { describe, expect, it } from "vitest";
import type { Prim } from "../../compiler/quant/prim.js";
import { Transcript } from "../../backends/math/transcript.js";
import { batchKernel, proveKernelBatch, verifyKernelBatch } from "../../backends/gkr/batch.js";
import { verifyKernel } from "../../backends/gkr/kernel.js";
import { registerBatchedGather } from "../../backends/gkr/gather.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { countFieldElements, type Claim } from "../../backends/gkr/messages.js";
import { claimHolds, makeKernel, makeRng, randomInts, runPrims, trueClaim, PROTOCOL } from "./helpers.js";

const rng = makeRng(77);
const W = randomInts(rng, 6 * 5, 50);
const bias = randomInts(rng, 4 * 5, 500);
const prims: Prim[] = [
  { op: "matmul", a: "x", b: "w", out: "h", batch: 1, bBatch: 1, m: 4, k: 6, n: 5 },
  { op: "add", a: "h", b: "bias", out: "h2" }, // a param operand: broadcast over the batch
  { op: "matmul", a: "h2", b: "z", out: "g", batch: 1, bBatch: 1, m: 4, k: 5, n: 2 }, // private right operand
  { op: "mul", a: "g", b: "g", out: "sq" },
  { op: "reduceSum", in: "sq", out: "s", outer: 1, reduce: 4, inner: 2 },
  { op: "gather", sources: ["s", "w"], out: "cat", src: Int32Array.from([0, 0, 1, 1]), idx: Int32Array.from([1, 0, 0, 29]) },
];
const decl = {
  x: { shape: [4, 6] }, w: { shape: [6, 5], values: W }, bias: { shape: [4, 5], values: bias }, z: { shape: [5, 2] },
  h: { shape: [4, 5] }, h2: { shape: [4, 5] }, g: { shape: [4, 2] }, sq: { shape: [4, 2] }, s: { shape: [2] }, cat: { shape: [4] },
};
const kernel = makeKernel("batch-demo", prims, decl);

function inputs(B: number, seed: number): Map<string, Float64Array>[] {
  const r = makeRng(seed);
  return Array.from({ length: B }, () => runPrims(prims, new Map([["w", W], ["bias", bias], ["x", randomInts(r, 24, 40)], ["z", randomInts(r, 10, 40)]])));
}
function concatOf(list: Map<string, Float64Array>[], name: string): Float64Array {
  const parts = list.map((m) => m.get(name)!);
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  parts.forEach((p, i) => out.set(p, i * p.length));
  return out;
}
function claimsFor(list: Map<string, Float64Array>[]): Claim[] {
  const B = list.length;
  return [trueClaim("cat", [B, 4], concatOf(list, "cat"), 5), trueClaim("h", [B, 4, 5], concatOf(list, "h"), 6)];
}
function run(list: Map<string, Float64Array>[]) {
  const claims = claimsFor(list);
  const p = proveKernelBatch(kernel, list, claims, new Transcript(PROTOCOL), { checkClaims: true });
  return { claims, ...p };
}

describe("batch proving", () => {
  for (const B of [1, 3, 4]) {
    it(`B = ${B}: one proof verifies; claims on x and z hold for the concatenated inputs`, () => {
      const list = inputs(B, B);
      const { claims, proof } = run(list);
      const v = verifyKernelBatch(kernel, B, proof, claims, new Transcript(PROTOCOL));
      expect(v).toMatchObject({ ok: true });
      if (!v.ok) return;
      const bk = batchKernel(kernel, B);
      const batched = new Map([["x", concatOf(list, "x")], ["z", concatOf(list, "z")]]);
      expect(v.inputClaims.map((c) => c.tensor).sort()).toEqual(["x", "z"]);
      for (const c of v.inputClaims) expect(claimHolds(c, bk, batched)).toBe(true);
    });
  }

  it("proof size grows by a constant per doubling of B (log B)", () => {
    const sizes = [1, 2, 4, 8].map((B) => countFieldElements(run(inputs(B, 10 + B)).proof));
    const steps = sizes.slice(1).map((s, i) => s - sizes[i]!);
    expect(steps[1]).toBe(steps[2]);
    // (B = 1 -> 2 adds more: the batch variables appear and the private-operand matmul's sumcheck gains a degree)
    expect(steps[2]).toBeLessThan(sizes[0]!); // far from linear growth
  });

  it("the verifier's batch-structured map weights agree with the flat maps; every tampered element is rejected", () => {
    const B = 3;
    const list = inputs(B, 31);
    const { claims, proof } = run(list);
    const structured = batchKernel(kernel, B);
    // copies of the primitives carry no recorded batch structure: the verifier uses the flat maps
    const flat = { ...structured, prims: structured.prims.map((p) => ({ ...p })) };
    expect(verifyKernel(structured, proof, claims, new Transcript(PROTOCOL)).ok).toBe(true);
    expect(verifyKernel(flat, proof, claims, new Transcript(PROTOCOL)).ok).toBe(true);
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, path: (string | number)[]): void => {
      if (typeof x === "bigint") paths.push(path);
      else if (Array.isArray(x)) x.forEach((e, i) => walk(e, [...path, i]));
      else if (typeof x === "object" && x !== null) for (const [k, v] of Object.entries(x)) walk(v, [...path, k]);
    };
    walk(proof, []);
    let gatherElements = 0;
    for (const path of paths) {
      const bad = structuredClone(proof);
      let o = bad as unknown as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      o[last] = ((o[last] as bigint) + 1n) % FR_MODULUS;
      if (path.includes("map")) gatherElements++;
      expect(verifyKernel(structured, bad, claims, new Transcript(PROTOCOL)).ok, path.join(".")).toBe(false);
    }
    expect(gatherElements).toBeGreaterThan(5);
    // the structured path is the one used: a wrong recorded structure breaks the honest proof
    const other = batchKernel(kernel, B);
    const g = other.prims.find((p) => p.op === "gather" && p.sources.includes("s"))!;
    if (g.op !== "gather") throw new Error("no gather");
    registerBatchedGather(g, { B, base: { outShape: [4], sourceShapes: [[2], [6, 5]], idx: g.idx.subarray(0, 4), src: g.src!.subarray(0, 4) }, batchedSource: [false, false] });
    expect(verifyKernel(other, proof, claims, new Transcript(PROTOCOL)).ok).toBe(false);
  });

  it("a changed input inside the batch, a swapped order and a wrong batch size are rejected", () => {
    const list = inputs(4, 42);
    const { claims, proof } = run(list);
    const changed = inputs(4, 42);
    const x1 = Float64Array.from(changed[2]!.get("x")!, (e, i) => (i === 0 ? e + 1 : e));
    changed[2] = runPrims(prims, new Map([["w", W], ["bias", bias], ["x", x1], ["z", changed[2]!.get("z")!]]));
    expect(verifyKernelBatch(kernel, 4, proof, claimsFor(changed), new Transcript(PROTOCOL)).ok).toBe(false);
    const swapped = [list[1]!, list[0]!, list[2]!, list[3]!];
    expect(verifyKernelBatch(kernel, 4, proof, claimsFor(swapped), new Transcript(PROTOCOL)).ok).toBe(false);
    expect(verifyKernelBatch(kernel, 3, proof, claims, new Transcript(PROTOCOL)).ok).toBe(false);
    expect(verifyKernelBatch(kernel, 0, proof, claims, new Transcript(PROTOCOL)).ok).toBe(false);
  });
});
