/**
 * Whole-model mode (`--backend groth16`): the quantised program as one Groth16 circuit whose
 * public signals are the output and input integers. Real snarkjs proofs on a 16-8-4 MLP; every
 * tamper below must be rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelBuilder, float, int } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { ZkcError } from "../../compiler/errors.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { parseManifest } from "../../runtime/manifest.js";
import { loadLinkedModel } from "../../runtime/link/model.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { verify } from "../../runtime/verify.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { DEFAULT_COSTS } from "../../backends/registry.js";
import { clone, compile, filesOf, proveJson, type Json, type TestModel } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

/** 16 -> Gemm 8 -> Relu -> Gemm 4 -> `logits` [1,4]; seeded weights and sample input. */
function mlp16(seed: number): TestModel {
  const rng = new Rng(0x3161 + seed);
  const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));
  const b = new ModelBuilder(`mlp16-${seed}`, 17);
  b.input("x", "float32", [1, 16]);
  const gemm = (x: string, prefix: string, inF: number, outF: number, out?: string) => {
    const w = b.floats(`${prefix}.weight`, [outF, inF], uniform(outF * inF, -0.6, 0.6));
    const bias = b.floats(`${prefix}.bias`, [outF], uniform(outF, -0.1, 0.1));
    return b.op("Gemm", [x, w, bias], { alpha: float(1), beta: float(1), transB: int(1) }, out);
  };
  const h = b.op("Relu", [gemm("x", "fc1", 16, 8)]);
  b.output(gemm(h, "fc2", 8, 4, "logits"), "float32", [1, 4]);
  const graph = loadModelBytes(b.encode(), `mlp16-${seed}.onnx`);
  const x = uniform(16, -1, 1);
  const calibration = calibrate(graph, [{ x: tensor("float32", [1, 16], Float64Array.from(x)) }], { scale: 7 });
  return { graph, calibration, input: { x } };
}

const m = mlp16(1);
let c: CompiledModel;
let json: Json;

beforeAll(async () => {
  c = await compile(m, { backend: "groth16" });
  json = (await proveJson(c, m.input)).json;
}, 120_000);

const rejected = async (proof: Json, reason: RegExp) => {
  const v = await verify(c.manifest, proof, filesOf(c));
  expect(v.ok).toBe(false);
  if (!v.ok) expect(v.reason).toMatch(reason);
};

describe("whole-model mode (--backend groth16)", () => {
  it("compiles to one whole-model Groth16 kernel over every primitive", () => {
    const [k, ...rest] = c.manifest.kernels;
    expect(rest).toEqual([]);
    expect(k).toMatchObject({ kind: "whole-model", backend: "groth16", from: 0, to: m.calibration.program.prims.length, inputs: ["x"], params: [] });
    expect(k!.outputs).toEqual(m.calibration.program.outputs);
    expect((k!.artifacts as { nPublic: number }).nPublic).toBe(16 + 4 + 1); // outputs, inputs, the binding
    expect(c.manifest.committedTensors).toEqual([]);
    expect(c.plan).toHaveLength(1);
    expect(c.plan[0]!.reason).toMatch(new RegExp(`^whole-model mode \\(--backend groth16\\): one R1CS of ${(k!.artifacts as { nConstraints: number }).nConstraints} constraints`));
    // the manifest round-trips through the strict parser
    expect(parseManifest(JSON.parse(JSON.stringify(c.manifest)))).toEqual(c.manifest);
  });

  it("backend auto makes the same circuit itself where the cost model estimates it cheaper, and it verifies", async () => {
    const cheap = { ...DEFAULT_COSTS, groth16Ns: 1, groth16ProveMs: 1 };
    const auto = await compile(m, { backend: "auto", wholeModel: true, costs: cheap });
    expect(auto.manifest.kernels.map((k) => [k.kind, k.backend])).toEqual([["whole-model", "groth16"]]);
    expect(auto.plan[0]!.reason).toMatch(/^cheaper as one groth16 circuit: est\. .* vs .* for 2 kernels/);
    const proof = (await proveJson(auto, m.input)).json;
    expect((await verify(auto.manifest, proof, filesOf(auto))).ok).toBe(true);
    const bad = clone(proof);
    bad.outputs[0].integers[0] += 1;
    bad.outputs[0].floats[0] = bad.outputs[0].integers[0] * 2 ** -auto.manifest.quantisation.outputs[0]!.scale;
    expect((await verify(auto.manifest, bad, filesOf(auto))).ok).toBe(false);
    // on the shipped constants the two GKR kernels stay
    expect((await compile(m, { backend: "auto", wholeModel: true })).manifest.kernels.map((k) => k.backend)).toEqual(["gkr", "gkr"]);
  }, 120_000);

  it("verifies, with the outputs of the integer program", async () => {
    const v = await verify(c.manifest, json, filesOf(c));
    if (!v.ok) throw new Error(v.reason);
    const p = m.calibration.program;
    const values = runProgram(p, new Map([["x", quantiseInput(p, "x", m.input.x!).values]]));
    for (const o of v.outputs) expect(o.integers).toEqual(Array.from(values.get(o.name)!));
    expect(json.kernels[0].publicSignals).toHaveLength(21);
  });

  it("rejects a changed output integer (with consistent floats)", async () => {
    const bad = clone(json);
    const out = bad.outputs[0];
    out.integers[1] += 1;
    out.floats[1] = out.integers[1] * 2 ** -c.manifest.quantisation.outputs[0]!.scale;
    await rejected(bad, /public signals differ/);
    // the same edit applied to the public signals too: the pairing check fails
    const both = clone(bad);
    const sig = BigInt(both.kernels[0].publicSignals[1]);
    both.kernels[0].publicSignals[1] = ((sig + 1n) % FR_MODULUS).toString();
    await rejected(both, /pairing check fails/);
  });

  it("rejects a changed input (also when the public signals follow it)", async () => {
    const bad = clone(json);
    const i = bad.inputs[0].integers.findIndex((v: number) => Math.abs(v) < c.manifest.quantisation.inputs[0]!.maxAbs);
    bad.inputs[0].integers[i] += bad.inputs[0].integers[i] > 0 ? -1 : 1;
    await rejected(bad, /public signals differ/);
    const both = clone(bad);
    const at = 4 + i; // inputs follow the 4 outputs
    const v = bad.inputs[0].integers[i] as number;
    both.kernels[0].publicSignals[at] = (((BigInt(v) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS).toString();
    await rejected(both, /pairing check fails/);
    // beyond the calibrated bound
    const big = clone(json);
    big.inputs[0].integers[0] = c.manifest.quantisation.inputs[0]!.maxAbs + 1;
    await rejected(big, /exceeds the calibrated bound/);
  });

  it("rejects a flipped proof coordinate and a changed public signal", async () => {
    const coord = clone(json);
    const g = coord.kernels[0].groth16;
    g.pi_a[0] = (BigInt(g.pi_a[0]) ^ 1n).toString();
    await rejected(coord, /groth16/);
    const piC = clone(json);
    piC.kernels[0].groth16.pi_c[1] = (BigInt(piC.kernels[0].groth16.pi_c[1]) + 1n).toString();
    await rejected(piC, /groth16/);
    const signal = clone(json);
    signal.kernels[0].publicSignals[0] = (BigInt(signal.kernels[0].publicSignals[0]) + 1n).toString();
    await rejected(signal, /public signals differ/);
    const extra = clone(json);
    extra.kernels[0].publicSignals.push("0");
    await rejected(extra, /public signals differ/);
  });

  it("rejects a proof from another manifest (other weights), even relabelled", async () => {
    const other = mlp16(2);
    const c2 = await compile(other, { backend: "groth16" });
    const { json: foreign } = await proveJson(c2, m.input);
    await rejected(foreign, /another manifest/);
    const relabelled = clone(foreign);
    relabelled.manifestDigest = json.manifestDigest;
    // its binding signal is the other program's: rejected before the pairing check
    await rejected(relabelled, /public signals differ|pairing check fails/);
    // and the honest proof does not verify against the other manifest
    expect((await verify(c2.manifest, json, filesOf(c2))).ok).toBe(false);
  }, 120_000);

  it("rejects hashed visibility, a model too big for one circuit, per-kernel overrides and an edited manifest", async () => {
    for (const vis of [{ inputVisibility: "hashed" as const }, { outputVisibility: "hashed" as const }]) {
      const err = await compile(m, { backend: "groth16", ...vis }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZkcError);
      expect((err as ZkcError).code).toBe("USAGE");
      expect((err as ZkcError).message).toMatch(/whole-model mode \(--backend groth16\) proves public inputs and outputs; use --backend auto for hashed/);
    }
    // far beyond the largest powers of tau: 400k clamped elements
    const b = new ModelBuilder("wide", 17);
    b.input("x", "float32", [1, 400_000]);
    b.output(b.op("Relu", ["x"], {}, "y"), "float32", [1, 400_000]);
    const graph = loadModelBytes(b.encode(), "wide.onnx");
    const x = Float64Array.from({ length: 400_000 }, (_, i) => ((i % 200) - 100) / 100);
    const wide = { graph, calibration: calibrate(graph, [{ x: tensor("float32", [1, 400_000], x) }], { scale: 7 }), input: {} };
    const big = await compile(wide, { backend: "groth16" }).catch((e: unknown) => e);
    expect((big as ZkcError).code).toBe("USAGE");
    expect((big as ZkcError).message).toMatch(/one Groth16 circuit has ~?[0-9]+ .*constraints, beyond the largest supported circuit.*--backend auto/);
    const over = await compile(m, { backend: "groth16", overrides: { k0: "gkr" } }).catch((e: unknown) => e);
    expect((over as ZkcError).code).toBe("USAGE");
    const doc = JSON.parse(JSON.stringify(c.manifest)) as Json;
    const hashed = clone(doc);
    hashed.quantisation.outputs[0].visibility = "hashed";
    expect(() => parseManifest(hashed)).toThrow(/visibility/);
    const short = clone(doc);
    short.kernels[0].to -= 1;
    expect(() => parseManifest(short)).toThrow(/kernels\[0\]\.to/);
    const gkr = clone(doc);
    gkr.kernels[0].backend = "gkr";
    delete gkr.kernels[0].artifacts;
    // a backend that does not prove whole models is refused when the model is loaded
    await expect(loadLinkedModel(parseManifest(gkr), filesOf(c), defaultVerifiers)).rejects.toThrow(/backend "gkr" does not prove whole models/);
    const two = clone(doc);
    two.kernels.push({ ...clone(doc.kernels[0]), name: "again" });
    expect(() => parseManifest(two)).toThrow(/only kernel/);
  });
});
