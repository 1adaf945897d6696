/**
 * The library API (toolchain/api.ts, exported by lib/index.ts): compile -> prove -> verify with
 * real proofs, in memory and through a directory; verification with the verifier's files only
 * (no proving keys); tampering rejected without throwing; cancellation through an AbortSignal
 * rejects with ZkcError ABORTED and writes nothing.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelBuilder, float, int } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { compile, inspect, inspectProof, prove, terminateWorkers, verifierArtifacts, verify, ZkcError, type Artifacts, type CompileProgress } from "../../lib/index.js";
import { serializeProofBinary } from "../../runtime/proof-binary.js";
import { defaultVerifiers } from "../../backends/verifiers.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const mlp = join(FIXTURES, "mlp.onnx");
const mlpInput = join(FIXTURES, "mlp.input.json");

let work: string;
let cacheDir: string;

/** A seeded classifier: [1,6] -> Gemm 8 -> Relu -> Gemm 4 -> `logits`, and ArgMax -> `label` (a Groth16 kernel). */
function tinyModel(): Uint8Array {
  const rng = new Rng(0xa91);
  const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));
  const b = new ModelBuilder("tiny-api", 17);
  b.input("x", "float32", [1, 6]);
  const w1 = b.floats("fc1.weight", [8, 6], uniform(48, -0.8, 0.8));
  const b1 = b.floats("fc1.bias", [8], uniform(8, -0.1, 0.1));
  const h = b.op("Relu", [b.op("Gemm", ["x", w1, b1], { alpha: float(1), beta: float(1), transB: int(1) })]);
  const w2 = b.floats("fc2.weight", [4, 8], uniform(32, -0.8, 0.8));
  const b2 = b.floats("fc2.bias", [4], uniform(4, -0.1, 0.1));
  b.op("Gemm", [h, w2, b2], { alpha: float(1), beta: float(1), transB: int(1) }, "logits");
  b.output("logits", "float32", [1, 4]);
  b.op("ArgMax", ["logits"], { axis: int(1), keepdims: int(1) }, "label");
  b.output("label", "int64", [1, 1]);
  return b.encode();
}
const tinyInput = { x: Float32Array.from([0.3, -0.7, 0.1, 0.9, -0.2, 0.5]) };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "zkc-api-"));
  cacheDir = join(work, "cache");
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await terminateWorkers();
});

describe("the library API in memory (fixture MLP)", () => {
  let art: Artifacts;
  const inputJson = JSON.parse(readFileSync(mlpInput, "utf8")) as { input_data: number[][] };

  beforeAll(async () => {
    art = await compile(mlp, { calibrate: mlpInput, cacheDir });
  });

  it("compile gives the manifest, every file of the directory, the plan and the quantisation", () => {
    for (const f of ["manifest.json", "program.json", "weights.bin", "quantisation.json", "plan.json"]) expect(art.files.has(f), f).toBe(true);
    expect(art.plan.length).toBe(art.manifest.kernels.length);
    expect(art.quantisation.metTarget).toBe(true);
    expect(art.quantisation.accuracy.outputs[0]!.worstRelL2).toBeLessThan(1e-2);
    expect(art.dir).toBeUndefined();
    expect(art.warnings.map((w) => w.code)).not.toContain("random-calibration");
  });

  it("prove -> verify accepts, with the outputs the prover computed, close to the float model", async () => {
    const { proof, outputs, stats } = await prove(art, inputJson);
    expect(stats.kernels.length).toBe(art.manifest.kernels.length);
    for (const source of [proof, proof.serialize(), new TextEncoder().encode(proof.serialize()), JSON.parse(proof.serialize())]) {
      const r = await verify(art, source);
      expect(r.ok, r.ok ? "" : r.reason).toBe(true);
      if (!r.ok) return;
      expect(r.outputs.map((o) => o.floats)).toEqual(outputs.map((o) => o.floats));
      expect(r.outputs.map((o) => o.onnxName)).toEqual(outputs.map((o) => o.onnxName));
    }
    // the proven outputs are the model's, up to quantisation
    const graph = (await import("../../compiler/onnx/load.js")).loadModelFile(mlp);
    const feeds = Object.fromEntries(graph.inputs.map((i, k) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(inputJson.input_data[k]!))]));
    const want = runFloat(graph, feeds).get(graph.outputs[0]!.name)!.data;
    const got = outputs[0]!.floats;
    const err = Math.hypot(...got.map((v, i) => v - want[i]!)) / Math.hypot(...want);
    expect(err).toBeLessThan(2e-2);
  });

  it("inspect gives the plan with the measured times of a prove's stats; inspectProof reads either proof form", async () => {
    const before = await inspect(art);
    expect(before.model).toEqual({ name: art.manifest.model.name, digest: art.manifest.model.digest, primitives: art.manifest.program.prims });
    expect(before.kernels.map((k) => k.kernel)).toEqual(art.plan.map((r) => r.kernel));
    expect(before.kernels.every((k) => k.measuredSeconds === undefined)).toBe(true);
    const { proof, stats } = await prove(art, inputJson);
    const after = await inspect(art, { stats });
    expect(after.kernels.map((k) => k.measuredSeconds)).toEqual(art.plan.map((r) => stats.kernels.find((k) => k.name === r.kernel)!.seconds));
    const json = new TextEncoder().encode(proof.serialize());
    const fromJson = inspectProof(json);
    expect(fromJson).toMatchObject({ format: "json", bytes: json.length });
    const bin = serializeProofBinary(proof, defaultVerifiers);
    const fromBin = inspectProof(bin);
    expect(fromBin).toMatchObject({ format: "binary", bytes: bin.length, jsonBytes: fromJson.jsonBytes });
    expect(fromBin.json).toEqual(fromJson.json);
    expect(() => inspectProof(new TextEncoder().encode("{}"))).toThrow(ZkcError);
  });

  it("a tampered proof gives { ok: false, reason } and never throws", async () => {
    const { proof } = await prove(art, inputJson);
    const doc = JSON.parse(proof.serialize());
    doc.outputs[0].integers[0] += 1;
    doc.outputs[0].floats[0] = doc.outputs[0].integers[0] * 2 ** -art.manifest.quantisation.outputs[0]!.scale;
    const r = await verify(art, JSON.stringify(doc));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
    for (const garbage of ["{ not json", {}, 42, null, new Uint8Array([1, 2, 3])]) expect((await verify(art, garbage)).ok).toBe(false);
    // bad artifacts too: a missing directory is a reason, not an exception
    const missing = await verify(join(work, "nowhere"), proof);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toMatch(/no compiled model/);
  });

  it("bad inputs are ZkcErrors that name the input", async () => {
    await expect(prove(art, { input_data: [[1, 2, 3]] })).rejects.toMatchObject({ code: "INPUT", message: expect.stringMatching(/input "input" has 3 values/) });
    await expect(prove(art, { nope: [1] })).rejects.toMatchObject({ code: "INPUT" });
  });

  it("an AbortSignal fired after the first kernel proof rejects with ZkcError ABORTED", async () => {
    expect(art.manifest.kernels.length).toBeGreaterThan(1);
    const controller = new AbortController();
    const seen: string[] = [];
    const err = await prove(art, inputJson, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "kernel") {
          seen.push(p.kernel!);
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).code).toBe("ABORTED");
    expect((err as ZkcError).exitCode).toBe(130);
    expect(seen.length).toBe(1);
    // an already aborted signal stops before any work
    await expect(prove(art, inputJson, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "ABORTED" });
  });
});

describe("the library API through a directory (tiny classifier with a Groth16 kernel)", () => {
  let dir: string;
  let art: Artifacts & { dir: string };

  beforeAll(async () => {
    dir = join(work, "tiny-out");
    art = await compile(tinyModel(), { dir, calibrate: tinyInput, scale: 7, cacheDir, modelName: "tiny-api.onnx" });
  });

  it("compile wrote the directory atomically, the same files as in memory", () => {
    expect(art.dir).toBe(dir);
    expect(art.manifest.model.name).toBe("tiny-api.onnx");
    expect(art.manifest.kernels.some((k) => k.backend === "groth16")).toBe(true);
    for (const name of art.files.keys()) expect(new Uint8Array(readFileSync(join(dir, name))), name).toEqual(art.files.get(name));
    expect(readdirSync(work).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("proves from the directory and verifies with the verifier's files only (no .zkey)", async () => {
    const { proof, outputs } = await prove(dir, tinyInput);
    expect(outputs.map((o) => o.onnxName)).toEqual(["logits", "label"]);
    const zkeys = readdirSync(join(dir, "groth16")).filter((n) => n.endsWith(".zkey"));
    expect(zkeys.length).toBeGreaterThan(0);
    for (const z of zkeys) unlinkSync(join(dir, "groth16", z));
    const r = await verify(dir, proof.serialize());
    expect(r.ok, r.ok ? "" : r.reason).toBe(true);
    if (r.ok) expect(r.outputs.map((o) => o.floats)).toEqual(outputs.map((o) => o.floats));

    // the same in memory: { manifest, files } with only what the verifier reads
    const v = await verifierArtifacts(art);
    expect([...v.files.keys()].some((n) => n.endsWith(".zkey"))).toBe(false);
    const r2 = await verify(v, proof);
    expect(r2.ok, r2.ok ? "" : r2.reason).toBe(true);
    // proving needs the keys: a typed error saying which file is missing
    await expect(prove(v, tinyInput)).rejects.toMatchObject({ code: "MODEL_FORMAT", message: expect.stringMatching(/\.zkey" is missing/) });
  });

  it("a compile aborted during the build rejects with ABORTED and leaves no directory", async () => {
    const out = join(work, "aborted-out");
    const controller = new AbortController();
    const phases: CompileProgress["phase"][] = [];
    const err = await compile(tinyModel(), {
      dir: out,
      calibrate: tinyInput,
      scale: 7,
      cacheDir,
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === "build") controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).code).toBe("ABORTED");
    expect(phases).toContain("build");
    expect(phases).not.toContain("write");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes("aborted-out"))).toEqual([]);
  });

  it("options are checked before any work, with the option's name", async () => {
    await expect(compile(tinyModel(), { scale: 99 })).rejects.toMatchObject({ code: "USAGE", message: expect.stringMatching(/options\.scale must be an integer from 0 to 24/) });
    await expect(compile(tinyModel(), { backend: "plonk" })).rejects.toMatchObject({ code: "USAGE", message: expect.stringMatching(/unknown backend "plonk"/) });
    await expect(compile(join(work, "nope.onnx"))).rejects.toMatchObject({ code: "INPUT", message: expect.stringMatching(/nope\.onnx: model file not found/) });
    await expect(compile(tinyModel(), { calibrate: { x: [1, 2] } })).rejects.toMatchObject({ code: "INPUT", message: expect.stringMatching(/input "x" has 2 values/) });
  });
});
