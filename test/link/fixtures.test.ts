/**
 * Fixture models end to end: lenet (conv, pool, dense: 5 kernels) and the transformer block
 * (layer norm, attention with softmax, GELU: lookups and divisions) in GKR mode, mlp in auto mode.
 */
import { afterAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { verify } from "../../runtime/verify.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { bumpHex, clone, compile, fieldSlots, filesOf, fixtureModel, proveJson } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

describe("fixtures end to end", () => {
  it("lenet in gkr mode: 5 kernels verify; outputs are the integer program's; a tampered middle kernel is rejected", async () => {
    const m = fixtureModel("lenet");
    const c = await compile(m, { backend: "gkr" });
    expect(c.manifest.kernels.length).toBe(5);
    const { json } = await proveJson(c, m.input);
    const v = await verify(c.manifest, json, filesOf(c));
    if (!v.ok) throw new Error(v.reason);
    const p = m.calibration.program;
    const name = p.inputs[0]!;
    const values = runProgram(p, new Map([[name, quantiseInput(p, name, m.input.input!).values]]));
    expect(v.outputs[0]!.integers).toEqual(Array.from(values.get(p.outputs[0]!)!));
    const bad = clone(json);
    const slots = fieldSlots(bad.kernels[2].proof);
    slots[Math.floor(slots.length / 3)]!.set(bumpHex(slots[Math.floor(slots.length / 3)]!.get()));
    expect((await verify(c.manifest, bad, filesOf(c))).ok).toBe(false);
  }, 300_000);

  it("mlp in auto mode: the cost model picks GKR for both layers; proof verifies, a changed output does not", async () => {
    const m = fixtureModel("mlp");
    const c = await compile(m, { backend: "auto" });
    expect(c.plan.map((r) => r.backend)).toEqual(["gkr", "gkr"]);
    for (const r of c.plan) expect(r.reason).toMatch(/^cheaper: gkr/);
    const { json } = await proveJson(c, m.input);
    expect((await verify(c.manifest, json, filesOf(c))).ok).toBe(true);
    const bad = clone(json);
    bad.outputs[0].integers[0] += 1;
    bad.outputs[0].floats[0] = bad.outputs[0].integers[0] * 2 ** -c.manifest.quantisation.outputs[0]!.scale;
    expect((await verify(c.manifest, bad, filesOf(c))).ok).toBe(false);
  }, 300_000);

  it("transformer block in gkr mode: 8 kernels verify; a changed output and a swapped commitment are rejected", async () => {
    const m = fixtureModel("transformer");
    const c = await compile(m, { backend: "gkr" });
    expect(c.manifest.kernels.length).toBe(8);
    const { json } = await proveJson(c, m.input);
    const files = filesOf(c);
    const v = await verify(c.manifest, json, files);
    if (!v.ok) throw new Error(v.reason);
    const p = m.calibration.program;
    const name = p.inputs[0]!;
    const values = runProgram(p, new Map([[name, quantiseInput(p, name, m.input.input!).values]]));
    expect(v.outputs[0]!.integers).toEqual(Array.from(values.get(p.outputs[0]!)!));
    const bad = clone(json);
    bad.outputs[0].integers[100] += 1;
    bad.outputs[0].floats[100] = bad.outputs[0].integers[100] * 2 ** -c.manifest.quantisation.outputs[0]!.scale;
    expect((await verify(c.manifest, bad, files)).ok).toBe(false);
    const swapped = clone(json);
    [swapped.kernels[3].commitments, swapped.kernels[5].commitments] = [swapped.kernels[5].commitments, swapped.kernels[3].commitments];
    expect((await verify(c.manifest, swapped, files)).ok).toBe(false);
  }, 300_000);
});
