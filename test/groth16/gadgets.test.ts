/**
 * Gadget tests: each gadget's witness satisfies its constraints and matches zkc's integer
 * semantics computed independently here (plain Number arithmetic); a changed witness is rejected;
 * setup-time (zero) and prove-time builds give the same R1CS bytes; the under-constraint checker
 * passes on every circuit.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import {
  add,
  argmax,
  checkWitness,
  fieldMod,
  fieldMul,
  fieldSub,
  hadamard,
  isNonNegative,
  lessThan,
  linear,
  lookup,
  matMulConstLeft,
  matMulConstRight,
  max2,
  maxOf,
  mleEvaluate,
  mleEvaluateValues,
  R1csBuilder,
  rangeCheck,
  relu,
  rescale,
  rescaleRelu,
  rescaleValue,
  scale,
  sub,
  toBits,
} from "../../backends/groth16/index.js";
import { buildChecked, expectOutputsBound, outputsOf, randInt, rng, tamper } from "./helpers.js";

const zeros = (n: number) => new Array<bigint>(n).fill(0n);

describe("linear algebra with constant weights", () => {
  it("matrix-vector, matrix-matrix, add, sub, scale cost no constraints and compute exactly", () => {
    const next = rng(1);
    const W = [...Array(3)].map(() => [...Array(4)].map(() => randInt(next, -9, 9)));
    const bias = [5n, -7n, 0n];
    const x = [...Array(4)].map(() => randInt(next, -50, 50));
    const def = (b: R1csBuilder, v: bigint[]) => {
      const xs = b.privateInputs(v, "x");
      const y = linear(b, W, xs, bias);
      const z = add(b, y, scale(b, y, 3n));
      const d = sub(b, z, y);
      return b.outputs([...y, ...d]);
    };
    const built = buildChecked(def, x, zeros(4));
    const expectY = W.map((row, i) => row.reduce((s, w, j) => s + Number(w) * Number(x[j]!), 0) + Number(bias[i]!));
    expect(outputsOf(built).map(Number)).toEqual([...expectY, ...expectY.map((v) => 3 * v)]);
    // linear layers are folded into linear combinations: only the output bindings are constraints
    expect(built.r1cs.constraints.length).toBe(6);
    expectOutputsBound(built);
  });

  it("matMulConstRight / matMulConstLeft agree with a plain triple loop", () => {
    const next = rng(2);
    const X = [...Array(2)].map(() => [...Array(3)].map(() => randInt(next, -20, 20)));
    const W = [...Array(3)].map(() => [...Array(2)].map(() => randInt(next, -5, 5)));
    const WL = [[1n, -2n], [3n, 4n], [0n, 5n]]; // 3×2 times X (2×3)
    const built = buildChecked(
      (b, v: bigint[][]) => {
        const xs = v.map((row, i) => b.privateInputs(row, `x${i}`));
        const right = matMulConstRight(b, xs, W).flat();
        const left = matMulConstLeft(b, WL, xs).flat();
        return b.outputs([...right, ...left]);
      },
      X,
      X.map((r) => r.map(() => 0n)),
    );
    const ref: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) ref.push(X[i]!.reduce((s, x, t) => s + Number(x) * Number(W[t]![j]!), 0));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) ref.push(WL[i]!.reduce((s, w, t) => s + Number(w) * Number(X[t]![j]!), 0));
    expect(outputsOf(built).map(Number)).toEqual(ref);
  });

  it("rejects mismatched shapes", () => {
    const b = new R1csBuilder();
    const xs = b.privateInputs([1n, 2n]);
    expect(() => linear(b, [[1n, 2n, 3n]], xs)).toThrow(RangeError);
    expect(() => add(b, xs, [xs[0]!])).toThrow(RangeError);
  });

  it("hadamard costs one constraint per element and a wrong product is rejected", () => {
    const a = [3n, -4n, 5n];
    const c = [7n, 8n, -9n];
    const built = buildChecked(
      (b, v: bigint[][]) => b.outputs(hadamard(b, b.privateInputs(v[0]!, "a"), b.privateInputs(v[1]!, "c"))),
      [a, c],
      [zeros(3), zeros(3)],
    );
    expect(outputsOf(built)).toEqual([21n, -32n, -45n]);
    expect(built.r1cs.constraints.length).toBe(3);
    expectOutputsBound(built);
  });
});

describe("bit decomposition and range checks", () => {
  it("toBits proves 0 <= x < 2^n; out-of-range values throw in strict mode", () => {
    const built = buildChecked((b, v: bigint) => void toBits(b, b.privateInput(v), 8), 200n, 0n);
    expect(built.r1cs.constraints.length).toBe(9);
    const b = new R1csBuilder();
    expect(() => toBits(b, b.privateInput(256n), 8)).toThrow(ZkcError);
    expect(() => toBits(b, b.privateInput(-1n), 8)).toThrow(/does not fit in 8 bits/);
    expect(() => toBits(b, b.one, 253)).toThrow(RangeError);
  });

  it("a flipped or non-Boolean bit is rejected", () => {
    const built = buildChecked((b, v: bigint) => void toBits(b, b.privateInput(v), 8), 77n, 0n);
    const firstBit = 2; // wire 0 = one, wire 1 = the private input
    expect(checkWitness(built.r1cs, tamper(built.witness, firstBit)).ok).toBe(false);
    // bit 0 := 3 and bit 1 := -1 keeps the sum (3 - 2 = 1) but breaks booleanity
    const w = [...built.witness];
    w[firstBit] = 3n;
    w[firstBit + 1] = fieldMod(-1n);
    expect(checkWitness(built.r1cs, w).ok).toBe(false);
  });

  it("lenient mode records the failure and the resulting witness is rejected", () => {
    const b = new R1csBuilder({ strict: false });
    rangeCheck(b, b.privateInput(130n), 8, true);
    expect(b.hintFailures.length).toBe(1);
    const built = b.build();
    expect(checkWitness(built.r1cs, built.witness).ok).toBe(false);
  });

  it("signed range check accepts the bounds and rejects one past them", () => {
    for (const v of [-128n, 127n, 0n]) buildChecked((b, x: bigint) => rangeCheck(b, b.privateInput(x), 8, true), v, 0n);
    for (const v of [-129n, 128n]) {
      const b = new R1csBuilder();
      expect(() => rangeCheck(b, b.privateInput(v), 8, true)).toThrow(ZkcError);
    }
  });
});

describe("rescale", () => {
  const k = 4;
  const bits = 8;
  const floorRef = (x: number) => Math.floor((x + 2 ** (k - 1)) / 2 ** k);

  it("rounds half up (floor for negatives) and matches the reference on every residue", () => {
    const xs: bigint[] = [];
    for (let x = -40; x <= 40; x++) xs.push(BigInt(x));
    xs.push(-2056n, 2039n); // extremes: q = -128 and q = 127, the ends of the 8-bit bound
    const built = buildChecked((b, v: bigint[]) => b.outputs(rescale(b, b.privateInputs(v, "x"), k, bits)), xs, zeros(xs.length));
    expect(outputsOf(built).map(Number)).toEqual(xs.map((x) => floorRef(Number(x))));
    expect(xs.map((x) => rescaleValue(x, k))).toEqual(xs.map((x) => BigInt(floorRef(Number(x)))));
    // k + bits booleanity + 1 linear per element, plus one binding per output
    expect(built.r1cs.constraints.length).toBe(xs.length * (k + bits + 1) + xs.length);
    expectOutputsBound(built);
  });

  it("q outside [-2^(bits-1), 2^(bits-1)) is refused", () => {
    for (const x of [2040n, -2057n]) {
      const b = new R1csBuilder();
      expect(() => rescale(b, [b.privateInput(x)], k, bits)).toThrow(ZkcError);
    }
  });

  it("the other rounding (q + 1 with a negative remainder) is not a valid witness", () => {
    const built = buildChecked((b, v: bigint) => b.outputs(rescale(b, [b.privateInput(v)], k, bits)), 37n, 0n);
    // the output wire is bound to the decomposition; changing it alone fails
    expect(checkWitness(built.r1cs, tamper(built.witness, 1)).ok).toBe(false);
  });

  it("rescaleRelu equals relu(rescale(x)) and costs one more constraint than rescale", () => {
    const next = rng(3);
    const xs = [...Array(20)].map(() => randInt(next, -2000, 2000));
    const built = buildChecked((b, v: bigint[]) => b.outputs(rescaleRelu(b, b.privateInputs(v), k, bits)), xs, zeros(20));
    expect(outputsOf(built).map(Number)).toEqual(xs.map((x) => Math.max(0, floorRef(Number(x)))));
    // output re-tagging makes the relu product wire the output: no extra binding
    expect(built.r1cs.constraints.length).toBe(20 * (k + bits + 2));
    expectOutputsBound(built);
  });
});

describe("sign, compare, relu, max, argmax", () => {
  const bits = 8;
  const next = rng(4);
  const xs = [...Array(24)].map(() => randInt(next, -128, 127));
  xs.push(-128n, 127n, 0n, -1n);

  it("isNonNegative and relu", () => {
    const built = buildChecked(
      (b, v: bigint[]) => {
        const s = b.privateInputs(v);
        return b.outputs([...s.map((x) => isNonNegative(b, x, bits)), ...relu(b, s, bits)]);
      },
      xs,
      zeros(xs.length),
    );
    expect(outputsOf(built).map(Number)).toEqual([...xs.map((x) => (x >= 0n ? 1 : 0)), ...xs.map((x) => Math.max(0, Number(x)))]);
    expectOutputsBound(built);
  });

  it("lessThan and max2 on all ordered pairs of a few values, including equality and extremes", () => {
    const vals = [-128n, -5n, 0n, 3n, 3n, 127n];
    const pairs: bigint[][] = [];
    for (const a of vals) for (const c of vals) pairs.push([a, c]);
    const built = buildChecked(
      (b, v: bigint[][]) => {
        const outs = v.flatMap(([a, c]) => {
          const sa = b.privateInput(a!);
          const sc = b.privateInput(c!);
          return [lessThan(b, sa, sc, bits), max2(b, sa, sc, bits)];
        });
        return b.outputs(outs);
      },
      pairs,
      pairs.map(() => [0n, 0n]),
    );
    expect(outputsOf(built)).toEqual(pairs.flatMap(([a, c]) => [a! < c! ? 1n : 0n, a! > c! ? a! : c!]));
    expectOutputsBound(built);
  });

  it("maxOf and argmax (ties resolve to the first index, as ONNX ArgMax)", () => {
    const cases: bigint[][] = [
      [3n, 9n, -2n, 9n, 1n],
      [-7n, -7n, -7n, -7n, -7n],
      [5n, 4n, 3n, 2n, 1n],
      [1n, 2n, 3n, 4n, 127n],
      [-128n, -128n, -127n, -128n, -127n],
      xs.slice(0, 5),
    ];
    for (const c of cases) {
      const built = buildChecked(
        (b, v: bigint[]) => {
          const s = b.privateInputs(v);
          const { index, max } = argmax(b, s, bits);
          return b.outputs([index, max, maxOf(b, s, bits)]);
        },
        c,
        zeros(c.length),
      );
      const nums = c.map(Number);
      const m = Math.max(...nums);
      expect(outputsOf(built).map(Number)).toEqual([nums.indexOf(m), m, m]);
      expectOutputsBound(built);
    }
  });

  it("argmax costs (n - 1)·(bits + 4) constraints minus the free first index update", () => {
    const b = new R1csBuilder();
    argmax(b, b.privateInputs(zeros(10)), bits);
    expect(b.nConstraints).toBe(9 * (bits + 4) - 1);
  });

  it("an input outside the bit bound is refused", () => {
    const b = new R1csBuilder();
    expect(() => relu(b, [b.privateInput(128n)], bits)).toThrow(ZkcError);
  });
});

describe("lookup", () => {
  // a tiny sigmoid table: inputs -8..7 at scale 2^1, outputs at scale 2^6
  const lo = -8n;
  const sigmoid = [...Array(16)].map((_, i) => BigInt(Math.round(64 / (1 + Math.exp(-(i - 8) / 2)))));

  it("returns table[x - lo] for every input of a 16-entry table", () => {
    const xs = [...Array(16)].map((_, i) => BigInt(i) + lo);
    const built = buildChecked(
      (b, v: bigint[]) => b.outputs(b.privateInputs(v).map((x) => lookup(b, x, sigmoid, lo))),
      xs,
      xs.map(() => lo),
    );
    expect(outputsOf(built)).toEqual(sigmoid);
    expectOutputsBound(built);
  });

  it("a table whose size is not a power of two bounds the input from above too", () => {
    const table = [10n, 20n, 30n, 40n, 50n];
    const built = buildChecked((b, v: bigint[]) => b.outputs(b.privateInputs(v).map((x) => lookup(b, x, table))), [0n, 1n, 2n, 3n, 4n], zeros(5));
    expect(outputsOf(built)).toEqual(table);
    for (const bad of [5n, 7n, -1n]) {
      const b = new R1csBuilder();
      expect(() => lookup(b, b.privateInput(bad), table)).toThrow(ZkcError);
    }
  });

  it("cost: m + 1 + 2^(m-1) - 1 constraints for 2^m entries", () => {
    const b = new R1csBuilder();
    lookup(b, b.privateInput(0n), sigmoid, lo);
    expect(b.nConstraints).toBe(4 + 1 + 8 - 1);
  });
});

describe("MLE evaluation at a public point", () => {
  // independent definition: Σ_i T[i] · Π_j (bit_j(i) ? r_j : 1 - r_j), bit 0 = variable 0
  const byDefinition = (t: bigint[], r: bigint[]) => {
    let acc = 0n;
    for (let i = 0; i < 2 ** r.length; i++) {
      let eq = 1n;
      for (let j = 0; j < r.length; j++) eq = fieldMul(eq, (i >> j) & 1 ? r[j]! : fieldSub(1n, r[j]!));
      acc = fieldMod(acc + fieldMul(fieldMod(t[i] ?? 0n), eq));
    }
    return acc;
  };

  it("matches the definition for a padded tensor and a random point", () => {
    const next = rng(5);
    const t = [...Array(6)].map(() => randInt(next, -100, 100));
    const r = [...Array(3)].map(() => fieldMod(BigInt(Math.floor(next() * 2 ** 52)) * 1234567891011n));
    expect(mleEvaluateValues(t, r)).toBe(byDefinition(t, r));
    const built = buildChecked(
      (b, v: { t: bigint[]; r: bigint[] }) => {
        const point = b.publicInputs(v.r, "r");
        const tensor = b.privateInputs(v.t, "t");
        return [b.output(mleEvaluate(b, tensor, point), "value")];
      },
      { t, r },
      { t: zeros(6), r: zeros(3) },
    );
    expect(built.publicSignals[0]).toBe(byDefinition(t, r));
    expectOutputsBound(built);
  });

  it("at a Boolean point the MLE is the entry whose index has those bits (bit 0 = variable 0)", () => {
    const t = [11n, 12n, 13n, 14n, 15n, 16n, 17n, 18n];
    for (let i = 0; i < 8; i++) {
      const r = [0, 1, 2].map((j) => BigInt((i >> j) & 1));
      expect(mleEvaluateValues(t, r)).toBe(t[i]);
    }
    // a row-major 2×4 tensor: element (row 1, col 2) is index 6 = bits (0, 1, 1)
    expect(mleEvaluateValues(t, [0n, 1n, 1n])).toBe(17n);
  });

  it("a constant tensor folds its first level for free", () => {
    const b = new R1csBuilder();
    const point = b.publicInputs([2n, 3n, 4n]);
    // not affine in the index, so only the first level has constant differences
    mleEvaluate(b, [1n, 5n, 2n, 8n, 3n, 9n, 4n, 7n].map((v) => b.constant(v)), point);
    expect(b.nConstraints).toBe(3);
  });

  it("a wrong claimed value is rejected and a too-short point is refused", () => {
    const b = new R1csBuilder();
    const value = mleEvaluate(b, b.privateInputs([1n, 2n, 3n, 4n]), b.publicInputs([5n, 6n]));
    b.output(value);
    const built = b.build();
    expect(checkWitness(built.r1cs, built.witness).ok).toBe(true);
    expect(checkWitness(built.r1cs, tamper(built.witness, 1)).ok).toBe(false);
    expect(() => mleEvaluate(new R1csBuilder(), [b.one, b.one, b.one], [b.one])).toThrow(RangeError);
  });
});
