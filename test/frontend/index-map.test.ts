/**
 * The index-map helpers against direct per-coordinate definitions, on seeded random shapes:
 * out[c] = in[f(c)] with f written here coordinate by coordinate, independent of the helpers'
 * axis-by-axis construction.
 */
import { describe, expect, it } from "vitest";
import { sizeOf, stridesOf } from "../../compiler/ir/tensor.js";
import { concatMap, padMap, separableMap, sliceMap, tileMap, transposeMap } from "../../compiler/ops/util/index-map.js";
import { rng } from "./helpers.js";

/** Calls f with each coordinate of `shape` in row-major order. */
function eachCoord(shape: readonly number[], f: (c: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const st = stridesOf(shape);
  for (let k = 0; k < n; k++) f(shape.map((_, a) => Math.floor(k / st[a]!) % shape[a]!), k);
}
const flatOf = (shape: readonly number[], c: number[]) => c.reduce((s, x, a) => s + x * stridesOf(shape)[a]!, 0);

describe("index maps", () => {
  const r = rng(31);
  const randShape = (rank: number, max = 4) => Array.from({ length: rank }, () => 1 + Math.floor(r() * max));

  it("transposeMap: out[c] = in[c permuted back]", () => {
    for (let t = 0; t < 20; t++) {
      const shape = randShape(1 + Math.floor(r() * 4));
      const perm = shape.map((_, i) => i).sort(() => r() - 0.5);
      const m = transposeMap(shape, perm);
      eachCoord(m.shape, (c, k) => {
        const src = new Array<number>(shape.length);
        perm.forEach((p, a) => (src[p] = c[a]!));
        expect(m.src[k]).toBe(flatOf(shape, src));
      });
    }
  });

  it("padMap: reflect folds as often as needed, edge clamps, wrap cycles, constant gives -1", () => {
    const reflect = (i: number, n: number): number => {
      if (n === 1) return 0;
      while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
      return i;
    };
    for (const mode of ["reflect", "edge", "wrap", "constant"] as const) {
      for (let t = 0; t < 10; t++) {
        const shape = randShape(2, 5);
        const begins = shape.map(() => Math.floor(r() * 9) - 2);
        const out = shape.map((d, a) => d + begins[a]! + Math.floor(r() * 7));
        const m = padMap(shape, begins, out, mode);
        eachCoord(out, (c, k) => {
          const src = c.map((x, a) => x - begins[a]!);
          const outside = src.some((x, a) => x < 0 || x >= shape[a]!);
          if (mode === "constant") return expect(m.src[k]).toBe(outside ? -1 : flatOf(shape, src));
          const mapped = src.map((x, a) => {
            const n = shape[a]!;
            if (mode === "edge") return Math.min(n - 1, Math.max(0, x));
            if (mode === "wrap") return ((x % n) + n) % n;
            return reflect(x, n);
          });
          expect(m.src[k]).toBe(flatOf(shape, mapped));
        });
      }
    }
  });

  it("sliceMap, tileMap and concatMap", () => {
    const shape = [4, 5, 3];
    const m = sliceMap(shape, [3, 1, 0], [-1, 2, 1], [4, 2, 3]);
    eachCoord(m.shape, (c, k) => expect(m.src[k]).toBe(flatOf(shape, [3 - c[0]!, 1 + 2 * c[1]!, c[2]!])));
    const t = tileMap([2, 3], [3, 2]);
    eachCoord(t.shape, (c, k) => expect(t.src[k]).toBe(flatOf([2, 3], [c[0]! % 2, c[1]! % 3])));
    const shapes = [[2, 1, 3], [2, 4, 3], [2, 2, 3]];
    const cm = concatMap(shapes, 1);
    expect(cm.shape).toEqual([2, 7, 3]);
    const bases = [0, 6, 30];
    eachCoord(cm.shape, (c, k) => {
      let j = c[1]!;
      let part = 0;
      while (j >= shapes[part]![1]!) j -= shapes[part++]![1]!;
      expect(cm.src[k]).toBe(bases[part]! + flatOf(shapes[part]!, [c[0]!, j, c[2]!]));
    });
  });

  it("separableMap propagates the fill marker from any axis", () => {
    const m = separableMap([2, 3], [[0, -1], [0, 1, -1]]);
    expect(Array.from(m.src)).toEqual([0, 1, -1, -1, -1, -1]);
  });
});
