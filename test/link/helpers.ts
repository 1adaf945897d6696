/**
 * Shared pieces of the linking tests: tiny ONNX models built here with the fixture builder (seeded),
 * compile -> prove -> verify helpers over in-memory artifacts, and proof tampering utilities.
 */
import { readFileSync } from "node:fs";
import { ModelBuilder, float, int } from "../../fixtures/lib/onnx-builder.js";
import { Rng } from "../../fixtures/lib/rng.js";
import { loadModelBytes, loadModelFile } from "../../compiler/onnx/load.js";
import { calibrate, type CalibrationResult } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import type { Graph } from "../../compiler/ir/graph.js";
import { compileModel, type CompileOptions, type CompiledModel } from "../../toolchain/compile.js";
import { prove, type HashedOutputValues } from "../../runtime/prove.js";
import { serializeProof, type ProofBundle } from "../../runtime/proof.js";
import { verify } from "../../runtime/verify.js";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { afterAll, beforeAll } from "vitest";

/** A calibrated model and one sample input (floats by ONNX input name). */
export interface TestModel {
  graph: Graph;
  calibration: CalibrationResult;
  input: Record<string, number[]>;
}

function uniform(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));
}

/**
 * tiny classifier: input [1,6] -> (Gemm 8 -> Relu) x (depth - 1) -> Gemm 4 -> `logits` [1,4], and
 * ArgMax(axis 1) -> `label` [1,1]. Seeded weights; `seed` changes weights (another model) and the
 * sample input.
 */
export function tinyClassifier(seed = 1, withArgmax = true, depth = 2): TestModel {
  const graph = loadModelBytes(tinyClassifierOnnx(seed, withArgmax, depth), `tiny${seed}.onnx`);
  const x = uniform(new Rng(99 + seed), 6, -1, 1);
  const calibration = calibrate(graph, [{ x: tensor("float32", [1, 6], Float64Array.from(x)) }], { scale: 7 });
  return { graph, calibration, input: { x } };
}

/** The ONNX bytes of {@link tinyClassifier} (for CLI tests, which read model files). */
export function tinyClassifierOnnx(seed = 1, withArgmax = true, depth = 2): Uint8Array {
  const rng = new Rng(0x7151 + seed);
  const b = new ModelBuilder(`tiny${seed}`, 17);
  b.input("x", "float32", [1, 6]);
  const gemm = (x: string, prefix: string, inF: number, outF: number, out?: string) => {
    const w = b.floats(`${prefix}.weight`, [outF, inF], uniform(rng, outF * inF, -0.8, 0.8));
    const bias = b.floats(`${prefix}.bias`, [outF], uniform(rng, outF, -0.1, 0.1));
    return b.op("Gemm", [x, w, bias], { alpha: float(1), beta: float(1), transB: int(1) }, out);
  };
  let h = "x";
  let width = 6;
  for (let l = 1; l < depth; l++) {
    h = b.op("Relu", [gemm(h, `fc${l}`, width, 8)]);
    width = 8;
  }
  const logits = gemm(h, `fc${depth}`, width, 4, "logits");
  b.output(logits, "float32", [1, 4]);
  if (withArgmax) {
    b.op("ArgMax", [logits], { axis: int(1), keepdims: int(1) }, "label");
    b.output("label", "int64", [1, 1]);
  }
  return b.encode();
}

/** A committed fixture model (fixtures/<name>.onnx) calibrated on its sample input. */
export function fixtureModel(name: string): TestModel {
  const graph = loadModelFile(new URL(`../../fixtures/${name}.onnx`, import.meta.url).pathname);
  const data = (JSON.parse(readFileSync(new URL(`../../fixtures/${name}.input.json`, import.meta.url), "utf8")) as { input_data: number[][] }).input_data;
  const feeds = Object.fromEntries(graph.inputs.map((i, k) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(data[k]!))]));
  const calibration = calibrate(graph, [feeds]);
  return { graph, calibration, input: Object.fromEntries(graph.inputs.map((i, k) => [i.name, data[k]!])) };
}

/**
 * Compile with defaults filled in. The tests' plans are kernel plans (they test kernels and their
 * linking): backend "auto" may not swap in a whole-model circuit unless a test asks for it.
 */
export function compile(m: TestModel, opts: Partial<CompileOptions> = {}): Promise<CompiledModel> {
  return compileModel(m.graph, m.calibration, { backend: "auto", inputVisibility: "public", outputVisibility: "public", wholeModel: false, ...opts });
}

/** A side-file reader over the compiled model's in-memory files. */
export function filesOf(c: CompiledModel): (name: string) => Promise<Uint8Array> {
  return async (name) => {
    const f = c.files.get(name);
    if (!f) throw new Error(`no side file ${name}`);
    return f;
  };
}

/** Parsed proof JSON, edited freely by the tamper tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** Prove and return the proof as parsed JSON (what a verifier receives). */
export async function proveJson(c: CompiledModel, input: Record<string, number[]>): Promise<{ json: Json; bundle: ProofBundle & { hashedOutputs: HashedOutputValues[] } }> {
  const bundle = await prove(c.manifest, filesOf(c), input);
  return { json: JSON.parse(serializeProof(bundle)) as Json, bundle };
}

/** A deep copy of parsed JSON. */
export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/**
 * Every encoded field element ("0x..." string) in a JSON tree, with a setter, so tests can change
 * each one (a "flipped byte" of that proof part that still decodes).
 */
export function fieldSlots(root: unknown): { path: string; get(): string; set(v: string): void }[] {
  const out: { path: string; get(): string; set(v: string): void }[] = [];
  const walk = (x: unknown, path: string): void => {
    if (Array.isArray(x)) {
      x.forEach((v, i) => {
        if (typeof v === "string" && v.startsWith("0x")) out.push({ path: `${path}[${i}]`, get: () => x[i] as string, set: (s) => (x[i] = s) });
        else walk(v, `${path}[${i}]`);
      });
    } else if (typeof x === "object" && x !== null) {
      const o = x as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (typeof v === "string" && v.startsWith("0x")) out.push({ path: `${path}.${k}`, get: () => o[k] as string, set: (s) => (o[k] = s) });
        else walk(v, `${path}.${k}`);
      }
    }
  };
  walk(root, "$");
  return out;
}

/** The field element + 1 (mod nothing: the verifier must reject a non-canonical value too). */
export function bumpHex(h: string): string {
  return `0x${(BigInt(h) + 1n).toString(16)}`;
}

/** Flip one bit of the bytes inside a "b64:" string. */
export function flipB64(s: string, byte = 10): string {
  const bytes = Uint8Array.from(atob(s.slice(4)), (c) => c.charCodeAt(0));
  bytes[byte % bytes.length]! ^= 1;
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `b64:${btoa(bin)}`;
}

/** A model compiled and proved once for a test file (in `beforeAll`), with its verifier. */
export interface ProvedModel {
  model: TestModel;
  compiled: CompiledModel;
  proof: Json;
  check(proof: unknown): ReturnType<typeof verify>;
}

/**
 * Registers the file's `beforeAll` (make the model, compile, prove) and `afterAll` (stop snarkjs's
 * workers); the returned object is filled when the tests run.
 */
export function provedModel(make: () => TestModel, opts: Partial<CompileOptions> = {}, timeout = 120_000): ProvedModel {
  const s = {} as ProvedModel;
  beforeAll(async () => {
    s.model = make();
    s.compiled = await compile(s.model, opts);
    s.proof = (await proveJson(s.compiled, s.model.input)).json;
    s.check = (p) => verify(s.compiled.manifest, p, filesOf(s.compiled));
  }, timeout);
  afterAll(async () => {
    await terminateSnarkjs();
  });
  return s;
}
