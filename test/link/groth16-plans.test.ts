/**
 * Plans with Groth16 kernels: all-Groth16 with hashed input and outputs (commit kernels bind the
 * published Poseidon hashes to the claims), GKR with a hashed input (the commit kernel discharges
 * the GKR kernels' claims on it), and a forced GKR -> Groth16 -> GKR plan.
 */
import { afterAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { poseidonCommitTensor } from "../../backends/math/poseidon.js";
import { verify } from "../../runtime/verify.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { fieldsOf } from "../../runtime/link/model.js";
import { bumpHex, clone, compile, fieldSlots, filesOf, proveJson, tinyClassifier, type TestModel } from "./helpers.js";

type Json = Record<string, any>;

afterAll(async () => {
  await terminateSnarkjs();
});

function programValues(m: TestModel, x: number[]) {
  const p = m.calibration.program;
  return runProgram(p, new Map([["x", quantiseInput(p, "x", x).values]]));
}

describe("Groth16 plans", () => {
  it("all-Groth16, hashed input and outputs: verifies; the hashes are the outputs' Poseidon commitments; tampering is rejected", async () => {
    const m = tinyClassifier(3);
    // every kernel forced to Groth16 (--backend groth16 is whole-model mode, which has no hashed I/O)
    const c = await compile(m, { backend: "gkr", overrides: { k0: "groth16", k1: "groth16", k2: "groth16" }, inputVisibility: "hashed", outputVisibility: "hashed" });
    expect(c.manifest.kernels.map((k) => k.kind)).toEqual(["hash-input", "prims", "prims", "prims", "hash-output", "hash-output"]);
    expect(c.manifest.kernels.every((k) => k.backend === "groth16")).toBe(true);
    expect(c.manifest.developmentPtau).toBe(false); // keys from the local random ceremony, not the insecure seeded one
    const { json, bundle } = await proveJson(c, m.input);
    expect(JSON.stringify(json)).not.toContain('"integers"'); // nothing but hashes is public
    // the prover's caller still gets the hashed outputs' values
    expect(bundle.hashedOutputs.map((o) => o.onnxName)).toEqual(["logits", "label"]);
    const v = await verify(c.manifest, json, filesOf(c));
    if (!v.ok) throw new Error(v.reason);
    const values = programValues(m, m.input.x!);
    for (const o of v.outputs) expect(o.hash).toBe(poseidonCommitTensor(fieldsOf(values.get(o.name)!)).toString());
    const files = filesOf(c);
    const outHash = clone(json);
    outHash.outputs[1].hash = bumpHex(outHash.outputs[1].hash);
    expect((await verify(c.manifest, outHash, files)).ok).toBe(false);
    const inHash = clone(json);
    inHash.inputs[0].hash = bumpHex(inHash.inputs[0].hash);
    expect((await verify(c.manifest, inHash, files)).ok).toBe(false);
    // the value of k0's claim on the input (it flows to the commit kernel), and an intermediate commitment
    const claimValue = clone(json);
    const slot = fieldSlots(claimValue.kernels[1].inputClaims)[0]!;
    slot.set(bumpHex(slot.get()));
    expect((await verify(c.manifest, claimValue, files)).ok).toBe(false);
    const commitment = clone(json);
    commitment.commitments[0].value = bumpHex(commitment.commitments[0].value);
    expect((await verify(c.manifest, commitment, files)).ok).toBe(false);
    // a proof of another input with this input's hash
    const other = (await proveJson(c, { x: m.input.x!.map((v) => -v) })).json;
    const replay = clone(other);
    replay.inputs = clone(json.inputs);
    expect((await verify(c.manifest, replay, files)).ok).toBe(false);
  }, 300_000);

  it("GKR kernels with a hashed input: the commit kernel discharges their claims", async () => {
    const m = tinyClassifier(4, false);
    const c = await compile(m, { backend: "gkr", inputVisibility: "hashed" });
    expect(c.manifest.kernels.map((k) => `${k.kind}:${k.backend}`)).toEqual(["hash-input:groth16", "prims:gkr", "prims:gkr"]);
    const { json } = await proveJson(c, m.input);
    const v = await verify(c.manifest, json, filesOf(c));
    if (!v.ok) throw new Error(v.reason);
    expect(v.outputs[0]!.integers).toEqual(Array.from(programValues(m, m.input.x!).get(v.outputs[0]!.name)!));
    const bad = clone(json);
    bad.inputs[0].hash = bumpHex(bad.inputs[0].hash);
    expect((await verify(c.manifest, bad, filesOf(c))).ok).toBe(false);
    // the combination of the GKR claims inside the commit kernel's entry
    const comb = clone(json);
    const slots = fieldSlots(comb.kernels[0].inputClaims);
    if (slots.length) {
      slots[0]!.set(bumpHex(slots[0]!.get()));
      expect((await verify(c.manifest, comb, filesOf(c))).ok).toBe(false);
    }
  }, 300_000);

  it("forced GKR -> Groth16 -> GKR plan: the claim chain passes through the Groth16 kernel", async () => {
    const m = tinyClassifier(5, false, 3);
    const c = await compile(m, { backend: "gkr", overrides: { k1: "groth16" } });
    expect(c.manifest.kernels.map((k) => k.backend)).toEqual(["gkr", "groth16", "gkr"]);
    expect(c.plan[1]!.reason).toMatch(/^override: forced groth16/);
    const { json } = await proveJson(c, m.input);
    const files = filesOf(c);
    const v = await verify(c.manifest, json, files);
    if (!v.ok) throw new Error(v.reason);
    expect(v.outputs[0]!.integers).toEqual(Array.from(programValues(m, m.input.x!).get(v.outputs[0]!.name)!));
    // the claim the Groth16 kernel passes to k0, and its output claim from k2
    const g = json.kernels[1] as Json;
    for (const i of [0, g.publicSignals.length - 1]) {
      const bad = clone(json);
      bad.kernels[1].publicSignals[i] = (BigInt(bad.kernels[1].publicSignals[i]) + 1n).toString();
      expect((await verify(c.manifest, bad, files)).ok).toBe(false);
    }
    const second = (await proveJson(c, { x: m.input.x!.map((v) => v / 2) })).json;
    for (const k of [0, 1, 2]) {
      const swapped = clone(json);
      swapped.kernels[k] = clone(second.kernels[k]);
      expect((await verify(c.manifest, swapped, files)).ok, `kernel ${k} swapped`).toBe(false);
    }
  }, 300_000);
});
