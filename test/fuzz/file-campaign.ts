/**
 * File mutation campaign: mutated ONNX files into the compile path (load, calibrate, compileModel:
 * what `zkc compile` runs) and mutated input JSON into the prove path (readJsonFile, parseInputs,
 * prove: what `zkc prove` runs). Each case must end in a typed ZkcError (not INTERNAL) or a valid
 * result, within a per-case time limit. A subset runs the real CLI, where the exit code must be 0
 * or 2 and the artifacts directory (or proof file) must be absent or complete.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ZkcError } from "../../compiler/errors.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { onnx } from "../../compiler/onnx/proto.js";
import { calibrate, randomSamples } from "../../compiler/quant/calibrate.js";
import { parseInputs } from "../../runtime/inputs.js";
import { prove } from "../../runtime/prove.js";
import { serializeProof } from "../../runtime/proof.js";
import { verify } from "../../runtime/verify.js";
import { parseAnyProof } from "../../runtime/proof-binary.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { compileModel, type CompiledModel } from "../../toolchain/compile.js";
import { readJsonFile } from "../../cli/artifacts.js";
import { serializeManifest } from "../../runtime/manifest.js";
import { compile, filesOf, tinyClassifier, tinyClassifierOnnx, type Json } from "../link/helpers.js";
import { Rand, hashSeed } from "./rand.js";

export const ONNX_CLASSES = ["bytes", "truncate", "extend", "dims", "initializer", "op", "shape", "cycle", "attribute", "dtype", "graph"] as const;
export const INPUT_CLASSES = ["type", "nan", "nesting", "length", "keys", "number", "range", "text", "valid"] as const;

export interface FileCaseResult {
  kind: "onnx" | "input" | "cli-compile" | "cli-prove";
  cls: string;
  index: number;
  what: string;
  outcome: "typed-error" | "valid" | "internal" | "hang" | "half-written" | "bad-exit";
  reason?: string;
  /** the mutated bytes, to write out for reproduction */
  bytes?: Uint8Array;
  ms: number;
}

/** A per-case limit. Synchronous work cannot be interrupted in-process: it is timed after the fact. */
async function timed<T>(ms: number, f: () => Promise<T>): Promise<{ value?: T; error?: unknown; hang: boolean; ms: number }> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<"hang">((r) => (timer = setTimeout(() => r("hang"), ms)));
  try {
    const v = await Promise.race([f(), limit]);
    const el = performance.now() - t0;
    if (v === "hang" || el > ms) return { hang: true, ms: el };
    return { value: v as T, hang: false, ms: el };
  } catch (error) {
    const el = performance.now() - t0;
    return { error, hang: el > ms, ms: el };
  } finally {
    clearTimeout(timer);
  }
}

function classify(r: { error?: unknown; hang: boolean }): { outcome: FileCaseResult["outcome"]; reason?: string } {
  if (r.hang) return { outcome: "hang" };
  if (r.error === undefined) return { outcome: "valid" };
  if (r.error instanceof ZkcError && r.error.code !== "INTERNAL") return { outcome: "typed-error", reason: `${r.error.code}: ${r.error.message}` };
  const e = r.error as Error;
  return { outcome: "internal", reason: r.error instanceof ZkcError ? `INTERNAL: ${e.message}` : `${e?.name ?? typeof e}: ${e?.message ?? String(e)}\n${e?.stack ?? ""}` };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ModelJson = any;

/** A mutated ONNX file: raw byte edits, or edits of the decoded ModelProto re-encoded. */
export function mutateOnnx(rand: Rand, base: Uint8Array, cls: (typeof ONNX_CLASSES)[number]): { bytes: Uint8Array; what: string } {
  if (cls === "bytes") {
    const b = Uint8Array.from(base); // a copy: Buffer.slice would be a view
    const n = 1 + rand.int(8);
    for (let i = 0; i < n; i++) b[rand.int(b.length)] = rand.int(256);
    return { bytes: b, what: `${n} random bytes changed` };
  }
  if (cls === "truncate") {
    const len = rand.int(base.length);
    return { bytes: Uint8Array.from(base.subarray(0, len)), what: `truncated to ${len} of ${base.length} bytes` };
  }
  if (cls === "extend") {
    const extra = Uint8Array.from({ length: 1 + rand.int(64) }, () => rand.int(256));
    return { bytes: new Uint8Array([...base, ...extra]), what: `${extra.length} random bytes appended` };
  }
  const m: ModelJson = onnx.ModelProto.decode(base);
  const g = m.graph;
  const valueInfos = [...g.input, ...g.output];
  let what = "";
  switch (cls) {
    case "dims": {
      const vi = rand.pick(valueInfos);
      const dims = vi.type.tensorType.shape.dim;
      const d = rand.pick(dims) as ModelJson;
      const v = rand.pick([0, -1, 5, 7, 2 ** 31, 1]);
      d.dimValue = v;
      if (rand.int(4) === 0) {
        delete d.dimValue;
        d.dimParam = "N";
      }
      what = `${vi.name}: a dim set to ${d.dimParam ?? v}`;
      if (rand.int(3) === 0) {
        dims.push({ dimValue: 3 });
        what += ", and an extra dim";
      }
      break;
    }
    case "initializer": {
      const i = rand.int(g.initializer.length);
      const init = g.initializer[i];
      const e = rand.int(4);
      if (e === 0) {
        g.initializer.splice(i, 1);
        what = `initializer ${init.name} removed`;
      } else if (e === 1) {
        init.dims = [...init.dims, 2];
        what = `initializer ${init.name}: dims do not match its data`;
      } else if (e === 2) {
        if (init.rawData?.length) init.rawData = init.rawData.slice(0, init.rawData.length - 1 - rand.int(4));
        else init.floatData = init.floatData.slice(1);
        what = `initializer ${init.name}: data cut short`;
      } else {
        g.initializer.push({ ...init });
        what = `initializer ${init.name} duplicated`;
      }
      break;
    }
    case "op": {
      const n = rand.pick(g.node) as ModelJson;
      const e = rand.int(4);
      if (e === 0) (n.opType = rand.pick(["FooBar", "", "gemm", "Loop", "If", "NonMaxSuppression"])), (what = `node ${n.name}: op ${n.opType}`);
      else if (e === 1) (n.domain = "com.example"), (what = `node ${n.name}: custom domain`);
      else if (e === 2) (n.input = n.input.slice(0, 1)), (what = `node ${n.name}: inputs dropped`);
      else (n.input = [...n.input, "nowhere"]), (what = `node ${n.name}: an input nobody produces`);
      break;
    }
    case "shape": {
      const vi = g.input[0];
      vi.type.tensorType.shape.dim = [{ dimValue: 1 }, { dimValue: rand.pick([2 ** 40, 2 ** 53, 1e6, 65536]) }];
      what = `input shape [1, ${vi.type.tensorType.shape.dim[1].dimValue}]`;
      break;
    }
    case "cycle": {
      if (g.node.length >= 2) {
        const i = rand.int(g.node.length - 1);
        const later = g.node[i + 1 + rand.int(g.node.length - i - 1)];
        g.node[i].input[0] = later.output[0];
        what = `node ${i} reads a later node's output (cycle)`;
      } else {
        g.node[0].input[0] = g.node[0].output[0];
        what = "a node reads its own output";
      }
      break;
    }
    case "attribute": {
      const withAttrs = g.node.filter((n: ModelJson) => n.attribute.length);
      const n: ModelJson = withAttrs.length ? rand.pick(withAttrs) : rand.pick(g.node);
      if (!n.attribute.length || rand.int(4) === 0) {
        n.attribute.push({ name: rand.pick(["axis", "transA", "alpha", "zzz"]), type: 2, i: rand.pick([-1, 2 ** 40, 99]) });
        what = `node ${n.name}: attribute added`;
      } else {
        const a = rand.pick(n.attribute) as ModelJson;
        const e = rand.int(4);
        if (e === 0) (a.i = -1 - rand.int(1000)), (a.type = 2);
        else if (e === 1) (a.i = 2 ** 40), (a.type = 2);
        else if (e === 2) (a.f = rand.pick([NaN, Infinity, -1e38, 1e38])), (a.type = 1);
        else a.type = rand.pick([0, 3, 5, 7, 99]);
        what = `node ${n.name}: attribute ${a.name} -> type ${a.type}, ${a.type === 1 ? a.f : a.i}`;
      }
      break;
    }
    case "dtype": {
      const e = rand.int(2);
      if (e === 0) {
        const vi = rand.pick(valueInfos);
        vi.type.tensorType.elemType = rand.pick([0, 2, 8, 11, 16, 99]);
        what = `${vi.name}: elem type ${vi.type.tensorType.elemType}`;
      } else {
        const init = rand.pick(g.initializer) as ModelJson;
        init.dataType = rand.pick([0, 6, 7, 11, 99]);
        what = `initializer ${init.name}: data type ${init.dataType}`;
      }
      break;
    }
    default: {
      const e = rand.int(6);
      if (e === 0) (g.output = []), (what = "no graph outputs");
      else if (e === 1) (g.node = []), (what = "no nodes");
      else if (e === 2) (m.opsetImport = [{ domain: "", version: rand.pick([0, 1, 999]) }]), (what = "opset changed");
      else if (e === 3) (g.input = []), (what = "no graph inputs");
      else if (e === 4) (g.node = [...g.node].reverse()), (what = "nodes in reverse order");
      else (g.output[0].name = "missing"), (what = "an output nobody produces");
    }
  }
  return { bytes: onnx.ModelProto.encode(onnx.ModelProto.fromObject(m)).finish(), what };
}

/** Load, calibrate on random samples and compile, like `zkc compile --backend gkr`. */
async function compileBytes(bytes: Uint8Array): Promise<CompiledModel> {
  const graph = loadModelBytes(bytes, "fuzz.onnx");
  const cal = calibrate(graph, randomSamples(graph, 2, 1), { scale: 7 });
  return compileModel(graph, cal, { backend: "gkr", inputVisibility: "public", outputVisibility: "public" });
}

export async function runOnnxCase(base: Uint8Array, seed: number, index: number, limitMs: number): Promise<FileCaseResult> {
  const rand = new Rand(hashSeed(seed, "onnx", index));
  const cls = rand.pick(ONNX_CLASSES);
  let mutated: { bytes: Uint8Array; what: string };
  try {
    mutated = mutateOnnx(rand, base, cls);
  } catch (e) {
    // the mutation itself could not be encoded: not a case
    return { kind: "onnx", cls, index, what: `mutation not encodable (${(e as Error).message})`, outcome: "typed-error", ms: 0 };
  }
  const r = await timed(limitMs, () => compileBytes(mutated.bytes));
  return { kind: "onnx", cls, index, what: mutated.what, ...classify(r), bytes: mutated.bytes, ms: r.ms };
}

/** A mutated input file's text (the model has one input "x" of 6 values). */
export function mutateInput(rand: Rand, base: number[], cls: (typeof INPUT_CLASSES)[number]): { text: string; what: string } {
  const byName = rand.int(2) === 0;
  const wrap = (v: unknown): unknown => (byName ? { x: v } : { input_data: [v] });
  const values = [...base];
  const j = rand.int(values.length);
  switch (cls) {
    case "type": {
      const v = rand.pick<unknown>(["1.0", null, true, {}, [], "x", [[1]], undefined]);
      const arr: unknown[] = [...values];
      arr[j] = v;
      if (rand.int(3) === 0) return { text: JSON.stringify(rand.pick<unknown>([42, "x", null, [], { input_data: 5 }, { x: "abc" }, { input_data: [[]] }])), what: "wrong top-level type" };
      return { text: JSON.stringify(wrap(arr)), what: `value ${j} = ${JSON.stringify(v)}` };
    }
    case "nan": {
      const v = rand.pick(["NaN", "Infinity", "-Infinity", "nan", "1e999"]);
      const arr: unknown[] = [...values];
      arr[j] = v;
      return { text: JSON.stringify(wrap(arr)), what: `value ${j} = "${v}"` };
    }
    case "nesting": {
      const depth = rand.pick([3, 65, 200, 5000, 100000]);
      const inner = rand.int(2) ? JSON.stringify(values) : "1";
      return { text: (byName ? '{"x":' : '{"input_data":') + "[".repeat(depth) + inner + "]".repeat(depth) + "}", what: `nested ${depth} deep` };
    }
    case "length": {
      const n = rand.pick([0, 1, 5, 7, 12, 100000]);
      return { text: JSON.stringify(wrap(Array.from({ length: n }, (_, i) => values[i % values.length]))), what: `${n} values` };
    }
    case "keys": {
      const e = rand.int(4);
      if (e === 0) return { text: JSON.stringify({ x: values, y: values }), what: "an extra input" };
      if (e === 1) return { text: JSON.stringify({ input_data: [values, values] }), what: "two rows for one input" };
      if (e === 2) return { text: JSON.stringify({ input_data: [values], x: values }), what: "both forms" };
      return { text: JSON.stringify({ X: values }), what: "a misspelt input name" };
    }
    case "number": {
      const v = rand.pick([1e300, -1e300, 2 ** 53, 5e-324, -0]);
      values[j] = v;
      return { text: JSON.stringify(wrap(values)), what: `value ${j} = ${v}` };
    }
    case "range": {
      values[j] = rand.pick([1.5, -3, 100, 0.999999]);
      return { text: JSON.stringify(wrap(values)), what: `value ${j} = ${values[j]} (maybe out of the calibrated range)` };
    }
    case "text": {
      const t = new TextEncoder().encode(JSON.stringify(wrap(values)));
      const n = 1 + rand.int(3);
      for (let i = 0; i < n; i++) t[rand.int(t.length)] = rand.pick([0x22, 0x5b, 0x5d, 0x2c, 0x7b, 0x30, 0x2e, 0x65, 0x2d, 0xff]);
      return { text: new TextDecoder().decode(t), what: `${n} characters of the JSON text changed` };
    }
    default: {
      values[j] = Math.round(values[j]! * 0.5 * 1000) / 1000;
      return { text: JSON.stringify(wrap(values)), what: `value ${j} halved (a valid input)` };
    }
  }
}

/** The model the input campaign proves with: one Gemm on GKR (fast to prove). */
export interface InputTarget {
  compiled: CompiledModel;
  input: number[];
  dir: string;
}

export async function prepareInputTarget(): Promise<InputTarget> {
  const m = tinyClassifier(1, false, 1);
  const compiled = await compile(m, { backend: "gkr" });
  return { compiled, input: m.input.x!, dir: mkdtempSync(join(tmpdir(), "zkc-fuzz-inputs-")) };
}

export async function runInputCase(t: InputTarget, seed: number, index: number, limitMs: number): Promise<FileCaseResult> {
  const rand = new Rand(hashSeed(seed, "input", index));
  const cls = rand.pick(INPUT_CLASSES);
  const { text, what } = mutateInput(rand, t.input, cls);
  const file = join(t.dir, `input-${index}.json`);
  writeFileSync(file, text);
  const m = t.compiled.manifest;
  const infos = m.quantisation.inputs.map((e) => ({ name: e.onnxName, dtype: "float32" as const, shape: e.shape }));
  const r = await timed(limitMs, async () => {
    const values = parseInputs(readJsonFile(file, "input file"), infos, file);
    const bundle = await prove(m, filesOf(t.compiled), values);
    // a valid result is a proof that verifies
    const v = await verify(m, serializeProof(bundle), filesOf(t.compiled));
    if (!v.ok) throw new Error(`the proof of a valid input does not verify: ${v.reason}`);
  });
  rmSync(file, { force: true });
  return { kind: "input", cls, index, what, ...classify(r), bytes: new TextEncoder().encode(text.length > 4096 ? text.slice(0, 4096) + "…" : text), ms: r.ms };
}

const ZKC = fileURLToPath(new URL("../../cli/zkc.js", import.meta.url));

function run(args: string[], cwd: string, limitMs: number): Promise<{ code: number | null; stderr: string; hang: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ZKC, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let hang = false;
    const timer = setTimeout(() => {
      hang = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, hang });
    });
  });
}

/** `zkc compile` on a mutated file: exit 0 with a complete directory, or 2 with none; no temp dirs left. */
export async function runCliCompileCase(base: Uint8Array, seed: number, index: number, limitMs: number): Promise<FileCaseResult> {
  const rand = new Rand(hashSeed(seed, "cli-compile", index));
  const cls = rand.pick(ONNX_CLASSES);
  const { bytes, what } = mutateOnnx(rand, base, cls);
  const work = mkdtempSync(join(tmpdir(), "zkc-fuzz-cli-"));
  try {
    writeFileSync(join(work, "m.onnx"), bytes);
    const t0 = performance.now();
    const r = await run(["compile", "m.onnx", "--backend", "gkr", "--scale", "7", "--dir", "out"], work, limitMs);
    const ms = performance.now() - t0;
    const base2 = { kind: "cli-compile" as const, cls, index, what, bytes, ms };
    if (r.hang) return { ...base2, outcome: "hang" };
    if (r.code !== 0 && r.code !== 2) return { ...base2, outcome: r.code === 3 ? "internal" : "bad-exit", reason: `exit ${r.code}: ${r.stderr}` };
    const left = readdirSync(work).filter((f) => f !== "m.onnx" && f !== "out");
    const out = join(work, "out");
    const complete = existsSync(out) && ["manifest.json", "program.json", "weights.bin"].every((f) => existsSync(join(out, f)));
    if (left.length || (r.code === 2 && existsSync(out)) || (r.code === 0 && !complete)) return { ...base2, outcome: "half-written", reason: `exit ${r.code}; left: ${left.join(", ")}; out ${existsSync(out) ? readdirSync(out).join(", ") : "absent"}` };
    return { ...base2, outcome: r.code === 0 ? "valid" : "typed-error", reason: r.stderr.trim().split("\n").pop() ?? "" };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `zkc prove` on a mutated input file: exit 0 with a whole proof.json, or 2 with none. */
export async function runCliProveCase(t: InputTarget, seed: number, index: number, limitMs: number): Promise<FileCaseResult> {
  const rand = new Rand(hashSeed(seed, "cli-prove", index));
  const cls = rand.pick(INPUT_CLASSES);
  const { text, what } = mutateInput(rand, t.input, cls);
  const work = mkdtempSync(join(tmpdir(), "zkc-fuzz-cli-"));
  try {
    const dir = join(work, "art");
    // the artifacts directory as zkc compile writes it
    const { mkdirSync } = await import("node:fs");
    for (const [name, data] of [...t.compiled.files, ["manifest.json", new TextEncoder().encode(serializeManifest(t.compiled.manifest))] as const]) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    writeFileSync(join(work, "in.json"), text);
    const t0 = performance.now();
    const r = await run(["prove", "--input", "in.json", "--dir", "art"], work, limitMs);
    const ms = performance.now() - t0;
    const base2 = { kind: "cli-prove" as const, cls, index, what, bytes: new TextEncoder().encode(text.slice(0, 4096)), ms };
    if (r.hang) return { ...base2, outcome: "hang" };
    if (r.code !== 0 && r.code !== 2) return { ...base2, outcome: r.code === 3 ? "internal" : "bad-exit", reason: `exit ${r.code}: ${r.stderr}` };
    // zkc prove writes proof.bin by default: complete means it decodes as a whole proof
    const proofFile = join(dir, "proof.bin");
    const whole = existsSync(proofFile) && parseAnyProof(readFileSync(proofFile), defaultVerifiers).ok;
    const stray = readdirSync(dir).filter((f) => f.includes(".tmp"));
    if (stray.length || (r.code === 0 && !whole) || (r.code === 2 && existsSync(proofFile))) return { ...base2, outcome: "half-written", reason: `exit ${r.code}; proof.bin ${existsSync(proofFile) ? (whole ? "complete" : "partial") : "absent"}; ${stray.join(", ")}` };
    return { ...base2, outcome: r.code === 0 ? "valid" : "typed-error", reason: r.stderr.trim().split("\n").pop() ?? "" };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The base models of the ONNX campaign: a two-layer MLP and a one-layer one. */
export function onnxBases(): Uint8Array[] {
  return [Uint8Array.from(tinyClassifierOnnx(1, false, 2)), Uint8Array.from(tinyClassifierOnnx(2, false, 1))];
}
