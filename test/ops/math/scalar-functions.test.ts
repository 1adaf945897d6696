/**
 * The scalar functions zkc writes itself because JS lacks them or differs from C/numpy: erf,
 * round-half-even, C pow, stable sigmoid/softplus/logaddexp/softmax. Expected values are
 * published constants (erf from Abramowitz & Stegun table 7.1 / DLMF, to 16 digits) and numpy's
 * documented results, written out.
 */
import { describe, expect, it } from "vitest";
import { erf } from "../../../compiler/ops/erf.js";
import { geluExact, geluTanh } from "../../../compiler/ops/gelu.js";
import { cPow } from "../../../compiler/ops/pow.js";
import { logAddExp } from "../../../compiler/ops/reduce-log-sum-exp.js";
import { roundHalfEven } from "../../../compiler/ops/round.js";
import { sigmoid } from "../../../compiler/ops/sigmoid.js";
import { softmaxLane } from "../../../compiler/ops/softmax.js";
import { softplus } from "../../../compiler/ops/softplus.js";

describe("erf", () => {
  const table: [number, number][] = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [5, 0.9999999999984626],
  ];
  it("matches published values to 1e-14 and is odd", () => {
    for (const [x, v] of table) {
      expect(Math.abs(erf(x) - v)).toBeLessThan(1e-14);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(0)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });
  it("a cruder approximation would be caught (A&S 7.1.26, |error| up to 1.5e-7)", () => {
    const as7126 = (x: number) => {
      const t = 1 / (1 + 0.3275911 * x);
      const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
      return 1 - poly * Math.exp(-x * x);
    };
    expect(table.some(([x, v]) => Math.abs(as7126(x) - v) > 1e-14)).toBe(true);
  });
  it("GELU: exact form at 1 is 1 * Phi(1) = 0.8413447460685429; tanh form is close but not equal", () => {
    expect(Math.abs(geluExact(1) - 0.8413447460685429)).toBeLessThan(1e-14);
    expect(Math.abs(geluTanh(1) - geluExact(1))).toBeGreaterThan(1e-5);
    expect(Math.abs(geluTanh(1) - geluExact(1))).toBeLessThan(1e-3);
  });
});

describe("round half to even (numpy.round)", () => {
  it("rounds halves to the even neighbour, keeps signed zeros and non-finite values", () => {
    const xs = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.4, 2.6, -2.6, 1e300, Infinity];
    const want = [0, 2, 2, 4, -0, -2, -2, 0, 2, 3, -3, 1e300, Infinity];
    expect(xs.map(roundHalfEven)).toEqual(want);
    expect(Object.is(roundHalfEven(-0.4), -0)).toBe(true);
    expect(roundHalfEven(NaN)).toBeNaN();
  });
  it("differs from Math.round where numpy does", () => {
    expect(Math.round(2.5)).not.toBe(roundHalfEven(2.5));
    expect(Math.round(-1.5)).not.toBe(roundHalfEven(-1.5));
  });
});

describe("C pow", () => {
  it("1**NaN and (-1)**±inf are 1 (C99 / numpy), unlike Math.pow", () => {
    expect(cPow(1, NaN)).toBe(1);
    expect(cPow(-1, Infinity)).toBe(1);
    expect(cPow(-1, -Infinity)).toBe(1);
    expect(Math.pow(1, NaN)).toBeNaN();
  });
  it("ordinary cases follow Math.pow (negative base, fractional exponent is NaN)", () => {
    expect(cPow(2, 10)).toBe(1024);
    expect(cPow(-8, 1 / 3)).toBeNaN();
    expect(cPow(0, -1)).toBe(Infinity);
    expect(cPow(NaN, 0)).toBe(1);
  });
});

describe("numerically stable helpers", () => {
  it("sigmoid and softplus do not overflow at ±1000", () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(Math.abs(softplus(0) - Math.LN2)).toBeLessThan(1e-16);
  });
  it("logAddExp(a, b) = log(e^a + e^b) for large arguments", () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logAddExp(0, 0)).toBeCloseTo(Math.LN2, 15);
  });
  it("softmax of [1000, 1000, 999] is finite and sums to 1", () => {
    const lane = Float64Array.from([1000, 1000, 999]);
    softmaxLane(lane);
    const e = Math.exp(-1);
    expect([...lane].map((v) => v.toFixed(12))).toEqual([1 / (2 + e), 1 / (2 + e), e / (2 + e)].map((v) => v.toFixed(12)));
  });
});
