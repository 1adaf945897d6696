/**
 * A kernel end to end: matmul -> add(bias broadcast by gather) -> transpose (gather) -> matmul, with
 * fan-out (a sub that reads two intermediates, so claims are combined), against evalPrim; and the
 * soundness attacks: changed output value, claim at another point, every field element of the
 * proof tampered, structure tampered, wrong input, proof for another input, another transcript prefix.
 */
import { describe, expect, it } from "vitest";
import type { Prim } from "../../compiler/quant/prim.js";
import { ZkcError } from "../../compiler/errors.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { Transcript } from "../../backends/math/transcript.js";
import { proveKernel, registerKernelHook, registerLayer, verifyKernel, type PrimOf } from "../../backends/gkr/kernel.js";
import { evaluateMle } from "../../backends/math/mle.js";
import { integerTable } from "../../backends/math/layout.js";
import { countFieldElements, isField, type Claim } from "../../backends/gkr/messages.js";
import { claimHolds, cloneProof, makeKernel, makeRng, prove, randomInts, runPrims, trueClaim, verify, PROTOCOL } from "./helpers.js";

const rng = makeRng(2024);
const W1 = randomInts(rng, 6 * 5, 100);
const B1 = randomInts(rng, 5, 5000);
const W3 = randomInts(rng, 4 * 3, 100);
const prims: Prim[] = [
  { op: "matmul", a: "x", b: "w1", out: "h", batch: 1, bBatch: 1, m: 4, k: 6, n: 5 },
  { op: "gather", sources: ["b1"], out: "bb", idx: Int32Array.from({ length: 20 }, (_, o) => 4 - (o % 5)) }, // reversed: not a free map
  { op: "add", a: "h", b: "bb", out: "h2" },
  { op: "gather", sources: ["h2"], out: "t", idx: Int32Array.from({ length: 20 }, (_, o) => (o % 4) * 5 + Math.floor(o / 4)) },
  { op: "matmul", a: "t", b: "w3", out: "y", batch: 1, bBatch: 1, m: 5, k: 4, n: 3 },
  { op: "sub", a: "h2", b: "h", out: "d" },
];
const decl = {
  x: { shape: [4, 6] },
  w1: { shape: [6, 5], values: W1 },
  b1: { shape: [5], values: B1 },
  w3: { shape: [4, 3], values: W3 },
  h: { shape: [4, 5] },
  bb: { shape: [4, 5] },
  h2: { shape: [4, 5] },
  t: { shape: [5, 4] },
  y: { shape: [5, 3] },
  d: { shape: [4, 5] },
};
const kernel = makeKernel("mlp", prims, decl);
const params = new Map([["w1", W1], ["b1", B1], ["w3", W3]]);

function witness(x: Float64Array): Map<string, Float64Array> {
  return runPrims(prims, new Map([...params, ["x", x]]));
}
function outputClaims(values: Map<string, Float64Array>): Claim[] {
  return [trueClaim("y", [5, 3], values.get("y")!, 7), trueClaim("d", [4, 5], values.get("d")!, 8)];
}

const x = randomInts(rng, 24, 300);
const values = witness(x);
const claims = outputClaims(values);
const honest = prove(kernel, values, claims);

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

describe("kernel end to end", () => {
  it("proves and verifies; the only input claim (x) holds; outputs match evalPrim", () => {
    const v = verify(kernel, honest.proof, claims);
    expect(v).toMatchObject({ ok: true });
    if (!v.ok) return;
    expect(v.inputClaims.map((c) => c.tensor)).toEqual(["x"]);
    expect(claimHolds(v.inputClaims[0]!, kernel, values)).toBe(true);
    // the proof has combination steps (h and h2 each have two consumers)
    expect(honest.proof.layers.some((s) => s.combine !== undefined)).toBe(true);
  });

  it("a changed output value is rejected", () => {
    for (const i of [0, 1]) {
      const bad = claims.map((c, j) => (j === i ? { ...c, value: (c.value + 1n) % FR_MODULUS } : c));
      const v = verify(kernel, honest.proof, bad);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.reason.length).toBeGreaterThan(0);
    }
  });

  it("a claim for a different point (same value) is rejected", () => {
    const moved = [{ ...claims[0]!, point: claims[0]!.point.map((c, i) => (i === 0 ? (c + 1n) % FR_MODULUS : c)) }, claims[1]!];
    expect(verify(kernel, honest.proof, moved).ok).toBe(false);
  });

  it("every field element of the proof, tampered, is rejected with a reason", () => {
    const paths = bigintPaths(honest.proof);
    expect(paths.length).toBe(countFieldElements(honest.proof));
    expect(paths.length).toBeGreaterThan(30);
    const kinds = new Set<string>();
    for (const path of paths) {
      const bad = cloneProof(honest.proof);
      setAt(bad, path, (v) => (v + 1n) % FR_MODULUS);
      const v = verify(kernel, bad, claims);
      expect(v.ok, `tampered ${path.join(".")}`).toBe(false);
      if (!v.ok) expect(v.reason).toMatch(/./);
      kinds.add(path.filter((p) => typeof p === "string").join("."));
    }
    // each message type was hit: combination, matmul sumcheck and evals, linear evals, index-map partials/rounds/evals
    for (const k of ["layers.combine.sumcheck.rounds", "layers.combine.eval", "layers.body.sumcheck.rounds", "layers.body.aEval", "layers.body.bEval", "layers.body.evals", "layers.body.map.partials", "layers.body.map.sumchecks.rounds", "layers.body.map.evals"]) {
      expect(kinds.has(k), k).toBe(true);
    }
  });

  it("non-canonical, missing, reordered and extra proof parts are rejected", () => {
    const nonCanonical = cloneProof(honest.proof);
    setAt(nonCanonical, bigintPaths(nonCanonical)[0]!, (v) => v + FR_MODULUS);
    expect(verify(kernel, nonCanonical, claims).ok).toBe(false);
    const dropped = cloneProof(honest.proof);
    dropped.layers.pop();
    expect(verify(kernel, dropped, claims).ok).toBe(false);
    const swapped = cloneProof(honest.proof);
    [swapped.layers[0], swapped.layers[1]] = [swapped.layers[1]!, swapped.layers[0]!];
    expect(verify(kernel, swapped, claims).ok).toBe(false);
    const extra = cloneProof(honest.proof);
    extra.inputs.push(undefined);
    expect(verify(kernel, extra, claims).ok).toBe(false);
    const noCombine = cloneProof(honest.proof);
    for (const s of noCombine.layers) s.combine = undefined;
    expect(verify(kernel, noCombine, claims).ok).toBe(false);
    for (const junk of [null, 0, "proof", [], { layers: "x", hooks: {}, inputs: [] }]) expect(verify(kernel, junk, claims).ok).toBe(false);
  });

  it("a wrong input: the returned claim on x does not hold for another x", () => {
    const v = verify(kernel, honest.proof, claims);
    if (!v.ok) throw new Error(v.reason);
    const other = Float64Array.from(x, (e, i) => (i === 5 ? e + 1 : e));
    const c = v.inputClaims[0]!;
    expect(evaluateMle(integerTable(other, [4, 6]), c.point)).not.toBe(c.value);
  });

  it("a proof for another input (replayed) is rejected", () => {
    const x2 = Float64Array.from(x, (e, i) => (i === 0 ? e - 3 : e));
    const values2 = witness(x2);
    const other = prove(kernel, values2, outputClaims(values2));
    expect(verify(kernel, other.proof, outputClaims(values2)).ok).toBe(true);
    expect(verify(kernel, other.proof, claims).ok).toBe(false);
  });

  it("a proof replayed under a different transcript prefix is rejected", () => {
    const v = verify(kernel, honest.proof, claims, "bundle-2");
    expect(v.ok).toBe(false);
  });

  it("the prover refuses claims on tensors the kernel does not produce, and bad witness lengths", () => {
    expect(() => prove(kernel, values, [{ ...claims[0]!, tensor: "x" }])).toThrow(ZkcError);
    expect(() => prove(kernel, values, [{ ...claims[0]!, point: claims[0]!.point.slice(1) }])).toThrow(/malformed output claim/);
    const short = new Map(values);
    short.set("x", x.subarray(1));
    expect(() => prove(kernel, short, claims)).toThrow(/has 23 values/);
    expect(verify(kernel, honest.proof, [{ ...claims[0]!, tensor: "x" }]).ok).toBe(false);
  });

  it("a public input is discharged by the verifier, a wrong public value rejects", () => {
    const pub = makeKernel("mlp-public-x", prims, decl, new Map([["x", x]]));
    const p = prove(pub, values, claims);
    const v = verify(pub, p.proof, claims);
    expect(v).toEqual({ ok: true, inputClaims: [] });
    const wrong = makeKernel("mlp-public-x", prims, decl, new Map([["x", Float64Array.from(x, (e, i) => (i === 3 ? e + 1 : e))]]));
    const w = verify(wrong, p.proof, claims);
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.reason).toMatch(/public tensor "x"/);
    // a changed weight is a different model: rejected
    const w1 = Float64Array.from(W1, (e, i) => (i === 0 ? e + 1 : e));
    const model2 = makeKernel("mlp", prims, { ...decl, w1: { shape: [6, 5], values: w1 } });
    expect(verify(model2, honest.proof, claims).ok).toBe(false);
  });
});

describe("layer plug-in interface", () => {
  const clampPrims: Prim[] = [
    { op: "matmul", a: "x", b: "w1", out: "h", batch: 1, bBatch: 1, m: 4, k: 6, n: 5 },
    { op: "clamp", in: "h", out: "c", lo: -2000, hi: 2000 },
  ];
  const clampDecl = { x: { shape: [4, 6] }, w1: { shape: [6, 5], values: W1 }, h: { shape: [4, 5] }, c: { shape: [4, 5] } };
  const clampKernel = makeKernel("clamp", clampPrims, clampDecl);
  const clampValues = runPrims(clampPrims, new Map([["w1", W1], ["x", x]]));
  const clampClaim = trueClaim("c", [4, 5], clampValues.get("c")!, 3);

  it("a kernel with a non-linear primitive and no registered layer gives a clear error", () => {
    expect(() => prove(clampKernel, clampValues, [clampClaim])).toThrow(/primitive 1 \(clamp -> "c"\) has no GKR layer.*nonlinear/);
    const v = verifyKernel(clampKernel, { layers: [], hooks: {}, inputs: [] }, [clampClaim], new Transcript(PROTOCOL));
    expect(v.ok).toBe(false);
  });

  it("a registered plug-in runs: claims on auxiliary tensors pass through, hooks prove and verify", () => {
    // Toy clamp layer: c = h + delta with delta an auxiliary (committed elsewhere) tensor.
    registerLayer<"clamp">({
      op: "clamp",
      prover: {
        prove(p: PrimOf<"clamp">, claim, ctx) {
          const hv = evaluateMle(ctx.table(p.in), claim.point);
          ctx.transcript.absorbField("toy/clamp", hv);
          ctx.scratch.set("toy/count", ((ctx.scratch.get("toy/count") as number | undefined) ?? 0) + 1);
          const delta = (claim.value - hv + FR_MODULUS) % FR_MODULUS;
          return { proof: { hv }, claims: [{ tensor: p.in, point: claim.point, value: hv }, { tensor: `aux:${p.out}`, point: claim.point, value: delta }] };
        },
      },
      verifier: {
        verify(p, claim, proof, ctx) {
          const hv = (proof as { hv?: unknown } | null)?.hv;
          if (!isField(hv)) return { ok: false, reason: "toy clamp: malformed" };
          ctx.transcript.absorbField("toy/clamp", hv);
          ctx.scratch.set("toy/count", ((ctx.scratch.get("toy/count") as number | undefined) ?? 0) + 1);
          return { ok: true, claims: [{ tensor: p.in, point: claim.point, value: hv }, { tensor: `aux:${p.out}`, point: claim.point, value: (claim.value - hv + FR_MODULUS) % FR_MODULUS }] };
        },
      },
    });
    registerKernelHook({
      name: "toy/count",
      prove: (ctx) => (ctx.scratch.has("toy/count") ? { proof: BigInt(ctx.scratch.get("toy/count") as number), claims: [] } : undefined),
      verify: (proof, ctx) => (ctx.scratch.has("toy/count") ? (proof === BigInt(ctx.scratch.get("toy/count") as number) ? { ok: true, claims: [] } : { ok: false, reason: "count differs" }) : undefined),
    });
    const p = prove(clampKernel, clampValues, [clampClaim]);
    const v = verify(clampKernel, p.proof, [clampClaim]);
    expect(v).toMatchObject({ ok: true });
    if (!v.ok) return;
    expect(v.inputClaims.map((c) => c.tensor).sort()).toEqual(["aux:c", "x"]);
    const aux = v.inputClaims.find((c) => c.tensor === "aux:c")!;
    const delta = Float64Array.from(clampValues.get("c")!, (cv, i) => cv - clampValues.get("h")![i]!);
    expect(evaluateMle(integerTable(delta, [4, 5]), aux.point)).toBe(aux.value);
    const badHook = cloneProof(p.proof);
    badHook.hooks["toy/count"] = 2n;
    expect(verify(clampKernel, badHook, [clampClaim])).toMatchObject({ ok: false, reason: expect.stringMatching(/toy\/count: count differs/) });
    // the hook is idle for kernels without the plug-in's primitive, and a stray hook proof is refused
    const plain = cloneProof(honest.proof);
    plain.hooks["toy/count"] = 1n;
    expect(verify(kernel, honest.proof, claims).ok).toBe(true);
    expect(verify(kernel, plain, claims).ok).toBe(false);
  });
});

describe("transcript discipline", () => {
  it("prover and verifier end in the same transcript state; it depends on the proof", () => {
    const tp = new Transcript(PROTOCOL);
    const p = proveKernel(kernel, values, claims, tp);
    const tv = new Transcript(PROTOCOL);
    expect(verifyKernel(kernel, p.proof, claims, tv).ok).toBe(true);
    expect(tv.digest()).toEqual(tp.digest());
  });
});

describe("prover errors", () => {
  it("a false output claim or a witness that the primitives did not produce is refused with a ZkcError naming the primitive", () => {
    const bad = [{ ...claims[0]!, value: (claims[0]!.value + 1n) % FR_MODULUS }, claims[1]!];
    expect(() => proveKernel(kernel, values, bad, new Transcript(PROTOCOL))).toThrow(/primitive 4 \(matmul -> "y"\)/);
    const forged = new Map(values);
    forged.set("h", Float64Array.from(values.get("h")!, (v, i) => (i === 0 ? v + 1 : v)));
    let err: unknown;
    try {
      proveKernel(kernel, forged, claims, new Transcript(PROTOCOL));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZkcError);
  });
});
