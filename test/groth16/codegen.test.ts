/**
 * The Groth16 code generator, one primitive at a time: the honest witness satisfies the circuit
 * (our checker and snarkjs's wtns.check), outputs equal compiler/quant/semantics.ts (the oracle),
 * setup and prover builds give the same .r1cs, the under-constraint check passes; and wrong
 * witnesses (changed output, changed or out-of-range remainder with a compensating quotient, wrong
 * lookup output, wrong argmax, wrong clamp decision) are rejected.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import type { Prim, QTensor } from "../../compiler/quant/prim.js";
import { evalPrim } from "../../compiler/quant/semantics.js";
import {
  bestSplit,
  checkCodegenCircuit,
  circuitFromPrims,
  finalAssumptions,
  splitCost,
  tableAtBits,
  type TensorInfo,
} from "../../backends/groth16/codegen.js";
import {
  checkWitness,
  fieldMod,
  R1csBuilder,
  terminateSnarkjs,
  toBits,
  toSigned,
  writeR1cs,
  writeWtns,
  type BuiltCircuit,
} from "../../backends/groth16/index.js";
import { rng } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function input(name: string, shape: number[], maxAbs: number): TensorInfo {
  return { name, shape, maxAbs, kind: "input" };
}
function param(name: string, shape: number[], values: number[]): TensorInfo {
  return { name, shape, maxAbs: Math.max(0, ...values.map(Math.abs)), kind: "param", values: Float64Array.from(values) };
}
function inter(name: string, shape: number[]): TensorInfo {
  return { name, shape, maxAbs: 0, kind: "intermediate" };
}

interface Case {
  prims: Prim[];
  tensors: TensorInfo[];
  /** input values (integers) by name */
  inputs: Record<string, number[]>;
  /** tensors declared as public outputs (default: the last primitive's output) */
  outputs?: string[];
}

interface Built {
  built: BuiltCircuit;
  expected: Map<string, Float64Array>;
  assumed: number[];
}

function emit(c: Case, b: R1csBuilder, values: Record<string, number[]> | undefined) {
  const tensors = new Map(c.tensors.map((t) => [t.name, t]));
  const ins = new Map(
    Object.keys(c.inputs).map((name) => {
      const t = tensors.get(name)!;
      const v = values?.[name] ?? c.inputs[name]!.map(() => 0);
      return [name, { signals: b.publicInputs(v.map(BigInt), name), lo: -t.maxAbs, hi: t.maxAbs }] as const;
    }),
  );
  const run = circuitFromPrims(b, c.prims, tensors, ins, "test");
  const outs = c.outputs ?? [c.prims[c.prims.length - 1]!.out];
  for (const o of outs) b.outputs(run.tensors.get(o)!.signals, o);
  return run;
}

/** Builds with real and dummy inputs, checks everything an honest circuit must satisfy. */
function buildCase(c: Case): Built {
  const b = new R1csBuilder();
  const run = emit(c, b, c.inputs);
  const built = b.build();
  const b0 = new R1csBuilder({ strict: false });
  emit(c, b0, undefined);
  expect(Buffer.from(writeR1cs(b0.build().r1cs)).equals(Buffer.from(writeR1cs(built.r1cs)))).toBe(true);
  expect(checkWitness(built.r1cs, built.witness)).toEqual({ ok: true });
  const rep = checkCodegenCircuit(built.r1cs, finalAssumptions(run.assumptions, built));
  const assumed = rep.assumed;
  expect(rep.messages).toEqual([]);
  expect(rep.ok).toBe(true);
  // the oracle: semantics.ts on the same integers
  const env = new Map<string, Float64Array>();
  for (const t of c.tensors) if (t.values) env.set(t.name, t.values);
  for (const [k, v] of Object.entries(c.inputs)) env.set(k, Float64Array.from(v));
  for (const p of c.prims) env.set(p.out, evalPrim(p, env));
  const outs = c.outputs ?? [c.prims[c.prims.length - 1]!.out];
  let at = 0;
  for (const o of outs) {
    const want = env.get(o)!;
    const got = built.publicSignals.slice(at, at + want.length).map((v) => Number(toSigned(v)));
    expect(got).toEqual(Array.from(want));
    at += want.length;
  }
  return { built, expected: env, assumed };
}

function wiresNamed(built: BuiltCircuit, re: RegExp): number[] {
  const out: number[] = [];
  built.r1cs.wireNames.forEach((n, w) => {
    if (re.test(n)) out.push(w);
  });
  return out;
}

function withValues(witness: readonly bigint[], changes: [number, bigint][]): bigint[] {
  const w = [...witness];
  for (const [i, v] of changes) w[i] = fieldMod(v);
  return w;
}

/** Every public output bumped by one (and by -1) is rejected. */
function expectOutputsBound(built: BuiltCircuit): void {
  for (let w = 1; w <= built.r1cs.nPubOut; w++) {
    for (const d of [1n, -1n]) expect(checkWitness(built.r1cs, withValues(built.witness, [[w, built.witness[w]! + d]])).ok).toBe(false);
  }
}

function randomInts(seed: number, n: number, lo: number, hi: number): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(next() * (hi - lo + 1)));
}

describe("linear primitives cost no constraints of their own", () => {
  it("matmul with constant weights, add, sub, scale, gather, reduceSum", () => {
    const w = randomInts(1, 12, -50, 50);
    const c: Case = {
      tensors: [
        input("x", [2, 3], 100),
        input("y", [2, 4], 100),
        param("w", [3, 4], w),
        inter("xw", [2, 4]),
        inter("s", [2, 4]),
        inter("yr", [2, 4]),
        inter("d", [2, 4]),
        inter("k", [2, 4]),
        inter("g", [4, 4]),
        inter("r", [4]),
      ],
      inputs: { x: randomInts(2, 6, -100, 100), y: randomInts(3, 8, -100, 100) },
      prims: [
        { op: "matmul", a: "x", b: "w", out: "xw", batch: 1, bBatch: 1, m: 2, k: 3, n: 4 },
        { op: "add", a: "xw", b: "y", out: "s" },
        { op: "gather", sources: ["y"], out: "yr", idx: Int32Array.from([7, 6, 5, 4, 3, 2, 1, 0]) },
        { op: "sub", a: "s", b: "yr", out: "d" },
        { op: "scale", in: "d", out: "k", factor: -3 },
        // rows: k[0], y[0], k[1], padding (two sources)
        {
          op: "gather",
          sources: ["k", "y"],
          out: "g",
          idx: Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1]),
          src: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
        },
        { op: "reduceSum", in: "g", out: "r", outer: 4, reduce: 4, inner: 1 },
      ],
      outputs: ["g", "r"],
    };
    const { built } = buildCase(c);
    // nothing but one (out − x)·1 = 0 per public output (outputs are wires, the results combinations)
    expect(built.r1cs.constraints.length).toBe(built.r1cs.nPubOut);
    expectOutputsBound(built);
  });
});

describe("products", () => {
  it("mul and a batched matmul of two signals: one constraint per multiply", () => {
    const c: Case = {
      tensors: [input("a", [2, 2, 3], 50), input("b", [2, 3, 2], 50), inter("ab", [2, 2, 2]), inter("h", [2, 2, 3])],
      inputs: { a: randomInts(4, 12, -50, 50), b: randomInts(5, 12, -50, 50) },
      prims: [
        { op: "matmul", a: "a", b: "b", out: "ab", batch: 2, bBatch: 2, m: 2, k: 3, n: 2 },
        { op: "mul", a: "a", b: "a", out: "h" },
      ],
      outputs: ["ab", "h"],
    };
    const { built } = buildCase(c);
    // 2·2·2·3 products + 12 squares + 8 output copies of the matmul sums (the squares are wires already)
    expect(built.r1cs.constraints.length).toBe(24 + 12 + 8);
    expectOutputsBound(built);
  });
});

describe("rescale", () => {
  const c: Case = {
    tensors: [input("x", [16], 5000), inter("q", [16])],
    inputs: { x: [...randomInts(6, 12, -5000, 5000), -8, -9, 8, 5000] },
    prims: [{ op: "rescale", in: "x", out: "q", shift: 4 }],
  };

  it("matches semantics (half up, floor for negatives) at k + w + 1 constraints per element", async () => {
    const { built } = buildCase(c);
    // q in [-312, 313]: symmetric width 10 with the sign offset; 4 remainder bits; q is a
    // combination of bits, so each public output costs one copy constraint
    expect(built.r1cs.constraints.length).toBe(16 * (4 + 10 + 1) + 16);
    expectOutputsBound(built);
    expect(await snarkjs.wtns.check(writeR1cs(built.r1cs), writeWtns(built.witness), quiet)).toBe(true);
  });

  it("rejects a changed remainder and an out-of-range remainder with a compensating quotient", async () => {
    const { built } = buildCase(c);
    // element 0's decomposition: bits rq[0..3] = remainder, rq[4..] = quotient + offset
    const bits = wiresNamed(built, /^q\/rescale\/rq\[/).slice(0, 14);
    expect(bits.length).toBe(14);
    const value = (ws: number[]) => ws.reduce((acc, w, i) => acc + (built.witness[w]! << BigInt(i)), 0n);
    const rem = value(bits.slice(0, 4));
    // a changed remainder bit alone
    expect(checkWitness(built.r1cs, withValues(built.witness, [[bits[0]!, 1n - built.witness[bits[0]!]!]])).ok).toBe(false);
    // q + 1 and rem − 16: the sum still matches, but the remainder is no longer a bit pattern
    const qBits = bits.slice(4);
    const q1 = value(qBits) + 1n;
    const changes: [number, bigint][] = qBits.map((w, i) => [w, (q1 >> BigInt(i)) & 1n]);
    changes.push([bits[0]!, built.witness[bits[0]!]! - 16n]);
    const forged = withValues(built.witness, changes);
    // the quotient output wire too (public output 0 is element 0)
    forged[1] = fieldMod(built.witness[1]! + 1n);
    const res = checkWitness(built.r1cs, forged);
    expect(res.ok).toBe(false);
    expect(rem).toBeLessThan(16n);
    expect(await snarkjs.wtns.check(writeR1cs(built.r1cs), writeWtns(forged), quiet)).toBe(false);
  });

  it("after a ReLU the quotient range is non-negative and tight", () => {
    const relu: Case = {
      tensors: [input("x", [8], 3000), inter("r", [8]), inter("q", [8])],
      inputs: { x: randomInts(7, 8, -3000, 3000) },
      prims: [
        { op: "clamp", in: "x", out: "r", lo: 0, hi: 3000 },
        { op: "rescale", in: "r", out: "q", shift: 3 },
      ],
    };
    const { built } = buildCase(relu);
    // clamp: sign of x over 12 + 1 bits (13 + 1 constraints) + select; rescale: 3 + 9 bits + 1;
    // output copies
    expect(built.r1cs.constraints.length).toBe(8 * (14 + 1) + 8 * (3 + 9 + 1) + 8);
  });
});

describe("clamp", () => {
  it("rescale then ReLU reuses the rescale's sign bit: one constraint per element", () => {
    const c: Case = {
      tensors: [input("x", [10], 40000), inter("q", [10]), inter("r", [10])],
      inputs: { x: randomInts(8, 10, -40000, 40000) },
      prims: [
        { op: "rescale", in: "x", out: "q", shift: 5 },
        { op: "clamp", in: "q", out: "r", lo: 0, hi: 2000 },
      ],
      outputs: ["r"],
    };
    const { built } = buildCase(c);
    const rescaleOnly = 10 * (5 + 12 + 1);
    expect(built.r1cs.constraints.length).toBe(rescaleOnly + 10);
    expectOutputsBound(built);
  });

  it("two-sided saturation; a wrong decision (flipped sign bit) and the unclamped value are rejected", () => {
    const xs = [-900, -51, -50, -49, 0, 49, 50, 51, 900, 7];
    const c: Case = {
      tensors: [input("x", [10], 1000), inter("y", [10])],
      inputs: { x: xs },
      prims: [{ op: "clamp", in: "x", out: "y", lo: -50, hi: 50 }],
    };
    const { built } = buildCase(c);
    expectOutputsBound(built);
    // element 0 is clamped to -50: claiming the raw value instead is rejected
    expect(checkWitness(built.r1cs, withValues(built.witness, [[1, -900n]])).ok).toBe(false);
    // flip the decision bit of the first sign test (top bit of its decomposition)
    const sgn = wiresNamed(built, /^y\/clamp\/sgn\[/);
    const top = sgn.filter((w) => /sgn\[11\]$/.test(built.r1cs.wireNames[w]!))[0]!;
    expect(checkWitness(built.r1cs, withValues(built.witness, [[top, 1n - built.witness[top]!]])).ok).toBe(false);
  });

  it("symmetric saturation after a rescale: one comparison of |q| (the sign bit is free); wrong decisions rejected", () => {
    const c: Case = {
      tensors: [input("x", [10], 40000), inter("q", [10]), inter("y", [10])],
      // q = 100, -100, 101, -101, 0, 1250, -1250, 0, -1, 31
      inputs: { x: [3200, -3200, 3232, -3232, 0, 40000, -40000, 5, -17, 1000] },
      prims: [
        { op: "rescale", in: "x", out: "q", shift: 5 },
        { op: "clamp", in: "q", out: "y", lo: -100, hi: 100 },
      ],
    };
    const { built, expected } = buildCase(c);
    expect(Array.from(expected.get("y")!)).toEqual([100, -100, 100, -100, 0, 100, -100, 0, -1, 31]);
    // rescale: 5 + 12 + 1; clamp: s·q (1) + sign of 100 − |q| over 12 bits (13) + select (1)
    expect(built.r1cs.constraints.length).toBe(10 * (18 + 15));
    expectOutputsBound(built);
    // the decision bit (top bit of the |q| comparison) flipped, for an inside and a saturated element
    const tops = wiresNamed(built, /^y\/clamp_sym\/sgn\[11\]$/);
    expect(tops.length).toBe(10);
    for (const e of [0, 2, 9]) {
      expect(checkWitness(built.r1cs, withValues(built.witness, [[tops[e]!, 1n - built.witness[tops[e]!]!]])).ok).toBe(false);
    }
    // claiming the unsaturated quotient for element 2 (q = 101)
    expect(checkWitness(built.r1cs, withValues(built.witness, [[3, 101n]])).ok).toBe(false);
  });

  it("one-sided clamps and clamps the interval decides are (nearly) free", () => {
    const c: Case = {
      tensors: [input("x", [4], 100), inter("a", [4]), inter("b", [4]), inter("c", [4])],
      inputs: { x: [-100, -3, 3, 100] },
      prims: [
        { op: "clamp", in: "x", out: "a", lo: -200, hi: 200 }, // never active: identity
        { op: "clamp", in: "x", out: "b", lo: 150, hi: 200 }, // always lo: constant
        { op: "clamp", in: "x", out: "c", lo: -200, hi: 10 }, // upper side only
      ],
      outputs: ["a", "b", "c"],
    };
    const { built } = buildCase(c);
    // a: 4 output copies (inputs); b: constants, 4 copies; c: per element 8 + 1 (sign of 10 − x) + 1 select
    expect(built.r1cs.constraints.length).toBe(4 + 4 + 4 * (9 + 1));
  });
});

describe("max", () => {
  it("element-wise max of two tensors; the smaller operand as output is rejected", () => {
    const a = randomInts(9, 12, -500, 500);
    const bv = randomInts(10, 12, -500, 500);
    bv[3] = a[3]!; // a tie
    const c: Case = {
      tensors: [input("a", [12], 500), input("b", [12], 500), inter("m", [12])],
      inputs: { a, b: bv },
      prims: [{ op: "max", a: "a", b: "b", out: "m" }],
    };
    const { built } = buildCase(c);
    expectOutputsBound(built);
    const i = a.findIndex((v, k) => v !== bv[k]);
    expect(checkWitness(built.r1cs, withValues(built.witness, [[1 + i, BigInt(Math.min(a[i]!, bv[i]!))]])).ok).toBe(false);
  });
});

describe("lookup", () => {
  it("small table with the input's range beyond the domain: bounds checked, out-of-domain rejected", () => {
    const table = { id: "sq", lo: -5, values: Float64Array.from({ length: 11 }, (_, i) => (i - 5) ** 2) };
    const c: Case = {
      tensors: [input("x", [6], 40), inter("y", [6])],
      inputs: { x: [-5, -1, 0, 2, 5, 3] },
      prims: [{ op: "lookup", in: "x", out: "y", table }],
    };
    const { built } = buildCase(c);
    expectOutputsBound(built);
    // a wrong output that is another table entry
    expect(checkWitness(built.r1cs, withValues(built.witness, [[1, 16n]])).ok).toBe(false);
    // an input outside [-5, 5] has no witness (the prover's strict build refuses)
    expect(() => buildCase({ ...c, inputs: { x: [6, 0, 0, 0, 0, 0] } })).toThrow(/does not fit/);
    const b = new R1csBuilder({ strict: false });
    emit({ ...c, inputs: { x: [6, 0, 0, 0, 0, 0] } }, b, { x: [6, 0, 0, 0, 0, 0] });
    expect(checkWitness(b.build().r1cs, b.build().witness).ok).toBe(false);
  });

  it("large function table after a clamp: no bound checks, split MLE evaluation", () => {
    const n = 3000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.round(512 * Math.exp((i - (n - 1)) / 512)));
    const table = { id: "exp", lo: -(n - 1), values };
    const c: Case = {
      tensors: [input("x", [5], 4000), inter("c", [5]), inter("y", [5])],
      inputs: { x: [-4000, -2999, -1000, -1, 0] },
      prims: [
        { op: "clamp", in: "x", out: "c", lo: -(n - 1), hi: 0 },
        { op: "lookup", in: "c", out: "y", table },
      ],
    };
    const { built } = buildCase(c);
    expectOutputsBound(built);
    const m = 12;
    const h = bestSplit(m);
    expect(h).toBe(6);
    const perLookup = m + 1 + splitCost(m, h);
    expect(perLookup).toBeLessThan(150);
    // clamp: sign of −x over 13 bits (14), sign of x + 2999 in [-1001, 6999] over 14 bits (15), 2 selects
    const clampCost = 5 * (14 + 15 + 2);
    expect(built.r1cs.constraints.length).toBe(clampCost + 5 * perLookup + 5);
    expect(checkWitness(built.r1cs, withValues(built.witness, [[3, BigInt(values[n - 1 - 1001]!)]])).ok).toBe(false);
  });

  it("tableAtBits equals the table at every index for every split", () => {
    const table = randomInts(11, 23, -1000, 1000).map(BigInt);
    for (let idx = 0; idx < 32; idx++) {
      const b = new R1csBuilder();
      const bits = toBits(b, b.publicInput(BigInt(idx)), 5);
      const v = b.value(tableAtBits(b, bits, table));
      expect(toSigned(v)).toBe(table[idx] ?? 0n);
    }
  });
});

describe("divide", () => {
  const num = randomInts(12, 10, 0, 512);
  const den = randomInts(13, 10, 1, 3000);
  den[9] = 1;
  const c: Case = {
    tensors: [input("n", [10], 512), input("d", [10], 3000), inter("dp", [10]), inter("q", [10])],
    inputs: { n: num, d: den },
    prims: [
      // the denominator must be positive: clamp it like the quantiser's softmax does
      { op: "clamp", in: "d", out: "dp", lo: 1, hi: 3000 },
      { op: "divide", num: "n", den: "dp", out: "q", shift: 9 },
    ],
  };

  it("q = floor(num·2^s / den), with the quotient bits as the only assumptions", () => {
    const { built, assumed } = buildCase(c);
    expectOutputsBound(built);
    expect(assumed.length).toBeGreaterThan(0);
    expect(new Set(assumed.map((w) => built.r1cs.wireNames[w]!.replace(/\[\d+\]$/, "")))).toEqual(new Set(["q/divide/q"]));
    // without the assumptions the plain checker cannot justify the quotient
    expect(checkCodegenCircuit(built.r1cs, []).ok).toBe(false);
  });

  it("the checker verifies the structure behind each assumption before taking it", () => {
    const b = new R1csBuilder();
    const run = emit(c, b, c.inputs);
    const built = b.build();
    const good = finalAssumptions(run.assumptions, built);
    expect(checkCodegenCircuit(built.r1cs, good).ok).toBe(true);
    // pointing the gap check elsewhere (as if rem <= den − 1 were missing)
    const noGap = good.map((a, i) => (i === 0 ? { ...a, gapConstraint: a.productConstraint } : a));
    const rep = checkCodegenCircuit(built.r1cs, noGap);
    expect(rep.ok).toBe(false);
    expect(rep.messages[0]).toMatch(/not den − 1 − rem/);
    // a remainder narrower than the gap, and a quotient bit without booleanity
    expect(checkCodegenCircuit(built.r1cs, good.map((a, i) => (i === 0 ? { ...a, remBits: a.remBits.slice(1) } : a))).messages[0]).toMatch(/widths differ/);
    const outputWire = 1;
    expect(checkCodegenCircuit(built.r1cs, good.map((a, i) => (i === 0 ? { ...a, qBits: [...a.qBits.slice(1), outputWire] } : a))).ok).toBe(false);
  });

  it("rejects q − 1 with the remainder raised by den (fits the remainder's bits), and q + 1 with it lowered", () => {
    const { built } = buildCase(c);
    const qBits = wiresNamed(built, /^q\/divide\/q\[/);
    const remBits = wiresNamed(built, /^q\/divide\/rem\[/);
    const wq = qBits.length / 10;
    const wr = remBits.length / 10;
    // element 9 has den = 1, so rem + den = 1 still fits the remainder's bits: only the
    // rem <= den − 1 check stands in the way
    for (const i of [9, 0]) {
      const q = Number(toSigned(built.witness[1 + i]!));
      // the bits hold q − qlo (qlo from the intervals)
      let held = 0n;
      for (let j = 0; j < wq; j++) held += built.witness[qBits[i * wq + j]!]! << BigInt(j);
      const qlo = BigInt(q) - held;
      for (const dq of [-1, 1]) {
        const q2 = BigInt(q + dq);
        const rem2 = BigInt(num[i]! * 512) - q2 * BigInt(den[i]!);
        const changes: [number, bigint][] = [];
        for (let j = 0; j < wq; j++) changes.push([qBits[i * wq + j]!, ((q2 - qlo) >> BigInt(j)) & 1n]);
        // the remainder bits hold rem2 where they can (mod 2^wr)
        for (let j = 0; j < wr; j++) changes.push([remBits[i * wr + j]!, ((rem2 & ((1n << BigInt(wr)) - 1n)) >> BigInt(j)) & 1n]);
        changes.push([1 + i, q2]);
        expect(dq < 0 ? rem2 >= BigInt(den[i]!) : rem2 < 0n).toBe(true);
        if (i === 9 && dq < 0) expect(rem2).toBeLessThan(1n << BigInt(wr)); // a real attempt, not a wrap
        expect(checkWitness(built.r1cs, withValues(built.witness, changes)).ok).toBe(false);
      }
    }
  });
});

describe("argmax", () => {
  it("first index of the maximum; a tie's later index is rejected", () => {
    // [outer 2, reduce 5, inner 2]
    const x = [3, 9, 7, 9, 7, 1, 2, 9, 7, 0, -4, -4, -9, -5, -4, -8, -6, -4, -8, -9];
    const c: Case = {
      tensors: [input("x", [2, 5, 2], 10), inter("i", [2, 2])],
      inputs: { x },
      prims: [{ op: "argmax", in: "x", out: "i", outer: 2, reduce: 5, inner: 2 }],
    };
    const { built, expected } = buildCase(c);
    // column (0, 0) reads 3, 7, 7, 2, 7; column (0, 1) reads 9, 9, 1, 9, 0
    expect(Array.from(expected.get("i")!)).toEqual([1, 0, 0, 0]);
    expectOutputsBound(built);
    // later indices of a tied maximum are wrong although x there is the maximum too
    for (const [wire, idx] of [[1, 2n], [1, 4n], [2, 1n], [2, 3n]] as const) {
      expect(checkWitness(built.r1cs, withValues(built.witness, [[wire, idx]])).ok).toBe(false);
    }
  });
});

describe("edge cases", () => {
  it("params as operands of non-linear primitives, a shared right operand, argmax over one element", () => {
    const c: Case = {
      tensors: [
        input("x", [2, 2, 3], 40),
        param("w", [1, 3, 2], [1, -2, 3, -4, 5, -6]),
        param("p", [4], [-7, 0, 7, 300]),
        param("den", [4], [3, 3, 5, 1]),
        inter("xw", [2, 2, 2]),
        inter("flat", [4]),
        inter("d", [4]),
        inter("cl", [4]),
        inter("rs", [4]),
        inter("lk", [4]),
        inter("am", [4]),
      ],
      inputs: { x: randomInts(14, 12, -40, 40) },
      prims: [
        { op: "matmul", a: "x", b: "w", out: "xw", batch: 2, bBatch: 1, m: 2, k: 3, n: 2 },
        { op: "gather", sources: ["xw"], out: "flat", idx: Int32Array.from([0, 3, 5, 6]) },
        { op: "divide", num: "flat", den: "den", out: "d", shift: 2 },
        { op: "clamp", in: "p", out: "cl", lo: -5, hi: 100 },
        { op: "rescale", in: "p", out: "rs", shift: 2 },
        { op: "lookup", in: "cl", out: "lk", table: { id: "t", lo: -5, values: Float64Array.from({ length: 106 }, (_, i) => i * i - 7) } },
        { op: "argmax", in: "d", out: "am", outer: 4, reduce: 1, inner: 1 },
      ],
      outputs: ["xw", "d", "cl", "rs", "lk", "am"],
    };
    const { built } = buildCase(c);
    expectOutputsBound(built);
  });
});

describe("errors", () => {
  it("a divide whose denominator can never be positive is a QUANTISATION error naming the op", () => {
    const c: Case = {
      tensors: [input("n", [2], 5), param("d", [2], [0, -1]), inter("q", [2])],
      inputs: { n: [1, 2] },
      prims: [{ op: "divide", num: "n", den: "d", out: "q", shift: 0 }],
    };
    expect(() => buildCase(c)).toThrow(/QUANTISATION|no positive value/);
  });

  it("a tensor nobody produced is an INTERNAL error naming it", () => {
    const c: Case = {
      tensors: [inter("ghost", [2]), inter("y", [2])],
      inputs: {},
      prims: [{ op: "scale", in: "ghost", out: "y", factor: 2 }],
    };
    expect(() => buildCase(c)).toThrow(/ghost/);
  });
});
