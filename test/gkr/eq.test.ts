/** eqTableFast gives exactly the math layer's eqTable (the reference), across chunk boundaries. */
import { describe, expect, it } from "vitest";
import { eqTable } from "../../backends/math/mle.js";
import { eqTableFast } from "../../backends/math/eq.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { makeRng } from "./helpers.js";

describe("eqTableFast", () => {
  it("equals eqTable for 0..14 variables (edge coordinates included)", () => {
    const rng = makeRng(11);
    for (const n of [0, 1, 2, 5, 12, 13, 14]) {
      const point = Array.from({ length: n }, () => rng.fieldWithEdges());
      expect(eqTableFast(point).equals(eqTable(point)), `n = ${n}`).toBe(true);
    }
  });
  it("refuses non-canonical coordinates", () => {
    expect(() => eqTableFast([FR_MODULUS])).toThrow(RangeError);
  });
});
