/**
 * Whole-bundle soundness (DESIGN §4.6) on a mixed plan: a tiny classifier whose two Gemm kernels go
 * to GKR and whose ArgMax goes to Groth16 (auto mode), public input and outputs. The logits are
 * both a public output and the Groth16 kernel's input (two claims on one tensor, combined).
 * Every attack is a real proof edited the way an attacker would; the verifier must reject each with
 * a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { verify } from "../../runtime/verify.js";
import { manifestDigest, parseManifest, sha256Hex, type Manifest } from "../../runtime/manifest.js";
import { toHex } from "../../runtime/link/codec.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { bumpHex, clone, compile, fieldSlots, filesOf, flipB64, proveJson, tinyClassifier, type TestModel } from "./helpers.js";

type Json = Record<string, any>;

let model: TestModel;
let compiled: CompiledModel;
let proofA: Json;
let proofB: Json;
const inputB = { x: [0.9, -0.7, 0.2, 0.55, -0.95, 0.3] };

beforeAll(async () => {
  model = tinyClassifier(1);
  compiled = await compile(model, { backend: "auto" });
  proofA = (await proveJson(compiled, model.input)).json;
  proofB = (await proveJson(compiled, inputB)).json;
}, 300_000);

afterAll(async () => {
  await terminateSnarkjs();
});

async function check(proof: unknown, manifest: Manifest | unknown = compiled.manifest, files = filesOf(compiled)) {
  return verify(manifest, proof, files);
}

async function expectReject(proof: unknown, manifest?: unknown, files?: (n: string) => Promise<Uint8Array>): Promise<string> {
  const v = await check(proof, manifest, files);
  expect(v.ok).toBe(false);
  const reason = v.ok ? "" : v.reason;
  expect(reason.length).toBeGreaterThan(5);
  return reason;
}

describe("mixed plan (gkr, gkr, groth16)", () => {
  it("plans GKR for the Gemm kernels and Groth16 for ArgMax, with reasons", () => {
    const kernels = compiled.manifest.kernels;
    expect(kernels.map((k) => k.backend)).toEqual(["gkr", "gkr", "groth16"]);
    expect(compiled.plan[2]!.reason).toMatch(/argmax has no GKR layer/);
    expect(compiled.plan[0]!.reason).toMatch(/cheaper: gkr [0-9.]+ s, .* vs groth16 [0-9.]+ s/);
    // the logits cross into the Groth16 kernel: their Poseidon commitment is in the statement
    expect(compiled.manifest.committedTensors.length).toBe(2);
  });

  it("accepts honest proofs; outputs are the integer program's", async () => {
    for (const [proof, input] of [
      [proofA, model.input],
      [proofB, inputB],
    ] as const) {
      const v = await check(proof);
      if (!v.ok) throw new Error(v.reason);
      const p = model.calibration.program;
      const values = runProgram(p, new Map([["x", quantiseInput(p, "x", input.x).values]]));
      for (const o of v.outputs) expect(o.integers).toEqual(Array.from(values.get(o.name)!));
      // the label is the argmax of the logits
      const logits = v.outputs[0]!.integers!;
      expect(v.outputs[1]!.integers![0]).toBe(logits.indexOf(Math.max(...logits)));
    }
    expect(proofA.kernels).not.toEqual(proofB.kernels);
    // the verifier needs no proving key (only program, weights and verification keys)
    const noZkeys = async (n: string) => {
      if (n.endsWith(".zkey")) throw new Error("the verifier must not read proving keys");
      return filesOf(compiled)(n);
    };
    expect((await check(proofA, compiled.manifest, noZkeys)).ok).toBe(true);
    // nor a side file it does need
    const noVkeys = async (n: string) => {
      if (n.endsWith(".vkey.json")) throw new Error("missing");
      return filesOf(compiled)(n);
    };
    expect(await expectReject(proofA, compiled.manifest, noVkeys)).toMatch(/verification key/);
  });

  it("rejects a changed output (integer, float, label)", async () => {
    const a = clone(proofA);
    a.outputs[0].integers[1] += 1;
    a.outputs[0].floats[1] = a.outputs[0].integers[1] * 2 ** -a.outputs[0].floats.length; // keep it plausible
    await expectReject(a);
    const b = clone(proofA);
    b.outputs[0].integers[1] += 1;
    b.outputs[0].floats[1] = b.outputs[0].integers[1] * 2 ** -compiled.manifest.quantisation.outputs[0]!.scale;
    expect(await expectReject(b)).not.toMatch(/dequantised/);
    const c = clone(proofA);
    c.outputs[0].floats[0] += 0.5;
    expect(await expectReject(c)).toMatch(/dequantised/);
    const d = clone(proofA);
    d.outputs[1].integers[0] = (d.outputs[1].integers[0] + 1) % 4;
    d.outputs[1].floats[0] = d.outputs[1].integers[0];
    await expectReject(d);
  });

  it("rejects a changed input", async () => {
    const a = clone(proofA);
    a.inputs[0].integers[2] += 1;
    await expectReject(a);
    const b = clone(proofA);
    b.inputs[0].integers[0] = -b.inputs[0].integers[0] || 5;
    await expectReject(b);
  });

  it("rejects a changed field element in every kernel proof", async () => {
    for (const [k, entry] of (proofA.kernels as Json[]).entries()) {
      const slots = fieldSlots(entry);
      expect(slots.length).toBeGreaterThan(0);
      // up to 10 elements spread over the proof part, always the first and the last
      const picks = [...new Set(Array.from({ length: Math.min(10, slots.length) }, (_, i) => Math.round((i * (slots.length - 1)) / Math.max(1, Math.min(10, slots.length) - 1))))];
      for (const i of picks) {
        const bad = clone(proofA);
        const s = fieldSlots(bad.kernels[k])[i]!;
        s.set(bumpHex(s.get()));
        const reason = await expectReject(bad);
        expect(reason, `kernel ${k} slot ${s.path}`).toBeTruthy();
      }
    }
  });

  it("rejects a flipped byte in every GKR commitment", async () => {
    let n = 0;
    for (const [k, entry] of (proofA.kernels as Json[]).entries()) {
      if (entry.backend !== "gkr") continue;
      for (const [j, prim] of (entry.commitments.prims as Json[]).entries()) {
        for (let c = 0; c < prim.commitments.length; c++) {
          const bad = clone(proofA);
          bad.kernels[k].commitments.prims[j].commitments[c] = flipB64(prim.commitments[c], 7 + c);
          await expectReject(bad);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(0);
  });

  it("rejects a changed tensor commitment (Poseidon) and a changed Groth16 proof or public signal", async () => {
    for (let i = 0; i < proofA.commitments.length; i++) {
      const bad = clone(proofA);
      bad.commitments[i].value = bumpHex(bad.commitments[i].value);
      await expectReject(bad);
    }
    const g = (proofA.kernels as Json[]).findIndex((k) => k.backend === "groth16");
    const coords: [string, number[]][] = [
      ["pi_a", [0]],
      ["pi_a", [1]],
      ["pi_b", [0, 0]],
      ["pi_b", [0, 1]],
      ["pi_b", [1, 0]],
      ["pi_b", [1, 1]],
      ["pi_c", [0]],
      ["pi_c", [1]],
    ];
    for (const [key, path] of coords) {
      const bad = clone(proofA);
      let holder = bad.kernels[g].groth16[key];
      for (const p of path.slice(0, -1)) holder = holder[p];
      const last = path[path.length - 1]!;
      holder[last] = (BigInt(holder[last]) ^ 1n).toString();
      await expectReject(bad);
    }
    for (let i = 0; i < proofA.kernels[g].publicSignals.length; i++) {
      const bad = clone(proofA);
      bad.kernels[g].publicSignals[i] = (BigInt(bad.kernels[g].publicSignals[i]) + 1n).toString();
      expect(await expectReject(bad)).toMatch(/public signals/);
    }
  });

  it("rejects a changed boundary claim (every value and a point coordinate)", async () => {
    expect(proofA.claims.length).toBeGreaterThan(0);
    for (let i = 0; i < proofA.claims.length; i++) {
      const bad = clone(proofA);
      bad.claims[i].value = bumpHex(bad.claims[i].value);
      expect(await expectReject(bad)).toMatch(/boundary claim/);
      const bad2 = clone(proofA);
      bad2.claims[i].point[0] = bumpHex(bad2.claims[i].point[0]);
      await expectReject(bad2);
    }
  });

  it("rejects a proof for another model, even with the digest field rewritten", async () => {
    const other = tinyClassifier(2);
    const otherCompiled = await compile(other, { backend: "auto" });
    const foreign = (await proveJson(otherCompiled, other.input)).json;
    expect((await verify(otherCompiled.manifest, foreign, filesOf(otherCompiled))).ok).toBe(true);
    expect(await expectReject(foreign)).toMatch(/another manifest/);
    const relabelled = clone(foreign);
    relabelled.manifestDigest = proofA.manifestDigest;
    await expectReject(relabelled);
  }, 300_000);

  it("rejects a proof replayed with another input (and with another input's outputs)", async () => {
    const replay = clone(proofA);
    replay.inputs = clone(proofB.inputs);
    await expectReject(replay);
    replay.outputs = clone(proofB.outputs);
    await expectReject(replay);
    // B's statement with A's commitments and claims
    const mixed = clone(proofB);
    mixed.commitments = clone(proofA.commitments);
    mixed.claims = clone(proofA.claims);
    await expectReject(mixed);
  });

  it("rejects swapped or reordered kernel proofs: the kernels share one transcript", async () => {
    for (let k = 0; k < proofA.kernels.length; k++) {
      const swapped = clone(proofA);
      swapped.kernels[k] = clone(proofB.kernels[k]);
      await expectReject(swapped);
    }
    // only the non-linear commitments of one kernel swapped (they are absorbed before any challenge)
    const commits = clone(proofA);
    commits.kernels[0].commitments = clone(proofB.kernels[0].commitments);
    await expectReject(commits);
    const reordered = clone(proofA);
    [reordered.kernels[0], reordered.kernels[1]] = [reordered.kernels[1], reordered.kernels[0]];
    await expectReject(reordered);
  });

  it("rejects altered weights: file, file + manifest digest, and a proof relabelled for that manifest", async () => {
    const files = new Map(compiled.files);
    const weights = Uint8Array.from(files.get("weights.bin")!);
    weights[3]! ^= 0x10; // a low mantissa bit of the first weight: still a float, another integer
    files.set("weights.bin", weights);
    const reader = async (n: string) => files.get(n)!;
    expect(await expectReject(proofA, compiled.manifest, reader)).toMatch(/weights file does not match/);
    const altered = parseManifest(clone(compiled.manifest));
    altered.weights.digest = sha256Hex(weights);
    const r = await check(proofA, altered, reader);
    expect(r.ok).toBe(false);
    const relabelled = clone(proofA);
    relabelled.manifestDigest = toHex(manifestDigest(altered));
    const r2 = await check(relabelled, altered, reader);
    expect(r2.ok).toBe(false);
  });

  it("returns a reason, never throws, on malformed proofs", async () => {
    for (const bad of [42, null, "{", {}, { ...clone(proofA), kernels: null }, { ...clone(proofA), claims: [{}] }, { ...clone(proofA), format: "x" }]) {
      await expectReject(bad);
    }
    const bad = clone(proofA);
    bad.kernels[0].proof = { layers: "nope" };
    await expectReject(bad);
    const bad2 = clone(proofA);
    bad2.kernels[0].proof.layers[0].body = 7;
    await expectReject(bad2);
  });
});
