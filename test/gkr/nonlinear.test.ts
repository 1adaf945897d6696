import { afterAll, describe, expect, it } from "vitest";
import type { Prim } from "../../compiler/quant/prim.js";
import { evalPrim } from "../../compiler/quant/semantics.js";
import { FR_MODULUS, FrVector } from "../../backends/math/field.js";
import { Transcript } from "../../backends/math/transcript.js";
import { ffjavascriptEngine, nobleEngine, setMsmEngine, terminateCurve } from "../../backends/math/commit/index.js";
import { claimOnPublic, proveKernel, verifyKernel, type Kernel } from "../../backends/gkr/kernel.js";
import { HALF, integerTable } from "../../backends/math/layout.js";
import { evaluateMle } from "../../backends/math/mle.js";
import {
  absorbNonlinearCommitments,
  commitNonlinearWitness,
  finishNonlinearVerification,
  limbWidths,
  proveKernelWithCommitments,
  verifyKernelWithCommitments,
  type CommitWitnessOptions,
} from "../../backends/gkr/nonlinear/index.js";
import { decodeValue, encodeValue } from "../../runtime/link/codec.js";
import { makeRng } from "../math/rng.js";

afterAll(async () => {
  await terminateCurve();
});

type Rng = ReturnType<typeof makeRng>;
const randInts = (rng: Rng, n: number, lo: number, hi: number) => Float64Array.from({ length: n }, () => lo + rng.below(hi - lo + 1));

interface Case {
  kernel: Kernel;
  values: Map<string, Float64Array>;
  out: string;
}

/** A one-primitive kernel with the inputs given, the output computed by evalPrim (the shared semantics). */
function makeCase(name: string, prim: Prim, inputs: Record<string, Float64Array>, shape: number[], bounds: Record<string, number>): Case {
  const values = new Map(Object.entries(inputs));
  const out = evalPrim(prim, values);
  values.set(prim.out, out);
  const tensors = new Map<string, { shape: number[]; maxAbs: number }>();
  for (const t of values.keys()) tensors.set(t, { shape, maxAbs: bounds[t] ?? Math.max(1, ...Array.from(values.get(t)!, Math.abs)) });
  return { kernel: { name, prims: [prim], tensors }, values, out: prim.out };
}

/** Prove and verify; input claims are discharged here against the real inputs (as a previous kernel or a commitment would). */
async function run(
  c: Case,
  opts: {
    tamperWitness?: CommitWitnessOptions["tamper"];
    tamperPadded?: CommitWitnessOptions["tamperPadded"];
    tamperProof?: (proof: any) => void;
    claimedOut?: Float64Array;
    /** the output's padded table as the cheating prover claims it (padding included) */
    claimedTable?: (shape: readonly number[]) => FrVector;
  } = {},
) {
  const shape = c.kernel.tensors.get(c.out)!.shape;
  // a cheating prover claims the output its tampered witness gives
  const outVals = opts.claimedOut ?? c.values.get(c.out)!;
  const pt = new Transcript("nonlinear-test");
  const claimOut = (t: Transcript) => {
    if (!opts.claimedTable) return claimOnPublic(c.out, shape, outVals, t);
    // same transcript steps as claimOnPublic, on a table with garbage on padding positions
    const table = opts.claimedTable(shape);
    t.absorbVector(`gkr/public/${c.out}`, table);
    const point = t.challenges("gkr/public/point", Math.log2(table.length));
    return { tensor: c.out, point, value: evaluateMle(table, point) };
  };
  const commitments = await commitNonlinearWitness(c.kernel, c.values, pt, { tamper: opts.tamperWitness, tamperPadded: opts.tamperPadded });
  const claims = [claimOut(pt)];
  const { proof, inputClaims } = proveKernel(c.kernel, c.values, claims, pt);
  const full = { commitments, kernel: proof };
  if (opts.tamperProof) opts.tamperProof(full);
  const vt = new Transcript("nonlinear-test");
  const abs = absorbNonlinearCommitments(c.kernel, full.commitments, vt);
  if (!abs.ok) return { ok: false as const, stage: "commitments", reason: abs.reason };
  const verdict = verifyKernel(c.kernel, full.kernel, [claimOut(vt)], vt);
  if (!verdict.ok) return { ok: false as const, stage: "kernel", reason: verdict.reason };
  const fin = await finishNonlinearVerification(vt);
  if (!fin.ok) return { ok: false as const, stage: "openings", reason: fin.reason };
  for (const ic of verdict.inputClaims) {
    const v = c.values.get(ic.tensor)!;
    if (evaluateMle(integerTable(v, c.kernel.tensors.get(ic.tensor)!.shape), ic.point) !== ic.value) {
      return { ok: false as const, stage: "input-claims", reason: `claim on ${ic.tensor} is false` };
    }
  }
  expect(inputClaims.length).toBe(verdict.inputClaims.length);
  return { ok: true as const, stage: "done", reason: "" };
}

const at = (shapeSize: number, rng: Rng) => rng.below(shapeSize);

describe("limbs", () => {
  it("split wide ranges into balanced limbs of at most 16 bits", () => {
    expect(limbWidths(8)).toEqual([8]);
    expect(limbWidths(16)).toEqual([16]);
    expect(limbWidths(17)).toEqual([9, 8]);
    expect(limbWidths(52)).toEqual([13, 13, 13, 13]);
  });
});

describe("rescale", () => {
  const shape = [3, 5];
  const rng = makeRng(10);
  const x = randInts(rng, 15, -5000, 5000);
  x[0] = -1; x[1] = 0; x[2] = 127; x[3] = 128; x[4] = -128; x[5] = -129;
  const prim: Prim = { op: "rescale", in: "x", out: "q", shift: 8 };
  const c = makeCase("rescale", prim, { x }, shape, { x: 5000, q: 20 });

  it("matches evalPrim and verifies (negative values, padding)", async () => {
    expect(Array.from(c.values.get("q")!.slice(0, 6))).toEqual([0, 0, 0, 1, 0, -1]);
    expect((await run(c)).ok).toBe(true);
  });

  it("rejects garbage on padding positions (q = 1, rem = -2^s where x = 0)", async () => {
    // [3, 5] pads to [4, 8]: padded position 5 is padding
    const r = await run(c, {
      tamperPadded: (_p, name, padded) => {
        if (name === "q") padded[5] = 1;
        if (name === "rem") padded[5] = -256;
      },
      claimedTable: (shape) => {
        const t = integerTable(c.values.get("q")!, shape).clone();
        t.set(5, 1n);
        return t;
      },
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/lookup/);
  });

  it("rejects an out-of-range remainder (rem + 2^s, q - 1)", async () => {
    const i = 7;
    const claimedOut = c.values.get("q")!.slice();
    claimedOut[i]! -= 1;
    const r = await run(c, {
      claimedOut,
      tamperWitness: (_p, aux) => {
        aux.get("rem")![i]! += 256;
        aux.get("q")![i]! -= 1;
        return aux;
      },
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/lookup/);
  });

  it("rejects a wrong quotient with a compensating in-range remainder elsewhere (relation fails)", async () => {
    const r = await run(c, { tamperWitness: (_p, aux) => ((aux.get("q")![3]! += 1), aux) });
    expect(r.ok).toBe(false);
  });

  it("wide shift and wide quotient bound use limbs", async () => {
    const rng2 = makeRng(11);
    const xw = randInts(rng2, 12, -(2 ** 40), 2 ** 40);
    const cw = makeCase("rescale-wide", { op: "rescale", in: "x", out: "q", shift: 20 }, { x: xw }, [12], { x: 2 ** 40, q: 2 ** 21 });
    expect((await run(cw)).ok).toBe(true);
  });

  it("shift 0 passes the claim through", async () => {
    const c0 = makeCase("rescale0", { op: "rescale", in: "x", out: "q", shift: 0 }, { x }, shape, {});
    expect((await run(c0)).ok).toBe(true);
  });
});

describe("lookup", () => {
  const rng = makeRng(20);
  const lo = -16;
  const tableValues = Float64Array.from({ length: 40 }, (_, t) => Math.round(100 * Math.tanh((lo + t) / 8)));
  const prim: Prim = { op: "lookup", in: "x", out: "y", table: { id: "tanh", lo, values: tableValues } };
  const x = randInts(rng, 21, lo, lo + 39);
  const c = makeCase("lookup", prim, { x }, [3, 7], {});

  it("matches evalPrim and verifies", async () => {
    expect((await run(c)).ok).toBe(true);
  });
  it("rejects a wrong lookup output", async () => {
    const r = await run(c, { tamperWitness: (_p, aux) => ((aux.get("y")![at(21, rng)]! += 1), aux) });
    expect(r.ok).toBe(false);
  });
  it("rejects a non-zero output on a padding position (the output claimed with that garbage)", async () => {
    // [3, 7] pads to [4, 8]: padded position 7 (row 0, column 7) is padding
    const garbage = (shape: readonly number[]) => {
      const t = integerTable(c.values.get("y")!, shape).clone();
      t.set(7, 5n);
      return t;
    };
    const honestPadded = await run(c, { claimedTable: (shape) => integerTable(c.values.get("y")!, shape) });
    expect(honestPadded.ok).toBe(true);
    const r = await run(c, { tamperPadded: (_p, name, padded) => name === "y" && (padded[7] = 5), claimedTable: garbage });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/lookup/);
  });

  it("rejects a changed opening value", async () => {
    const r = await run(c, {
      tamperProof: (full) => {
        const body = full.kernel.layers[0].body;
        body.points[0].opening.values[0] = (body.points[0].opening.values[0] + 1n) % FR_MODULUS;
      },
    });
    expect(r.ok).toBe(false);
  });
});

describe("max / ReLU", () => {
  const rng = makeRng(30);
  const shape = [5, 6];
  const a = randInts(rng, 30, -300, 300);
  const zeros = new Float64Array(30);
  a[0] = 0;
  const relu = makeCase("relu", { op: "max", a: "x", b: "zero", out: "y" }, { x: a, zero: zeros }, shape, { zero: 0 });

  it("ReLU matches evalPrim and verifies", async () => {
    expect(Array.from(relu.values.get("y")!).every((v, i) => v === Math.max(0, a[i]!))).toBe(true);
    expect((await run(relu)).ok).toBe(true);
  });

  it("max of two tensors with ties verifies", async () => {
    const b = randInts(rng, 30, -300, 300);
    b[1] = a[1]!;
    const c = makeCase("max", { op: "max", a: "a", b: "b", out: "m" }, { a, b }, shape, {});
    expect((await run(c)).ok).toBe(true);
  });

  it("rejects a flipped sign bit (with |a-b| kept: relation fails; with t = -(a-b): range fails)", async () => {
    const i = a.findIndex((v) => v < 0);
    const r1 = await run(relu, { tamperWitness: (_p, aux) => ((aux.get("s")![i] = 1), aux) });
    expect(r1.ok).toBe(false);
    const claimedOut = relu.values.get("y")!.slice();
    claimedOut[i] = a[i]!;
    const r2 = await run(relu, {
      claimedOut,
      tamperWitness: (_p, aux) => {
        aux.get("s")![i] = 1;
        aux.get("t")![i] = a[i]!; // (2s-1)(a-b) with s = 1: negative
        return aux;
      },
    });
    expect(r2.ok).toBe(false);
    expect(r2.reason).toMatch(/lookup/);
  });
});

describe("clamp", () => {
  const rng = makeRng(40);
  const x = randInts(rng, 24, -200, 200);
  x[0] = -50; x[1] = 50; x[2] = -51; x[3] = 51;

  it("matches evalPrim and verifies (lo < 0 < hi, and lo > 0 where padding matters)", async () => {
    for (const [lo, hi] of [[-50, 50], [10, 90], [-90, -10], [5, 5]] as const) {
      const c = makeCase(`clamp${lo}`, { op: "clamp", in: "x", out: "y", lo, hi }, { x }, [4, 6], {});
      expect((await run(c)).ok).toBe(true);
    }
  });

  it("lo > hi gives hi everywhere", async () => {
    const c = makeCase("clamp-inv", { op: "clamp", in: "x", out: "y", lo: 9, hi: 3 }, { x }, [4, 6], {});
    expect(Array.from(c.values.get("y")!).every((v) => v === 3)).toBe(true);
    expect((await run(c)).ok).toBe(true);
  });

  it("rejects a flipped low bit", async () => {
    const c = makeCase("clamp", { op: "clamp", in: "x", out: "y", lo: -50, hi: 50 }, { x }, [4, 6], {});
    const r = await run(c, {
      tamperWitness: (_p, aux) => {
        aux.get("sl")![2] = 0; // x = -51 < lo, claim it is not
        aux.get("tl")![2] = -1; // x - lo
        return aux;
      },
    });
    expect(r.ok).toBe(false);
  });
});

describe("divide", () => {
  const rng = makeRng(50);
  const num = randInts(rng, 10, -1000, 1000);
  const den = randInts(rng, 10, 1, 300);
  const c = makeCase("divide", { op: "divide", num: "n", den: "d", out: "q", shift: 4 }, { n: num, d: den }, [10], { n: 1000, d: 300, q: 16000 });

  it("matches evalPrim and verifies", async () => {
    expect((await run(c)).ok).toBe(true);
  });
  it("rejects a remainder >= den (q - 1, rem + den)", async () => {
    const r = await run(c, {
      tamperWitness: (_p, aux) => {
        aux.get("q")![0]! -= 1;
        aux.get("rem")![0]! += den[0]!;
        aux.get("t")![0]! -= den[0]!;
        return aux;
      },
    });
    expect(r.ok).toBe(false);
  });
});

describe("claims at non-random points", () => {
  it("a relation broken in two places that cancel along an axis is caught even when the claim point has a 1/2 coordinate", async () => {
    // x[0] and x[8] differ only in variable 0 of a [16] layout; rem +1 at one, -1 at the other keeps
    // both in range and cancels in the average over variable 0, i.e. at a point (1/2, r').
    const x = Float64Array.from({ length: 16 }, (_, i) => 37 * i - 250);
    x[0] = 300;
    x[8] = 500;
    const c = makeCase("half", { op: "rescale", in: "x", out: "q", shift: 8 }, { x }, [16], { x: 600, q: 4 });
    const table = integerTable(c.values.get("q")!, [16]);
    const claimAt = (t: Transcript) => {
      const point = [HALF, ...t.challenges("test/point", 3)];
      return [{ tensor: "q", point, value: evaluateMle(table, point) }];
    };
    const tamper: CommitWitnessOptions["tamper"] = (_p, aux) => {
      aux.get("rem")![0]! += 1;
      aux.get("rem")![8]! -= 1;
      return aux;
    };
    for (const bad of [false, true]) {
      const pt = new Transcript("half");
      const commitments = await commitNonlinearWitness(c.kernel, c.values, pt, bad ? { tamper } : {});
      const { proof } = proveKernel(c.kernel, c.values, claimAt(pt), pt);
      const vt = new Transcript("half");
      expect(absorbNonlinearCommitments(c.kernel, commitments, vt).ok).toBe(true);
      const verdict = verifyKernel(c.kernel, proof, claimAt(vt), vt);
      const fin = await finishNonlinearVerification(vt);
      expect(verdict.ok && fin.ok).toBe(!bad);
    }
  });
});

describe("transcript, proof and commitment tampering", () => {
  const rng = makeRng(60);
  const x = randInts(rng, 16, -3000, 3000);
  const c = makeCase("tamper", { op: "rescale", in: "x", out: "q", shift: 6 }, { x }, [16], {});

  it("a changed input evaluation, a changed opening proof, swapped commitments are rejected", async () => {
    expect((await run(c)).ok).toBe(true);
    const r1 = await run(c, {
      tamperProof: (f) => {
        const ev = f.kernel.layers[0].body.points[1].inputEvals;
        ev[0] = (ev[0] + 1n) % FR_MODULUS;
      },
    });
    expect(r1.ok).toBe(false);
    // the opening vector is only checked by the deferred MSM: verifyKernel passes, finish fails
    const r2 = await run(c, {
      tamperProof: (f) => {
        const comb = f.kernel.layers[0].body.lookup.opening.proof.combined;
        comb[0] = (comb[0] + 1n) % FR_MODULUS;
      },
    });
    expect(r2.ok).toBe(false);
    const r3 = await run(c, {
      tamperProof: (f) => {
        const cs = f.commitments.prims[0].commitments;
        [cs[0], cs[1]] = [cs[1], cs[0]];
      },
    });
    expect(r3.ok).toBe(false);
    const r4 = await run(c, { tamperProof: (f) => (f.commitments = { kind: "nonlinear-commitments", prims: [] }) });
    expect(r4).toMatchObject({ ok: false, stage: "commitments" });
  });

  it("malformed proof bodies are rejected with a reason, never by a caught throw", async () => {
    const mutations: ((f: any) => void)[] = [
      (f) => delete f.kernel.layers[0].body.points,
      (f) => (f.kernel.layers[0].body.points = [null, null]),
      (f) => (f.kernel.layers[0].body.points[1].opening = 3),
      (f) => (f.kernel.layers[0].body.points[1].opening.proof = { combined: [1n] }),
      (f) => (f.kernel.layers[0].body.points[1].inputEvals = ["1"]),
      (f) => (f.kernel.layers[0].body.lookup = undefined),
      (f) => (f.kernel.layers[0].body.lookup.logup = { fractions: { roots: [0n], layers: [] } }),
      (f) => (f.kernel.layers[0].body.lookup.multiplicities = [{}]),
      (f) => (f.kernel.layers[0].body.lookup.opening.values = [-1n]),
      (f) => (f.kernel.layers[0].body.sumcheck = { rounds: [] }),
      (f) => (f.kernel.layers[0].body = "junk"),
      (f) => (f.commitments.prims[0].commitments[0] = new Uint8Array(10)),
      (f) => (f.commitments.prims[0].commitments = null),
    ];
    for (const m of mutations) {
      const r = await run(c, { tamperProof: m });
      expect(r.ok).toBe(false);
      expect(r.reason).not.toMatch(/^verifier error/);
    }
  });

  it("proofs survive the bundle's JSON codec (runtime/link/codec.ts)", async () => {
    const r = await run(c, {
      tamperProof: (f) => {
        const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(f)))) as typeof f;
        f.commitments = back.commitments;
        f.kernel = back.kernel;
      },
    });
    expect(r.ok).toBe(true);
  });

  it("the pure-TS engine proves and verifies the same layer", async () => {
    setMsmEngine(nobleEngine);
    try {
      const small = makeCase("noble", { op: "rescale", in: "x", out: "q", shift: 6 }, { x: x.slice(0, 8) }, [8], {});
      expect((await run(small)).ok).toBe(true);
    } finally {
      setMsmEngine(ffjavascriptEngine);
    }
  });

  it("wrappers: prove and verify with commitments before the output claim", async () => {
    const shape = [16];
    const outVals = c.values.get("q")!;
    const { proof } = await proveKernelWithCommitments(c.kernel, c.values, (t) => [claimOnPublic("q", shape, outVals, t)], new Transcript("w"));
    expect((await verifyKernelWithCommitments(c.kernel, proof, (t) => [claimOnPublic("q", shape, outVals, t)], new Transcript("w"))).ok).toBe(true);
    const wrong = outVals.slice();
    wrong[3]! += 1;
    expect((await verifyKernelWithCommitments(c.kernel, proof, (t) => [claimOnPublic("q", shape, wrong, t)], new Transcript("w"))).ok).toBe(false);
    expect((await verifyKernelWithCommitments(c.kernel, proof, (t) => [claimOnPublic("q", shape, outVals, t)], new Transcript("other"))).ok).toBe(false);
  });
});
