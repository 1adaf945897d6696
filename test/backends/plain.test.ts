/**
 * Proof of the backend contract: a third proof system (test/backends/plain-backend.ts) plugs in
 * through registries alone, and a mixed plan over GKR, Groth16 and "plain" proves and verifies
 * with real proofs; tampering with the plain kernel's section, the outputs or the plan is rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelBuilder, float, int } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { defaultBackends } from "../../backends/registry.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { prove } from "../../runtime/prove.js";
import { parseProof, serializeProof } from "../../runtime/proof.js";
import { serializeProofBinary } from "../../runtime/proof-binary.js";
import { verify } from "../../runtime/verify.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { clone, compile, filesOf, type Json, type TestModel } from "../link/helpers.js";
import { plainBackend, plainVerifier } from "./plain-backend.js";

const backends = defaultBackends.with(plainBackend);
const verifiers = defaultVerifiers.with(plainVerifier);

/** x [1,6] -> Gemm 4 -> logits; ArgMax(logits) -> label; Relu(logits) -> r (its own kernel, after the argmax). */
function model(): TestModel {
  const rng = new Rng(0x91a1);
  const u = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));
  const b = new ModelBuilder("plain-mix", 17);
  b.input("x", "float32", [1, 6]);
  const w = b.floats("fc.weight", [4, 6], u(24, -0.8, 0.8));
  const bias = b.floats("fc.bias", [4], u(4, -0.1, 0.1));
  const logits = b.op("Gemm", ["x", w, bias], { alpha: float(1), beta: float(1), transB: int(1) });
  b.op("ArgMax", [logits], { axis: int(1), keepdims: int(1) }, "label");
  b.output("label", "int64", [1, 1]);
  b.op("Relu", [logits], {}, "r");
  b.output("r", "float32", [1, 4]);
  const graph = loadModelBytes(b.encode(), "plain-mix.onnx");
  const x = u(6, -1, 1);
  return { graph, calibration: calibrate(graph, [{ x: tensor("float32", [1, 6], Float64Array.from(x)) }], { scale: 7 }), input: { x } };
}

describe("a test-only backend behind the contract", () => {
  const m = model();
  let c: CompiledModel;
  let proof: Json;

  beforeAll(async () => {
    // the Relu kernel comes after the argmax's own kernel: force it onto "plain"
    const probe = await compile(m, { backends });
    const relu = probe.manifest.kernels.find((k) => k.kind === "prims" && m.calibration.program.prims.slice(k.from, k.to).every((p) => p.op === "clamp" || p.op === "max"));
    expect(relu).toBeDefined();
    c = await compile(m, { backends, overrides: { [relu!.name]: "plain" } });
    proof = JSON.parse(serializeProof(await prove(c.manifest, filesOf(c), m.input, { backends }))) as Json;
  }, 300_000);
  afterAll(terminateSnarkjs);

  it("plans a mixed plan over all three backends", () => {
    expect(new Set(c.manifest.kernels.map((k) => k.backend))).toEqual(new Set(["gkr", "groth16", "plain"]));
    // every backend's estimate sits in the manifest, in registry order
    expect(Object.keys(c.manifest.kernels[0]!.estimate)).toEqual(["gkr", "groth16", "plain"]);
  });

  it("proves and verifies, with the integer program's outputs", async () => {
    const v = await verify(c.manifest, proof, filesOf(c), { backends: verifiers });
    expect(v).toMatchObject({ ok: true });
    const program = m.calibration.program;
    const values = runProgram(program, new Map([["x", quantiseInput(program, program.inputs[0]!, m.input.x!).values]]));
    if (v.ok) for (const o of v.outputs) expect(o.integers).toEqual(Array.from(values.get(o.name)!));
  });

  it("a backend with no binary packing of its own travels in proof.bin through the generic codec", async () => {
    const parsed = parseProof(proof);
    if (!parsed.ok) throw new Error(parsed.reason);
    const bytes = serializeProofBinary(parsed.proof, verifiers);
    expect(await verify(c.manifest, bytes, filesOf(c), { backends: verifiers })).toMatchObject({ ok: true });
    // the default verifiers know no "plain" backend: a reason, not an exception
    expect(await verify(c.manifest, bytes, filesOf(c))).toMatchObject({ ok: false, reason: expect.stringMatching(/no backend named "plain"/) });
  });

  it("rejects a changed revealed input, a changed output and a section of the wrong shape", async () => {
    const at = proof.kernels.findIndex((k: Json) => k.backend === "plain");
    const reveal = clone(proof);
    const name = Object.keys(reveal.kernels[at].inputs)[0]!;
    reveal.kernels[at].inputs[name][0] += 1;
    const r1 = await verify(c.manifest, reveal, filesOf(c), { backends: verifiers });
    expect(r1.ok).toBe(false);

    const out = clone(proof);
    const r = out.outputs.findIndex((o: Json) => o.onnxName === "r");
    out.outputs[r].integers[0] += 1;
    out.outputs[r].floats[0] = out.outputs[r].integers[0] * 2 ** -c.manifest.quantisation.outputs[r]!.scale;
    const r2 = await verify(c.manifest, out, filesOf(c), { backends: verifiers });
    expect(r2).toMatchObject({ ok: false, reason: expect.stringMatching(/plain|claim/) });

    const extra = clone(proof);
    extra.kernels[at].more = 1;
    expect(await verify(c.manifest, extra, filesOf(c), { backends: verifiers })).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed proof: expected \{inputs\}/) });
  });

  it("a verifier without the plugin refuses the model, naming the backend", async () => {
    const v = await verify(c.manifest, proof, filesOf(c));
    expect(v).toMatchObject({ ok: false, reason: expect.stringMatching(/no backend named "plain"/) });
  });
});
