/**
 * Independent linking (runtime/link/independent.ts): each kernel on its own transcript from one
 * root, boundary tensors committed and opened. A plan with GKR kernels, a Groth16 ArgMax kernel
 * and a hashed input's commit kernel verifies; the proof is the same whatever order the kernels
 * are proven in; every part of the new proof data is tamper-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { prove } from "../../runtime/prove.js";
import { serializeProof } from "../../runtime/proof.js";
import { parseProofBinary, serializeProofBinary } from "../../runtime/proof-binary.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { verify } from "../../runtime/verify.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { bumpHex, clone, compile, filesOf, flipB64, tinyClassifier, type Json } from "./helpers.js";

describe("independent kernel proofs", () => {
  const m = tinyClassifier(5, true, 3);
  let c: CompiledModel;
  let proof: Json;
  const rejected = async (p: Json, reason?: RegExp) => {
    const v = await verify(c.manifest, p, filesOf(c));
    expect(v.ok).toBe(false);
    if (!v.ok && reason) expect(v.reason).toMatch(reason);
  };

  beforeAll(async () => {
    c = await compile(m, { linking: "independent", inputVisibility: "hashed" });
    proof = JSON.parse(serializeProof(await prove(c.manifest, filesOf(c), m.input))) as Json;
  }, 300_000);
  afterAll(terminateSnarkjs);

  it("plans GKR, Groth16 and a commit kernel, and verifies", async () => {
    expect(c.manifest.linking).toBe("independent");
    expect(new Set(c.manifest.kernels.map((k) => k.backend))).toEqual(new Set(["gkr", "groth16"]));
    expect(c.manifest.kernels[0]!.kind).toBe("hash-input");
    // the hashed input and the activations between kernels are committed; the public logits are not
    expect(proof.boundary.map((b: Json) => b.tensor)).toContain("x");
    expect(proof.boundary.map((b: Json) => b.tensor)).not.toContain(c.manifest.quantisation.outputs[0]!.name);
    expect(await verify(c.manifest, proof, filesOf(c))).toMatchObject({ ok: true });
    const isolated = await prove(c.manifest, filesOf(c), m.input, { isolateKernels: true });
    expect(await verify(c.manifest, serializeProof(isolated), filesOf(c))).toMatchObject({ ok: true });
    // Groth16 and commit kernels on worker threads too
    const pooled = await prove(c.manifest, filesOf(c), m.input, { workers: 2 });
    expect(await verify(c.manifest, serializeProof(pooled), filesOf(c))).toMatchObject({ ok: true });
  }, 120_000);

  it("is the same proof whatever order the kernels are proven in", async () => {
    // all-GKR, so that the proof is deterministic (snarkjs randomises Groth16 proofs, and each is absorbed)
    const g = tinyClassifier(5, false, 3);
    const cg = await compile(g, { linking: "independent", backend: "gkr" });
    const n = cg.manifest.kernels.length;
    expect(n).toBeGreaterThanOrEqual(3);
    const forward = serializeProof(await prove(cg.manifest, filesOf(cg), g.input));
    const reversed = serializeProof(await prove(cg.manifest, filesOf(cg), g.input, { kernelOrder: Array.from({ length: n }, (_, i) => n - 1 - i) }));
    expect(reversed).toBe(forward);
    // each kernel proven from plain data only, on a fresh transcript, as a worker would
    const isolated = serializeProof(await prove(cg.manifest, filesOf(cg), g.input, { isolateKernels: true }));
    expect(isolated).toBe(forward);
    // and on a pool of two worker threads
    const pooled = serializeProof(await prove(cg.manifest, filesOf(cg), g.input, { workers: 2 }));
    expect(pooled).toBe(forward);
    expect(await verify(cg.manifest, reversed, filesOf(cg))).toMatchObject({ ok: true });
    await expect(prove(cg.manifest, filesOf(cg), g.input, { kernelOrder: [0, 0, 1] })).rejects.toThrow(/kernelOrder/);
  }, 120_000);

  it("round-trips through proof.bin (openings and fresh values in its extras section)", async () => {
    const bundle = await prove(c.manifest, filesOf(c), m.input);
    const bin = serializeProofBinary(bundle, defaultVerifiers);
    const back = parseProofBinary(bin, defaultVerifiers);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.proof.boundary?.length).toBe(bundle.boundary!.length);
    expect(await verify(c.manifest, bin, filesOf(c))).toMatchObject({ ok: true });
    // a flipped byte in the extras section (the file's tail) is rejected
    const bad = bin.slice();
    bad[bad.length - 40]! ^= 1;
    expect((await verify(c.manifest, bad, filesOf(c))).ok).toBe(false);
  }, 120_000);

  it("rejects a changed commitment, fresh value, opening or combination", async () => {
    const bad1 = clone(proof);
    bad1.boundary[0].commitment = flipB64(bad1.boundary[0].commitment, 40);
    await rejected(bad1);
    const bad2 = clone(proof);
    bad2.freshClaims[0].value = bumpHex(bad2.freshClaims[0].value);
    await rejected(bad2);
    const bad3 = clone(proof);
    bad3.boundary[bad3.boundary.length - 1].opening.combined[0] = bumpHex(bad3.boundary[bad3.boundary.length - 1].opening.combined[0]);
    await rejected(bad3);
    const withCombine = proof.boundary.findIndex((b: Json) => b.combine);
    expect(withCombine).toBeGreaterThanOrEqual(0);
    const bad4 = clone(proof);
    bad4.boundary[withCombine].combine.eval = bumpHex(bad4.boundary[withCombine].combine.eval);
    await rejected(bad4);
  });

  it("rejects missing or reordered openings, extra fresh values, and a changed output", async () => {
    const drop = clone(proof);
    drop.boundary.pop();
    await rejected(drop, /boundary openings/);
    const swap = clone(proof);
    [swap.boundary[0], swap.boundary[1]] = [swap.boundary[1], swap.boundary[0]];
    await rejected(swap, /boundary openings/);
    const extra = clone(proof);
    extra.freshClaims.push(clone(extra.freshClaims[0]));
    await rejected(extra, /fresh claim/);
    const none = clone(proof);
    delete none.boundary;
    await rejected(none, /boundary openings/);
    const out = clone(proof);
    out.outputs[0].integers[0] += 1;
    out.outputs[0].floats[0] = out.outputs[0].integers[0] * 2 ** -c.manifest.quantisation.outputs[0]!.scale;
    await rejected(out);
  });

  it("a chained manifest refuses a proof with openings, and the modes do not mix", async () => {
    const chained = await compile(m, { inputVisibility: "hashed" });
    const p = JSON.parse(serializeProof(await prove(chained.manifest, filesOf(chained), m.input))) as Json;
    expect(await verify(chained.manifest, p, filesOf(chained))).toMatchObject({ ok: true });
    const mixed = clone(p);
    mixed.boundary = proof.boundary;
    mixed.freshClaims = proof.freshClaims;
    expect((await verify(chained.manifest, mixed, filesOf(chained))).ok).toBe(false);
    // the independent proof against the chained manifest: another manifest digest
    expect((await verify(chained.manifest, proof, filesOf(chained))).ok).toBe(false);
  }, 120_000);
});
