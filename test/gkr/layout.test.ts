/**
 * Layout helpers against brute force: sameLayout <=> identical padded tables (every shape pair of a
 * size), paddedPositions vs padTensor, indicatorMle vs the MLE of the ones tensor, and signed
 * integers to field elements (negative v -> r - |v|).
 */
import { describe, expect, it } from "vitest";
import { FR_MODULUS, FrVector } from "../../backends/math/field.js";
import { evaluateMle, padTensor } from "../../backends/math/mle.js";
import { canonicalLayout, indicatorMle, integerTable, paddedPositions, sameLayout, HALF } from "../../backends/math/layout.js";
import { makeRng } from "./helpers.js";

/** Every ordered factorisation of n into factors >= 1 of at most `rank` axes (1s included). */
function shapesOf(n: number, rank: number): number[][] {
  if (rank === 0) return n === 1 ? [[]] : [];
  const out: number[][] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) for (const rest of shapesOf(n / d, rank - 1)) out.push([d, ...rest]);
  return out;
}

function tableOf(shape: number[]): bigint[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return padTensor(FrVector.fromIntegers(Float64Array.from({ length: n }, (_, i) => i + 1)), shape).toBigints();
}

describe("layouts", () => {
  it("sameLayout agrees with comparing the padded tables (sizes 1..24, rank <= 3)", () => {
    let pairs = 0;
    for (let n = 1; n <= 24; n++) {
      const shapes = shapesOf(n, 3);
      const tables = shapes.map(tableOf);
      for (let i = 0; i < shapes.length; i++)
        for (let j = 0; j < shapes.length; j++) {
          const same = tables[i]!.length === tables[j]!.length && tables[i]!.every((v, k) => v === tables[j]![k]);
          expect(sameLayout(shapes[i]!, shapes[j]!), `[${shapes[i]}] vs [${shapes[j]}]`).toBe(same);
          pairs++;
        }
    }
    expect(pairs).toBeGreaterThan(1000);
    expect(canonicalLayout([1, 3, 4, 1, 2, 5])).toEqual([24, 5]);
    expect(sameLayout([6], [2, 3])).toBe(false);
    expect(sameLayout([2, 3], [2, 3, 1])).toBe(true);
  });

  it("paddedPositions places element i where padTensor puts it", () => {
    for (const shape of [[3], [2, 3], [3, 1, 5], [1, 1], [4, 4], [2, 3, 3]]) {
      const t = tableOf(shape);
      const pos = paddedPositions(shape);
      pos.forEach((p, i) => expect(t[p]).toBe(BigInt(i + 1)));
    }
  });

  it("indicatorMle is the MLE of the ones tensor", () => {
    const rng = makeRng(3);
    for (const shape of [[3], [5, 3], [1, 7], [4, 6, 3], [8]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const ones = integerTable(new Float64Array(n).fill(1), shape);
      const nv = Math.log2(ones.length);
      for (let trial = 0; trial < 3; trial++) {
        const point = Array.from({ length: nv }, () => rng.field());
        expect(indicatorMle(shape, point)).toBe(evaluateMle(ones, point));
      }
      expect(indicatorMle(shape, new Array(nv).fill(HALF))).toBe(evaluateMle(ones, new Array(nv).fill(HALF)));
    }
    expect(() => indicatorMle([3], [])).toThrow(RangeError);
  });

  it("integerTable maps negative integers to r - |v| and pads with zeros", () => {
    const t = integerTable(Float64Array.from([-1, 2, -3]), [3]).toBigints();
    expect(t).toEqual([FR_MODULUS - 1n, 2n, FR_MODULUS - 3n, 0n]);
    expect(() => integerTable(Float64Array.from([0.5]), [1])).toThrow(RangeError);
  });
});
