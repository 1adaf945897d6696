/**
 * Kernels cut from a real integer program (ProgramBuilder + runProgram, the witness generator):
 * the whole program as one kernel, and the same program as two kernels linked by claims on one
 * transcript (the second kernel's input claims become the first kernel's output claims).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, ProgramBuilder } from "../../compiler/quant/builder.js";
import { runProgram } from "../../runtime/witness.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { Transcript } from "../../backends/math/transcript.js";
import { claimOnPublic, kernelInputs, kernelOf, proveKernel, verifyKernel, type Kernel } from "../../backends/gkr/kernel.js";
import { ZkcError } from "../../compiler/errors.js";
import type { Claim } from "../../backends/gkr/messages.js";
import { claimHolds, makeRng, trueClaim, PROTOCOL } from "./helpers.js";

function program() {
  const rng = makeRng(5);
  const real = (n: number) => Float64Array.from({ length: n }, () => (rng.below(2001) - 1000) / 1000);
  const q = new ProgramBuilder(DEFAULT_CONFIG);
  const x = q.input("x", [3, 8], 8, 512);
  const w = q.param("w", [8, 4], real(32), 8);
  const y = q.matmul(x, w, { batch: 1, bBatch: 1, m: 3, k: 8, n: 4 }, [3, 4]);
  const bias = q.param("bias", [4], real(4), 16);
  const biasB = q.gather([bias], [3, 4], Int32Array.from({ length: 12 }, (_, i) => i % 4));
  const z = q.addT(y, biasB);
  const sq = q.mulT(z, z);
  const s = q.reduceSum(sq, 1, 3, 4, [4]);
  const t = q.scaleBy(s, -3);
  q.markOutput(t);
  q.markOutput(z);
  const prog = q.program();
  const xs = Float64Array.from({ length: 24 }, () => rng.below(1025) - 512);
  return { prog, values: runProgram(prog, new Map([["x", xs]])) };
}

const { prog, values } = program();
const shape = (k: Kernel, t: string) => k.tensors.get(t)!.shape;

describe("kernels from a QProgram", () => {
  it("the whole program is one kernel; the claim on x holds", () => {
    const k = kernelOf(prog, 0, prog.prims.length, { name: "all" });
    expect(kernelInputs(k)).toContain("x");
    const claims = prog.outputs.map((o, i) => trueClaim(o, shape(k, o), values.get(o)!, 20 + i));
    const p = proveKernel(k, values, claims, new Transcript(PROTOCOL), { checkClaims: true });
    const v = verifyKernel(k, p.proof, claims, new Transcript(PROTOCOL));
    expect(v).toMatchObject({ ok: true });
    if (!v.ok) return;
    expect(v.inputClaims.map((c) => c.tensor)).toEqual(["x"]);
    expect(claimHolds(v.inputClaims[0]!, k, values)).toBe(true);
  });

  it("two kernels linked by claims on one transcript; a tampered link is rejected", () => {
    const cut = 3; // [matmul, gather, add] | [mul, reduceSum, scale]
    const k1 = kernelOf(prog, 0, cut, { name: "k1" });
    const k2 = kernelOf(prog, cut, prog.prims.length, { name: "k2" });
    const outT = prog.outputs[0]!;
    const outZ = prog.outputs[1]!;
    // prover: k2 first (claims flow backward), then k1 with k2's input claims plus the claim on z
    const tp = new Transcript(PROTOCOL);
    const c2 = [trueClaim(outT, shape(k2, outT), values.get(outT)!, 31)];
    const p2 = proveKernel(k2, values, c2, tp);
    const c1: Claim[] = [...p2.inputClaims, trueClaim(outZ, shape(k1, outZ), values.get(outZ)!, 32)];
    const p1 = proveKernel(k1, values, c1, tp);
    // verifier
    const tv = new Transcript(PROTOCOL);
    const v2 = verifyKernel(k2, p2.proof, c2, tv);
    expect(v2.ok).toBe(true);
    if (!v2.ok) return;
    expect(v2.inputClaims.map((c) => c.tensor)).toEqual([outZ]);
    const v1 = verifyKernel(k1, p1.proof, [...v2.inputClaims, c1[1]!], tv);
    expect(v1).toMatchObject({ ok: true });
    if (!v1.ok) return;
    expect(claimHolds(v1.inputClaims[0]!, k1, values)).toBe(true);
    // a wrong link value (k2's input claim altered) makes k1 reject
    const tv2 = new Transcript(PROTOCOL);
    const w2 = verifyKernel(k2, p2.proof, c2, tv2);
    if (!w2.ok) throw new Error(w2.reason);
    const bent = w2.inputClaims.map((c) => ({ ...c, value: (c.value + 1n) % FR_MODULUS }));
    expect(verifyKernel(k1, p1.proof, [...bent, c1[1]!], tv2).ok).toBe(false);
  });
});

describe("kernel construction and public claims", () => {
  it("kernelOf refuses empty or out-of-range slices; public inputs become publicValues", () => {
    expect(() => kernelOf(prog, 2, 2)).toThrow(ZkcError);
    expect(() => kernelOf(prog, 0, prog.prims.length + 1)).toThrow(/not a non-empty slice/);
    const k = kernelOf(prog, 0, 1, { publicInputs: new Map([["x", values.get("x")!]]) });
    expect(k.publicValues?.has("x")).toBe(true);
    expect(k.prims).toHaveLength(1);
  });

  it("claimOnPublic: same point on both sides, true value, and a proof starting from it verifies", () => {
    const k = kernelOf(prog, 0, prog.prims.length, { name: "all" });
    const out = prog.outputs[0]!;
    const shape = k.tensors.get(out)!.shape;
    const tp = new Transcript(PROTOCOL);
    const c = claimOnPublic(out, shape, values.get(out)!, tp);
    expect(claimHolds(c, k, values)).toBe(true);
    const p = proveKernel(k, values, [c], tp);
    const tv = new Transcript(PROTOCOL);
    const cv = claimOnPublic(out, shape, values.get(out)!, tv);
    expect(cv).toEqual(c);
    expect(verifyKernel(k, p.proof, [cv], tv).ok).toBe(true);
    // another public output gives another point (the values are absorbed before the point is drawn)
    const other = Float64Array.from(values.get(out)!, (v, i) => (i === 0 ? v + 1 : v));
    expect(claimOnPublic(out, shape, other, new Transcript(PROTOCOL)).point).not.toEqual(c.point);
  });
});
