/**
 * Seeded random shapes for the layers whose proofs depend on layouts: matmul with random batch
 * shapes (batched or shared right operand, operands and output in random reshapes), reduceSum over
 * random axis groups (or views that do not follow the axes), element-wise ops on random reshapes
 * and random index maps. Each case: prove, verify, input claims hold; a changed output is rejected.
 */
import { describe, expect, it } from "vitest";
import type { Prim } from "../../compiler/quant/prim.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { claimHolds, makeKernel, makeRng, prove, randomInts, runPrims, trueClaim, verify, type Decl } from "./helpers.js";

type Rng = ReturnType<typeof makeRng>;

/** A random shape with `size` elements: the factors of size spread over up to 4 axes, with 1s. */
function randomShape(rng: Rng, size: number): number[] {
  const factors: number[] = [];
  let n = size;
  for (let p = 2; n > 1; p++) while (n % p === 0) (factors.push(p), (n /= p));
  const axes = 1 + rng.below(4);
  const shape = new Array<number>(axes).fill(1);
  for (const f of factors) shape[rng.below(axes)]! *= f;
  if (rng.below(3) === 0) shape.splice(rng.below(shape.length + 1), 0, 1);
  return shape;
}

function matmulCase(rng: Rng): { prims: Prim[]; decl: Decl } {
  const batchShape = Array.from({ length: rng.below(3) }, () => 1 + rng.below(3));
  const batch = batchShape.reduce((a, b) => a * b, 1);
  const [m, k, n] = [1 + rng.below(5), 1 + rng.below(6), 1 + rng.below(5)];
  const bBatch = rng.below(2) === 0 ? 1 : batch;
  const natural = rng.below(2) === 0;
  const shapeFor = (lead: number[], tail: number[]) => (natural ? [...lead, ...tail].filter((d, i, a) => d !== 1 || i >= a.length - 2) : randomShape(rng, [...lead, ...tail].reduce((x, y) => x * y, 1)));
  return {
    prims: [{ op: "matmul", a: "a", b: "b", out: "y", batch, bBatch, m, k, n }],
    decl: { a: { shape: shapeFor(batchShape, [m, k]) }, b: { shape: shapeFor(bBatch > 1 ? batchShape : [], [k, n]) }, y: { shape: shapeFor(batchShape, [m, n]) } },
  };
}

function reduceCase(rng: Rng): { prims: Prim[]; decl: Decl } {
  const dims = Array.from({ length: 1 + rng.below(4) }, () => 1 + rng.below(4));
  const i = rng.below(dims.length + 1);
  const j = i + rng.below(dims.length - i + 1);
  const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
  const [outer, reduce, inner] = [prod(dims.slice(0, i)), prod(dims.slice(i, j)), prod(dims.slice(j))];
  const inShape = rng.below(3) === 0 ? randomShape(rng, outer * reduce * inner) : dims;
  const outShape = rng.below(3) === 0 ? randomShape(rng, outer * inner) : [...dims.slice(0, i), ...dims.slice(j)];
  return { prims: [{ op: "reduceSum", in: "a", out: "y", outer, reduce, inner }], decl: { a: { shape: inShape }, y: { shape: outShape } } };
}

function elementwiseCase(rng: Rng): { prims: Prim[]; decl: Decl } {
  const size = 1 + rng.below(24);
  const op = (["add", "sub", "mul"] as const)[rng.below(3)]!;
  return {
    prims: [op === "mul" ? { op, a: "a", b: "b", out: "y" } : { op, a: "a", b: "b", out: "y" }],
    decl: { a: { shape: randomShape(rng, size) }, b: { shape: randomShape(rng, size) }, y: { shape: randomShape(rng, size) } },
  };
}

function gatherCase(rng: Rng): { prims: Prim[]; decl: Decl } {
  const sizes = Array.from({ length: 1 + rng.below(3) }, () => 1 + rng.below(12));
  const outSize = 1 + rng.below(20);
  const src = Int32Array.from({ length: outSize }, () => rng.below(sizes.length));
  const idx = Int32Array.from(src, (s) => (rng.below(6) === 0 ? -1 : rng.below(sizes[s]!)));
  const decl: Decl = { y: { shape: randomShape(rng, outSize) } };
  sizes.forEach((n, s) => (decl[`s${s}`] = { shape: randomShape(rng, n) }));
  return { prims: [{ op: "gather", sources: sizes.map((_, s) => `s${s}`), out: "y", idx, ...(sizes.length > 1 ? { src } : {}) }], decl };
}

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let a = shape.length - 2; a >= 0; a--) out[a] = out[a + 1]! * shape[a + 1]!;
  return out;
}

/** Multi-index of flat index i. */
function unflat(i: number, shape: readonly number[]): number[] {
  return strides(shape).map((st, a) => Math.floor(i / st) % shape[a]!);
}

/**
 * Data movement of the kinds the free-map detection targets (transpose, slice, broadcast, pad at
 * either end), with random (often power-of-two) dimensions, and sometimes one index perturbed so
 * that a map that looks free is not: the input claims must hold whatever the detection decides.
 */
function movementCase(rng: Rng): { prims: Prim[]; decl: Decl } {
  const dim = () => (rng.below(2) === 0 ? 2 ** rng.below(4) : 1 + rng.below(7));
  const src = Array.from({ length: 1 + rng.below(3) }, dim);
  const srcStrides = strides(src);
  let out: number[];
  let read: (o: number[]) => number; // flat source index, or -1
  const kind = rng.below(4);
  const axis = rng.below(src.length);
  if (kind === 0) {
    const perm = src.map((_, i) => i).sort(() => rng.below(3) - 1);
    out = perm.map((a) => src[a]!);
    read = (o) => perm.reduce((acc, a, i) => acc + o[i]! * srcStrides[a]!, 0);
  } else if (kind === 1) {
    const start = rng.below(src[axis]!);
    const len = 1 + rng.below(src[axis]! - start);
    out = src.map((d, a) => (a === axis ? len : d));
    read = (o) => o.reduce((acc, v, a) => acc + (a === axis ? v + start : v) * srcStrides[a]!, 0);
  } else if (kind === 2) {
    const at = rng.below(src.length + 1);
    out = [...src.slice(0, at), dim(), ...src.slice(at)];
    read = (o) => o.filter((_, a) => a !== at).reduce((acc, v, a) => acc + v * srcStrides[a]!, 0);
  } else {
    const before = rng.below(2) === 0 ? 0 : rng.below(3);
    const after = rng.below(4);
    out = src.map((d, a) => (a === axis ? d + before + after : d));
    read = (o) => {
      const v = o[axis]! - before;
      if (v < 0 || v >= src[axis]!) return -1;
      return o.reduce((acc, x, a) => acc + (a === axis ? v : x) * srcStrides[a]!, 0);
    };
  }
  const n = out.reduce((a, b) => a * b, 1);
  const idx = Int32Array.from({ length: n }, (_, o) => read(unflat(o, out)));
  if (rng.below(3) === 0) {
    const o = rng.below(n);
    idx[o] = rng.below(4) === 0 ? -1 : rng.below(src.reduce((a, b) => a * b, 1));
  }
  return { prims: [{ op: "gather", sources: ["a"], out: "y", idx }], decl: { a: { shape: src }, y: { shape: out } } };
}

describe("layers on random shapes", () => {
  const makers = { matmul: matmulCase, reduceSum: reduceCase, elementwise: elementwiseCase, gather: gatherCase, movement: movementCase };
  for (const [name, make] of Object.entries(makers)) {
    const trials = name === "movement" ? 120 : 25;
    it(`${name}: ${trials} seeded random cases`, () => {
      const rng = makeRng(name.length * 1000 + 7);
      let withRelayout = 0;
      let freeMaps = 0;
      for (let trial = 0; trial < trials; trial++) {
        const { prims, decl } = make(rng);
        const label = `${name} #${trial}: ${JSON.stringify(prims[0], (k, v) => (v instanceof Int32Array ? `[${v.length}]` : v))} ${JSON.stringify(decl)}`;
        const produced = new Set(prims.map((p) => p.out));
        const env = new Map<string, Float64Array>();
        for (const [t, d] of Object.entries(decl)) if (!produced.has(t)) env.set(t, randomInts(rng, d.shape.reduce((a, b) => a * b, 1), 500));
        const values = runPrims(prims, env);
        const kernel = makeKernel(label, prims, decl);
        const claim = trueClaim("y", decl.y!.shape, values.get("y")!, trial);
        const { proof } = prove(kernel, values, [claim]);
        const text = JSON.stringify(proof, (_, x) => (typeof x === "bigint" ? 0 : x));
        if (text.includes('"indexmap"')) withRelayout++;
        if (text.includes('"free"')) freeMaps++;
        const v = verify(kernel, proof, [claim]);
        expect(v, label).toMatchObject({ ok: true });
        if (!v.ok) continue;
        for (const c of v.inputClaims) expect(claimHolds(c, kernel, values), `${label}: ${c.tensor}`).toBe(true);
        const bad = verify(kernel, proof, [{ ...claim, value: (claim.value + 1n) % FR_MODULUS }]);
        if (bad.ok) expect(bad.inputClaims.some((c) => !claimHolds(c, kernel, values)), label).toBe(true);
      }
      // the random shapes exercise the relayout / index-map sumchecks, not only the direct paths
      expect(withRelayout).toBeGreaterThanOrEqual(3);
      // the movement cases exercise both sides of the free-map detection
      if (name === "movement") expect(freeMaps).toBeGreaterThan(15);
    });
  }
});
