import { afterAll, describe, expect, it } from "vitest";
import { FR_MODULUS as P, Fr, FrVector } from "../../backends/math/field.js";
import { useKernels } from "../../backends/math/kernels.js";
import { eqTable, evaluateMle } from "../../backends/math/mle.js";
import {
  combineTermEvals,
  interpolateAt,
  proveSumcheck,
  sumcheckDegree,
  verifySumcheck,
  type ProductTerm,
  type SumcheckInstance,
} from "../../backends/math/sumcheck.js";
import { Transcript } from "../../backends/math/transcript.js";
import { makeRng } from "./rng.js";

/** Brute-force sum over the hypercube with bigint (the oracle for the claim). */
function bruteSum(inst: SumcheckInstance): bigint {
  const vals = inst.polys.map((p) => p.toBigints());
  let acc = 0n;
  for (let x = 0; x < inst.polys[0]!.length; x++) acc = (acc + combineTermEvals(inst.terms, vals.map((v) => v[x]!))) % P;
  return acc;
}

function randomInstance(seed: number, n: number, numPolys: number, terms: ProductTerm[]): SumcheckInstance {
  const rng = makeRng(seed);
  const polys = Array.from({ length: numPolys }, () => FrVector.fromBigints(Array.from({ length: 1 << n }, rng.fieldWithEdges)));
  return { polys, terms };
}

/** Full check as GKR would do it: verify, then discharge the sub-claim with the polys' own MLEs. */
function accepts(inst: SumcheckInstance, claim: bigint, proof: unknown, protocol = "test"): boolean {
  const n = Math.log2(inst.polys[0]!.length);
  const verdict = verifySumcheck(claim, n, sumcheckDegree(inst.terms), proof, new Transcript(protocol));
  if (!verdict.ok) return false;
  const evals = inst.polys.map((p) => evaluateMle(p, verdict.point));
  return verdict.claimedEval === combineTermEvals(inst.terms, evals);
}

const cases: { name: string; n: number; polys: number; terms: ProductTerm[] }[] = [
  { name: "single polynomial (degree 1)", n: 5, polys: 1, terms: [{ coeff: 1n, factors: [0] }] },
  { name: "product f·g (degree 2)", n: 7, polys: 2, terms: [{ coeff: 1n, factors: [0, 1] }] },
  { name: "eq·A·B (degree 3)", n: 6, polys: 3, terms: [{ coeff: 1n, factors: [0, 1, 2] }] },
  {
    name: "c1·f1·g1 + c2·f2 + c3·a·b·c·d (degree 4, shared factors)",
    n: 5,
    polys: 5,
    terms: [
      { coeff: 3n, factors: [0, 1] },
      { coeff: P - 5n, factors: [2] },
      { coeff: 12345678901234567890n, factors: [1, 2, 3, 4] },
    ],
  },
  { name: "one variable", n: 1, polys: 2, terms: [{ coeff: 2n, factors: [0, 1] }] },
];

for (const kind of ["wasm", "ts"] as const) {
  describe(`sumcheck completeness (${kind} kernels)`, () => {
    afterAll(() => {
      useKernels("wasm");
    });
    cases.forEach((c, i) => {
      it(c.name, () => {
        useKernels(kind);
        const inst = randomInstance(100 + i, c.n, c.polys, c.terms);
        const claim = bruteSum(inst);
        const out = proveSumcheck(inst, new Transcript("test"));
        expect(out.claim).toBe(claim);
        expect(out.proof.rounds.length).toBe(c.n);
        expect(out.proof.rounds.every((r) => r.length === sumcheckDegree(c.terms))).toBe(true);
        expect(out.polyEvals).toEqual(inst.polys.map((p) => evaluateMle(p, out.point)));
        expect(accepts(inst, claim, out.proof)).toBe(true);
        // the prover given the claim produces the same proof
        expect(proveSumcheck(inst, new Transcript("test"), claim).proof).toEqual(out.proof);
      });
    });
  });
}

describe("sumcheck across chunk boundaries (tables larger than the 2048-element chunks)", () => {
  it("wasm and TS kernels give the same proof, and it verifies", () => {
    const n = 13;
    const inst = randomInstance(300, n, 3, [
      { coeff: 1n, factors: [0, 1] },
      { coeff: 4n, factors: [0, 1, 2] },
    ]);
    useKernels("wasm");
    const fast = proveSumcheck(inst, new Transcript("big"));
    useKernels("ts");
    const slow = proveSumcheck(inst, new Transcript("big"), fast.claim);
    useKernels("wasm");
    expect(slow.proof).toEqual(fast.proof);
    expect(slow.polyEvals).toEqual(fast.polyEvals);
    expect(fast.claim).toBe(bruteSum(inst));
    expect(accepts(inst, fast.claim, fast.proof, "big")).toBe(true);
    expect(accepts(inst, Fr.add(fast.claim, 1n), fast.proof, "big")).toBe(false);
  });
});

describe("sumcheck with an eq table (the GKR shape)", () => {
  it("proves sum_x eq(r, x)·A(x)·B(x) = the MLE of A∘B at r", () => {
    const rng = makeRng(7);
    const n = 6;
    const r = Array.from({ length: n }, rng.field);
    const a = Array.from({ length: 1 << n }, rng.field);
    const b = Array.from({ length: 1 << n }, rng.field);
    const inst = { polys: [eqTable(r), FrVector.fromBigints(a), FrVector.fromBigints(b)], terms: [{ coeff: 1n, factors: [0, 1, 2] }] };
    const hadamard = FrVector.fromBigints(a.map((v, i) => Fr.mul(v, b[i]!)));
    const claim = evaluateMle(hadamard, r);
    const out = proveSumcheck(inst, new Transcript("gkr"), claim);
    expect(accepts(inst, claim, out.proof, "gkr")).toBe(true);
  });
});

describe("sumcheck soundness: tampering is rejected", () => {
  const inst = randomInstance(200, 5, 3, [
    { coeff: 1n, factors: [0, 1, 2] },
    { coeff: 9n, factors: [1] },
  ]);
  const claim = bruteSum(inst);
  const honest = proveSumcheck(inst, new Transcript("test"), claim).proof;
  const copy = (): bigint[][] => honest.rounds.map((r) => [...r]);

  it("the honest proof is accepted (baseline for the cases below)", () => {
    expect(accepts(inst, claim, honest)).toBe(true);
  });

  it("rejects a wrong claim", () => {
    expect(accepts(inst, Fr.add(claim, 1n), honest)).toBe(false);
  });

  it("rejects every single corrupted round value", () => {
    for (let i = 0; i < honest.rounds.length; i++) {
      for (let j = 0; j < honest.rounds[i]!.length; j++) {
        const rounds = copy();
        rounds[i]![j] = Fr.add(rounds[i]![j]!, 1n);
        expect(accepts(inst, claim, { rounds }), `round ${i} value ${j}`).toBe(false);
      }
    }
  });

  it("rejects swapped and replayed rounds", () => {
    const swapped = copy();
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(accepts(inst, claim, { rounds: swapped })).toBe(false);
    const replayed = copy();
    replayed[2] = [...replayed[1]!];
    expect(accepts(inst, claim, { rounds: replayed })).toBe(false);
  });

  it("rejects a proof made on another transcript (desynchronised Fiat-Shamir)", () => {
    expect(accepts(inst, claim, honest, "other-protocol")).toBe(false);
    const t = new Transcript("test");
    t.absorbField("extra", 1n);
    const v = verifySumcheck(claim, 5, 3, honest, t);
    expect(v.ok && v.claimedEval === combineTermEvals(inst.terms, inst.polys.map((p) => evaluateMle(p, v.point)))).toBe(false);
  });

  it("a consistent forgery for a false claim fails the final evaluation check", () => {
    // Adjust g_0(0) so round 0 is consistent with the false claim: later rounds cannot follow.
    const rounds = copy();
    const falseClaim = Fr.add(claim, 1n);
    rounds[0]![0] = Fr.add(rounds[0]![0]!, 1n);
    expect(accepts(inst, falseClaim, { rounds })).toBe(false);
  });

  it("returns {ok: false, reason} on malformed proofs without throwing", () => {
    const bad: unknown[] = [
      null,
      undefined,
      42,
      "proof",
      {},
      { rounds: null },
      { rounds: copy().slice(1) },
      { rounds: [...copy(), [0n, 0n, 0n]] },
      { rounds: copy().map((r, i) => (i === 2 ? r.slice(1) : r)) },
      { rounds: copy().map((r, i) => (i === 2 ? [...r, 0n] : r)) },
      { rounds: copy().map((r, i) => (i === 1 ? [P, r[1], r[2]] : r)) },
      { rounds: copy().map((r, i) => (i === 1 ? [-1n, r[1], r[2]] : r)) },
      { rounds: copy().map((r, i) => (i === 1 ? [1, r[1], r[2]] : r)) },
      { rounds: copy().map((r, i) => (i === 3 ? "x" : r)) },
    ];
    for (const proof of bad) {
      const v = verifySumcheck(claim, 5, 3, proof, new Transcript("test"));
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.reason.length).toBeGreaterThan(0);
    }
    expect(verifySumcheck(P, 5, 3, honest, new Transcript("test")).ok).toBe(false);
    expect(verifySumcheck(claim, 5, 0, honest, new Transcript("test")).ok).toBe(false);
    // wrong expected degree: the message length no longer matches
    expect(verifySumcheck(claim, 5, 4, honest, new Transcript("test")).ok).toBe(false);
  });

  it("the prover refuses a claim that is not the sum, and malformed instances", () => {
    expect(() => proveSumcheck(inst, new Transcript("test"), Fr.add(claim, 1n))).toThrow(RangeError);
    expect(() => proveSumcheck({ polys: inst.polys, terms: [{ coeff: 1n, factors: [7] }] }, new Transcript("t"))).toThrow(RangeError);
    expect(() => proveSumcheck({ polys: [inst.polys[0]!, FrVector.zeros(8)], terms: [{ coeff: 1n, factors: [0, 1] }] }, new Transcript("t"))).toThrow(
      RangeError,
    );
  });
});

describe("sumcheck over zero variables", () => {
  it("sends nothing and the sub-claim is the claim itself", () => {
    const inst = { polys: [FrVector.fromBigints([6n]), FrVector.fromBigints([7n])], terms: [{ coeff: 2n, factors: [0, 1] }] };
    const out = proveSumcheck(inst, new Transcript("z"));
    expect(out.claim).toBe(84n);
    const v = verifySumcheck(84n, 0, 2, out.proof, new Transcript("z"));
    expect(v).toEqual({ ok: true, point: [], claimedEval: 84n });
    expect(() => proveSumcheck(inst, new Transcript("z"), 85n)).toThrow(RangeError);
  });
});

describe("round polynomial interpolation", () => {
  it("interpolates through 0..d and evaluates elsewhere like the polynomial", () => {
    // g(X) = 3X^3 - 2X + 7
    const g = (x: bigint): bigint => Fr.fromSigned(3n * x ** 3n - 2n * x + 7n);
    const values = [0n, 1n, 2n, 3n].map(g);
    for (const x of [0n, 3n, 4n, 10n, P - 1n, 123456789n]) expect(interpolateAt(values, x)).toBe(Fr.fromSigned(3n * x ** 3n - 2n * x + 7n));
  });

  it("agrees with Lagrange interpolation at every degree 1..9 on pseudo-random values and points", () => {
    const lagrange = (values: bigint[], x: bigint): bigint => {
      let acc = 0n;
      values.forEach((v, i) => {
        let num = 1n;
        let den = 1n;
        values.forEach((_, j) => {
          if (j === i) return;
          num = Fr.mul(num, Fr.sub(x, BigInt(j)));
          den = Fr.mul(den, Fr.fromSigned(BigInt(i - j)));
        });
        acc = Fr.add(acc, Fr.mul(v, Fr.mul(num, Fr.inv(den))));
      });
      return acc;
    };
    let seed = 0x5eed;
    const next = (): bigint => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Fr.fromBytesWide(Uint8Array.from({ length: 64 }, (_, i) => (seed * (i + 7)) & 0xff));
    };
    for (let d = 1; d <= 9; d++) {
      const values = Array.from({ length: d + 1 }, next);
      for (const x of [BigInt(d) + 1n, P - 1n, next(), next()]) expect(interpolateAt(values, x)).toBe(lagrange(values, x));
    }
  });
});
