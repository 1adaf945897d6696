/**
 * The mlp fixture (784-64-10) end to end in forced GKR mode: two kernels linked by claims on one
 * transcript, non-linear witness committed up front. Positive and tampered bundles.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { verify } from "../../runtime/verify.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { prove, type ProveProgress } from "../../runtime/prove.js";
import { parseProof, serializeProof } from "../../runtime/proof.js";
import { bumpHex, clone, compile, fieldSlots, filesOf, fixtureModel, flipB64, proveJson, type TestModel } from "./helpers.js";

type Json = Record<string, any>;
let model: TestModel;
let compiled: CompiledModel;
let proof: Json;

beforeAll(async () => {
  model = fixtureModel("mlp");
  compiled = await compile(model, { backend: "gkr" });
  proof = (await proveJson(compiled, model.input)).json;
}, 300_000);

afterAll(async () => {
  await terminateSnarkjs();
});

const check = (p: unknown) => verify(compiled.manifest, p, filesOf(compiled));

describe("mlp fixture, gkr mode", () => {
  it("plans one kernel per Gemm (with its bias, rescale and ReLU), all GKR", () => {
    expect(compiled.manifest.kernels.map((k) => [k.backend, k.inputs.length, k.outputs.length])).toEqual([
      ["gkr", 1, 1],
      ["gkr", 1, 1],
    ]);
    // the ONNX nodes, then the primitives they lowered to
    expect(compiled.plan[0]!.ops).toMatch(/^Gemm, Relu \(matmul, add, rescale, clamp/);
    expect(compiled.manifest.committedTensors).toEqual([]);
  });

  it("verifies, and the outputs are the integer program's", async () => {
    const v = await check(proof);
    if (!v.ok) throw new Error(v.reason);
    const p = model.calibration.program;
    const name = p.inputs[0]!;
    const values = runProgram(p, new Map([[name, quantiseInput(p, name, model.input.input!).values]]));
    expect(v.outputs[0]!.integers).toEqual(Array.from(values.get(p.outputs[0]!)!));
    expect(v.outputs[0]!.floats!.length).toBe(10);
  });

  it("rejects a changed output, input, proof element, commitment or claim", async () => {
    const out = clone(proof);
    out.outputs[0].integers[4] -= 1;
    out.outputs[0].floats[4] = out.outputs[0].integers[4] * 2 ** -compiled.manifest.quantisation.outputs[0]!.scale;
    expect((await check(out)).ok).toBe(false);
    const inp = clone(proof);
    inp.inputs[0].integers[100] += 1;
    expect((await check(inp)).ok).toBe(false);
    for (const k of [0, 1]) {
      const slots = fieldSlots(proof.kernels[k].proof);
      for (const i of [0, Math.floor(slots.length / 2), slots.length - 1]) {
        const bad = clone(proof);
        const s = fieldSlots(bad.kernels[k].proof)[i]!;
        s.set(bumpHex(s.get()));
        expect((await check(bad)).ok, `kernel ${k} ${s.path}`).toBe(false);
      }
      const c = clone(proof);
      const prim = c.kernels[k].commitments.prims[0];
      prim.commitments[0] = flipB64(prim.commitments[0], 20);
      expect((await check(c)).ok).toBe(false);
    }
    const claim = clone(proof);
    claim.claims[0].value = bumpHex(claim.claims[0].value);
    expect((await check(claim)).ok).toBe(false);
  });

  it("reports progress per kernel in proving order (last kernel first) and keeps stats out of proof.json", async () => {
    const events: ProveProgress[] = [];
    const bundle = await prove(compiled.manifest, filesOf(compiled), model.input, { onProgress: (e) => events.push(e) });
    const kernels = events.filter((e) => e.phase === "kernel");
    expect(kernels.map((e) => [e.kernel, e.done, e.total])).toEqual([
      ["k1", 1, 2],
      ["k0", 2, 2],
    ]);
    expect(events[0]!.phase).toBe("witness");
    expect(events[events.length - 1]!.phase).toBe("done");
    expect(bundle.stats.kernels.map((k) => k.name)).toEqual(["k0", "k1"]);
    const text = serializeProof(bundle);
    expect(text).not.toContain("stats");
    expect(parseProof(text).ok).toBe(true);
    // the serialised bundle is what a verifier receives
    expect((await check(JSON.parse(text))).ok).toBe(true);
  });
});
