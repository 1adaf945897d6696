/**
 * Groth16 keys are bound to the program and weights the verifier rebuilds (issue: whole-model
 * proofs were not bound to the manifest). The attack: edit an output scale and a weight in
 * program.json / weights.bin, re-point every digest in the manifest and the proof's manifest
 * digest, keep the old proof. Before the binding signal, `verify` accepted it and reported the
 * outputs rescaled; now the pairing check fails, because the circuit's fixed binding is the old
 * program's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { kernelBinding } from "../../backends/groth16/statement.js";
import { sha256Hex, manifestDigest, parseManifest, type Manifest } from "../../runtime/manifest.js";
import { toHex } from "../../runtime/link/codec.js";
import { loadLinkedModel } from "../../runtime/link/model.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { verify } from "../../runtime/verify.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { clone, compile, proveJson, tinyClassifier, type Json } from "./helpers.js";

/** The artifacts with program.json / weights.bin edited and every digest re-pointed. */
function repointed(c: CompiledModel, proof: Json, edit: (program: Json, weights: Float64Array) => void): { manifest: Manifest; files: (n: string) => Promise<Uint8Array>; proof: Json } {
  const program = JSON.parse(new TextDecoder().decode(c.files.get("program.json")!)) as Json;
  const wbytes = c.files.get("weights.bin")!.slice();
  const weights = new Float64Array(wbytes.buffer, 0, wbytes.length / 8);
  edit(program, weights);
  const programBytes = new TextEncoder().encode(JSON.stringify(program));
  const m = clone(c.manifest) as unknown as Json;
  m.program.digest = sha256Hex(programBytes);
  m.weights.digest = sha256Hex(wbytes);
  m.model.digest = sha256Hex(new Uint8Array([...programBytes, ...wbytes]));
  for (const o of m.quantisation.outputs) o.scale = program.tensors.find((t: Json) => t.name === o.name).scale;
  const manifest = parseManifest(m);
  const p = clone(proof);
  p.manifestDigest = toHex(manifestDigest(manifest));
  p.outputs.forEach((o: Json, i: number) => (o.floats = o.integers.map((v: number) => v * 2 ** -manifest.quantisation.outputs[i]!.scale)));
  const files = new Map(c.files);
  files.set("program.json", programBytes);
  files.set("weights.bin", wbytes);
  return { manifest, proof: p, files: async (n) => files.get(n) ?? Promise.reject(new Error(`no ${n}`)) };
}

/** The attacker also rewrites the proof's last public signal to the binding of the edited kernel. */
async function rebind(a: ReturnType<typeof repointed>): Promise<ReturnType<typeof repointed>> {
  const model = await loadLinkedModel(a.manifest, a.files, defaultVerifiers);
  const p = clone(a.proof);
  const signals = p.kernels[0].publicSignals as string[];
  signals[signals.length - 1] = kernelBinding(model.kernels[0]!.spec).toString();
  return { ...a, proof: p };
}

describe("Groth16 keys bind the program and weights", () => {
  const m = tinyClassifier(3, false, 1);
  let c: CompiledModel;
  let proof: Json;
  beforeAll(async () => {
    c = await compile(m, { backend: "groth16" });
    proof = (await proveJson(c, m.input)).json;
  }, 300_000);
  afterAll(terminateSnarkjs);

  it("the untouched re-pointing pipeline still verifies (the test can fail)", async () => {
    const same = await rebind(repointed(c, proof, () => {}));
    expect(await verify(same.manifest, same.proof, same.files)).toMatchObject({ ok: true });
  });

  it("a changed output scale with re-pointed digests is rejected", async () => {
    const scaled = repointed(c, proof, (program) => {
      const out = program.tensors.find((t: Json) => t.name === program.outputs[0]);
      out.scale -= 1; // the floats the verifier reports would double
    });
    expect(await verify(scaled.manifest, scaled.proof, scaled.files)).toMatchObject({ ok: false, reason: expect.stringMatching(/public signals differ/) });
    const forged = await rebind(scaled);
    expect(await verify(forged.manifest, forged.proof, forged.files)).toMatchObject({ ok: false, reason: expect.stringMatching(/pairing check fails/) });
  });

  it("a changed weight with re-pointed digests is rejected", async () => {
    const w = repointed(c, proof, (_p, weights) => {
      weights[0] = weights[0] === 0 ? 1 : 0;
    });
    expect(await verify(w.manifest, w.proof, w.files)).toMatchObject({ ok: false, reason: expect.stringMatching(/public signals differ/) });
    const forged = await rebind(w);
    expect(await verify(forged.manifest, forged.proof, forged.files)).toMatchObject({ ok: false, reason: expect.stringMatching(/pairing check fails/) });
  });

  it("the binding follows every weight and every primitive field", () => {
    const prog = m.calibration.program;
    const spec = { prims: prog.prims, tensors: prog.tensors, inputs: prog.inputs, outputs: prog.outputs };
    const base = kernelBinding(spec);
    expect(kernelBinding(spec)).toBe(base);
    const param = [...prog.tensors.values()].find((t) => t.kind === "param")!;
    const edited = new Map(prog.tensors);
    const values = param.values!.slice();
    values[values.length - 1]! += 1;
    edited.set(param.name, { ...param, values });
    expect(kernelBinding({ ...spec, tensors: edited })).not.toBe(base);
    const rescale = prog.prims.findIndex((p) => p.op === "rescale");
    const prims = prog.prims.map((p, i) => (i === rescale ? { ...p, shift: (p as { shift: number }).shift + 1 } : p));
    expect(kernelBinding({ ...spec, prims })).not.toBe(base);
  });
});
