/**
 * Each built-in layer proven and verified against the shared integer semantics (evalPrim) on seeded
 * random integers (negative values included); the returned input claims are checked against the
 * true values, and each positive case has its tamper case beside it.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Prim } from "../../compiler/quant/prim.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { claimHolds, makeKernel, makeRng, prove, randomInts, runPrims, trueClaim, verify, type Decl } from "./helpers.js";

interface Case {
  name: string;
  prims: Prim[];
  decl: Decl;
  inputs: string[];
}

function caseOf(name: string, prims: Prim[], decl: Decl, seed: number): Case & { values: Map<string, Float64Array> } {
  const rng = makeRng(seed);
  const produced = new Set(prims.map((p) => p.out));
  const inputs = Object.keys(decl).filter((t) => !produced.has(t));
  const env = new Map<string, Float64Array>();
  for (const t of inputs) {
    const size = decl[t]!.shape.reduce((a, b) => a * b, 1);
    env.set(t, decl[t]!.values ?? randomInts(rng, size, 1000));
  }
  return { name, prims, decl, inputs, values: runPrims(prims, env) };
}

const cases = [
  caseOf("matmul 2D shared weights", [{ op: "matmul", a: "x", b: "w", out: "y", batch: 1, bBatch: 1, m: 5, k: 7, n: 3 }], { x: { shape: [5, 7] }, w: { shape: [7, 3] }, y: { shape: [5, 3] } }, 1),
  caseOf("matmul batched both", [{ op: "matmul", a: "x", b: "z", out: "y", batch: 3, bBatch: 3, m: 4, k: 6, n: 2 }], { x: { shape: [3, 4, 6] }, z: { shape: [3, 6, 2] }, y: { shape: [3, 4, 2] } }, 2),
  caseOf("matmul batch dims [2,3] (relayout)", [{ op: "matmul", a: "x", b: "w", out: "y", batch: 6, bBatch: 1, m: 3, k: 5, n: 4 }], { x: { shape: [2, 3, 3, 5] }, w: { shape: [5, 4] }, y: { shape: [2, 3, 3, 4] } }, 3),
  caseOf("matmul output and weights in other shapes (relayout)", [{ op: "matmul", a: "x", b: "w", out: "y", batch: 1, bBatch: 1, m: 6, k: 5, n: 4 }], { x: { shape: [30] }, w: { shape: [4, 5] }, y: { shape: [2, 3, 4] } }, 17),
  caseOf("matmul k = 1, vector out", [{ op: "matmul", a: "x", b: "w", out: "y", batch: 1, bBatch: 1, m: 1, k: 1, n: 6 }], { x: { shape: [1] }, w: { shape: [1, 6] }, y: { shape: [6] } }, 4),
  caseOf("mul", [{ op: "mul", a: "a", b: "b", out: "y" }], { a: { shape: [3, 5] }, b: { shape: [3, 5] }, y: { shape: [3, 5] } }, 5),
  caseOf("mul operand of another layout", [{ op: "mul", a: "a", b: "b", out: "y" }], { a: { shape: [3, 5] }, b: { shape: [15] }, y: { shape: [3, 5] } }, 6),
  caseOf("add", [{ op: "add", a: "a", b: "b", out: "y" }], { a: { shape: [2, 3, 5] }, b: { shape: [2, 3, 5] }, y: { shape: [2, 3, 5] } }, 7),
  caseOf("sub, operands of other layouts", [{ op: "sub", a: "a", b: "b", out: "y" }], { a: { shape: [6, 5] }, b: { shape: [30] }, y: { shape: [2, 3, 5] } }, 8),
  caseOf("scale by a negative factor", [{ op: "scale", in: "a", out: "y", factor: -7 }], { a: { shape: [9] }, y: { shape: [9] } }, 9),
  caseOf("gather: transpose [3,5] -> [5,3] (free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 15 }, (_, o) => (o % 3) * 5 + Math.floor(o / 3)) }], { a: { shape: [3, 5] }, y: { shape: [5, 3] } }, 10),
  caseOf("gather: transpose [2,3,4] -> [4,2,3] (free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 24 }, (_, o) => { const [l, i, j] = [Math.floor(o / 6), Math.floor(o / 3) % 2, o % 3]; return i * 12 + j * 4 + l; }) }], { a: { shape: [2, 3, 4] }, y: { shape: [4, 2, 3] } }, 18),
  caseOf("gather: reversal (not a permutation of variables)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 8 }, (_, o) => 7 - o) }], { a: { shape: [8] }, y: { shape: [8] } }, 19),
  caseOf("gather: broadcast [4] -> [2,4] (free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 8 }, (_, o) => o % 4) }], { a: { shape: [4] }, y: { shape: [2, 4] } }, 28),
  caseOf("gather: broadcast [4] -> [3,4] (padding rows: not free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 12 }, (_, o) => o % 4) }], { a: { shape: [4] }, y: { shape: [3, 4] } }, 29),
  caseOf("gather: broadcast a scalar to [4] (free)", [{ op: "gather", sources: ["a"], out: "y", idx: new Int32Array(4) }], { a: { shape: [] }, y: { shape: [4] } }, 30),
  caseOf("gather: slice [3,8] -> columns 4..7 (free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 12 }, (_, o) => Math.floor(o / 4) * 8 + 4 + (o % 4)) }], { a: { shape: [3, 8] }, y: { shape: [3, 4] } }, 31),
  caseOf("gather: slice [8] -> 2..5 (unaligned: not free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 4 }, (_, o) => 2 + o) }], { a: { shape: [8] }, y: { shape: [4] } }, 32),
  caseOf("gather: zero pad [3] -> [4] at the end (free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from([0, 1, 2, -1]) }], { a: { shape: [3] }, y: { shape: [4] } }, 33),
  caseOf("gather: zero pad [3] -> [4] at the start (not free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from([-1, 0, 1, 2]) }], { a: { shape: [3] }, y: { shape: [4] } }, 34),
  caseOf("gather: pad + repeats", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from([0, -1, 2, 2, 1, -1, 0, 3, 3, 3]) }], { a: { shape: [4] }, y: { shape: [2, 5] } }, 11),
  caseOf("gather: concat of two sources", [{ op: "gather", sources: ["a", "b"], out: "y", src: Int32Array.from([0, 0, 0, 1, 1]), idx: Int32Array.from([0, 1, 2, 0, 1]) }], { a: { shape: [3] }, b: { shape: [2] }, y: { shape: [5] } }, 12),
  caseOf("gather: identity reshape [1,4,4] -> [16] (free)", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from({ length: 16 }, (_, i) => i) }], { a: { shape: [1, 4, 4] }, y: { shape: [16] } }, 13),
  caseOf("reduceSum middle axis", [{ op: "reduceSum", in: "a", out: "y", outer: 3, reduce: 5, inner: 2 }], { a: { shape: [3, 5, 2] }, y: { shape: [3, 2] } }, 14),
  caseOf("reduceSum over two axes [2,3,5,7] -> [2,7]", [{ op: "reduceSum", in: "a", out: "y", outer: 2, reduce: 15, inner: 7 }], { a: { shape: [2, 3, 5, 7] }, y: { shape: [2, 7] } }, 15),
  caseOf("reduceSum not along axes (relayout)", [{ op: "reduceSum", in: "a", out: "y", outer: 2, reduce: 3, inner: 4 }], { a: { shape: [6, 4] }, y: { shape: [8] } }, 16),
  // degenerate shapes
  caseOf("reduceSum to a scalar", [{ op: "reduceSum", in: "a", out: "y", outer: 1, reduce: 5, inner: 1 }], { a: { shape: [5] }, y: { shape: [] } }, 20),
  caseOf("mul of scalars", [{ op: "mul", a: "a", b: "b", out: "y" }], { a: { shape: [] }, b: { shape: [1] }, y: { shape: [] } }, 21),
  caseOf("gather from a scalar", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from([0, 0, -1]) }], { a: { shape: [] }, y: { shape: [3] } }, 22),
  caseOf("gather of padding only", [{ op: "gather", sources: ["a"], out: "y", idx: Int32Array.from([-1, -1]) }], { a: { shape: [3] }, y: { shape: [2] } }, 23),
  caseOf("matmul 1x1x1", [{ op: "matmul", a: "a", b: "b", out: "y", batch: 1, bBatch: 1, m: 1, k: 1, n: 1 }], { a: { shape: [1, 1] }, b: { shape: [1, 1] }, y: { shape: [1, 1] } }, 24),
  caseOf("matmul batched, m = 1", [{ op: "matmul", a: "a", b: "b", out: "y", batch: 5, bBatch: 5, m: 1, k: 3, n: 2 }], { a: { shape: [5, 3] }, b: { shape: [5, 3, 2] }, y: { shape: [5, 2] } }, 25),
  caseOf("scale by 0", [{ op: "scale", in: "a", out: "y", factor: 0 }], { a: { shape: [3] }, y: { shape: [3] } }, 26),
  caseOf("mul of a tensor with itself", [{ op: "mul", a: "a", b: "a", out: "y" }], { a: { shape: [6] }, y: { shape: [6] } }, 27),
];

/** Every path to a bigint inside an object. */
function bigintPaths(x: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof x === "bigint") return [path];
  if (Array.isArray(x)) return x.flatMap((e, i) => bigintPaths(e, [...path, i]));
  if (typeof x === "object" && x !== null) return Object.entries(x).flatMap(([k, v]) => bigintPaths(v, [...path, k]));
  return [];
}
function setAt(obj: unknown, path: (string | number)[], f: (v: bigint) => bigint): void {
  let o = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  o[last] = f(o[last] as bigint);
}
const tamperedKinds = new Set<string>();

describe("built-in layers vs evalPrim", () => {
  afterAll(() => {
    // every message type of every layer was tampered with somewhere
    for (const k of [
      "layers.body.sumcheck.rounds", "layers.body.aEval", "layers.body.bEval", "layers.body.evals",
      "layers.body.outRelayout.partials", "layers.body.outRelayout.sumchecks.rounds", "layers.body.outRelayout.evals",
      "layers.body.aRelayout.sumchecks.rounds", "layers.body.bRelayout.evals", "layers.body.relayouts.sumchecks.rounds",
      "layers.body.inRelayout.evals", "layers.body.map.partials", "layers.body.map.sumchecks.rounds", "layers.body.map.evals",
    ]) {
      expect(tamperedKinds.has(k), k).toBe(true);
    }
  });

  for (const c of cases) {
    const kernel = makeKernel(c.name, c.prims, c.decl);
    const out = c.prims[c.prims.length - 1]!.out;
    const claim = trueClaim(out, c.decl[out]!.shape, c.values.get(out)!, 99);

    it(`${c.name}: proves, verifies, input claims hold`, () => {
      const { proof, inputClaims } = prove(kernel, c.values, [claim]);
      const v = verify(kernel, proof, [claim]);
      expect(v).toMatchObject({ ok: true });
      if (!v.ok) return;
      expect(v.inputClaims).toEqual(inputClaims);
      expect(new Set(inputClaims.map((x) => x.tensor))).toEqual(new Set(/padding only|scale by 0/.test(c.name) ? [] : c.inputs));
      for (const ic of inputClaims) expect(claimHolds(ic, kernel, c.values)).toBe(true);
    });

    it(`${c.name}: every field element of the proof, tampered, is rejected`, () => {
      const { proof } = prove(kernel, c.values, [claim]);
      const paths = bigintPaths(proof);
      for (const path of paths) {
        const bad = structuredClone(proof);
        setAt(bad, path, (x) => (x + 1n) % FR_MODULUS);
        const v = verify(kernel, bad, [claim]);
        expect(v.ok, `tampered ${path.join(".")}`).toBe(false);
        if (!v.ok) expect(v.reason).toMatch(/./);
        tamperedKinds.add(path.filter((p) => typeof p === "string").join("."));
      }
    });

    if (c.prims[0]!.op === "gather") {
      it(`${c.name}: free exactly when the map is free; swapping the proof kind is rejected`, () => {
        const { proof } = prove(kernel, c.values, [claim]);
        const body = proof.layers[0]!.body as { map: unknown };
        expect(body.map === "free").toBe(/\(free\)/.test(c.name));
        const swapped = structuredClone(proof);
        (swapped.layers[0]!.body as { map: unknown }).map = body.map === "free" ? { kind: "indexmap", partials: [claim.value], sumchecks: [{ rounds: [] }], evals: [0n] } : "free";
        expect(verify(kernel, swapped, [claim]).ok).toBe(false);
      });
    }

    it(`${c.name}: a changed output value is rejected`, () => {
      const bad = { ...claim, value: (claim.value + 1n) % FR_MODULUS };
      // the prover cannot even build it honestly (checkClaims); reuse the honest proof
      const { proof } = prove(kernel, c.values, [claim]);
      const v = verify(kernel, proof, [bad]);
      if (v.ok) {
        // a linear layer passes the change on: some returned input claim must then be false
        expect(v.inputClaims.some((ic) => !claimHolds(ic, kernel, c.values))).toBe(true);
      } else {
        expect(v.reason).toMatch(/./);
      }
    });
  }
});
