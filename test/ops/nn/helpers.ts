/**
 * Test helpers for the NN op suites: ONNX node conformance cases (../shared/onnx-conformance,
 * skipped when absent), onnxruntime-node as a float oracle, a seeded RNG and tolerant comparison.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { runFloat } from "../../../compiler/float/interpret.js";
import { type ModelSpec, buildModel } from "../../../compiler/onnx/build.js";
import { decodeModel, loadModelBytes } from "../../../compiler/onnx/load.js";
import { inferGraph } from "../../../compiler/ir/infer.js";
import { decodeTensorProto } from "../../../compiler/onnx/tensor-proto.js";
import { type DType, type Tensor, tensorOf } from "../../../compiler/ir/tensor.js";
import type { Node } from "../../../compiler/ir/graph.js";
import { Attrs, type OpContext } from "../../../compiler/ops/op.js";
import type { AttrInput } from "../../../compiler/onnx/build.js";

/** ONNX's node test cases, relative to the repo root: ../shared/onnx-conformance/node */
export const CONFORMANCE_DIR = fileURLToPath(new URL("../../../../shared/onnx-conformance/node/", import.meta.url));
export const HAVE_CONFORMANCE = existsSync(CONFORMANCE_DIR);

/** Case directory names matching `pattern` (empty when the conformance data is absent). */
export function conformanceCases(pattern: RegExp): string[] {
  if (!HAVE_CONFORMANCE) return [];
  return readdirSync(CONFORMANCE_DIR).filter((d) => pattern.test(d)).sort();
}

export interface CaseResult {
  name: string;
  outputs: { name: string; got: Tensor; want: Tensor }[];
}

/** Loads a conformance case's model, runs it on test_data_set_0 with zkc's float semantics. */
export function runConformanceCase(name: string): CaseResult {
  const dir = `${CONFORMANCE_DIR}${name}/`;
  const data = `${dir}test_data_set_0/`;
  const decoded = decodeModel(readFileSync(`${dir}model.onnx`), `${dir}model.onnx`);
  const all: Record<string, Tensor> = {};
  decoded.inputs.forEach((inp, i) => {
    all[inp.name] = decodeTensorProto(readFileSync(`${data}input_${i}.pb`), { file: `input_${i}.pb` });
  });
  // int64 inputs (shapes, like MaxUnpool's output_shape) must be compile-time constants in zkc:
  // bind them as constants, as a static export would
  const bound = decoded.inputs.filter((inp) => inp.dtype === "int64");
  for (const inp of bound) decoded.constants.set(inp.name, all[inp.name]!);
  const graph = inferGraph({ ...decoded, inputs: decoded.inputs.filter((inp) => inp.dtype !== "int64") });
  const feeds: Record<string, Tensor> = {};
  for (const inp of graph.inputs) feeds[inp.name] = all[inp.name]!;
  const got = runFloat(graph, feeds);
  const outputs = graph.outputs.map((o, i) => ({
    name: o.name,
    got: got.get(o.name)!,
    want: decodeTensorProto(readFileSync(`${data}output_${i}.pb`), { file: `output_${i}.pb` }),
  }));
  return { name, outputs };
}

/** Largest violation of |got - want| <= atol + rtol * |want| (0 when all close); shapes must match. */
export function closeness(got: Tensor, want: { shape: readonly number[]; data: ArrayLike<number> }, rtol = 1e-3, atol = 1e-5): number {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return Infinity;
  if (got.data.length !== want.data.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.data.length; i++) {
    const g = got.data[i]!;
    const w = Number(want.data[i]!);
    if (Number.isNaN(g) && Number.isNaN(w)) continue;
    if (g === w) continue;
    const excess = Math.abs(g - w) - (atol + rtol * Math.abs(w));
    if (!(excess <= 0)) worst = Math.max(worst, Number.isNaN(excess) ? Infinity : excess);
  }
  return worst;
}

/** Deterministic PRNG (mulberry32): the shared one. */
export { mulberry32 as rng } from "../../../compiler/util/rng.js";

/** A float32 tensor of uniform values in [lo, hi) from `next`. */
export function randomTensor(next: () => number, shape: number[], lo = -1, hi = 1, dtype: DType = "float32"): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Array<number>(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * next();
  return tensorOf(dtype, shape, v);
}

const ORT_TYPES: Partial<Record<DType, ort.Tensor.Type>> = { float32: "float32", float64: "float64", int32: "int32", uint8: "uint8", int8: "int8" };

export interface SingleNodeCase {
  op: string;
  opset?: number;
  /** runtime inputs in node input order; "" names an omitted optional input */
  inputs: { name: string; value: Tensor }[];
  /** compile-time inputs */
  initializers?: Record<string, Tensor>;
  /** node input list (defaults to the runtime input names) */
  nodeInputs?: string[];
  outputs: string[];
  attrs?: Record<string, AttrInput>;
  /**
   * Attributes for the onnxruntime model when they must differ from zkc's (e.g. explicit pads
   * standing in for an auto_pad form onnxruntime does not implement); default `attrs`.
   */
  ortAttrs?: Record<string, AttrInput>;
}

function specOf(c: SingleNodeCase): ModelSpec {
  return {
    opset: c.opset ?? 17,
    inputs: c.inputs.map((i) => ({ name: i.name, dtype: i.value.dtype, shape: [...i.value.shape] })),
    outputs: c.outputs.map((name) => ({ name })),
    initializers: c.initializers,
    nodes: [{ op: c.op, inputs: c.nodeInputs ?? c.inputs.map((i) => i.name), outputs: c.outputs, attrs: c.attrs, name: "n0" }],
  };
}

/** Runs one node with onnxruntime (optimisations off) and with zkc; returns both outputs by name. */
export async function againstOrt(c: SingleNodeCase): Promise<{ name: string; zkc: Tensor; ort: { shape: number[]; data: Float64Array } }[]> {
  const bytes = buildModel(specOf(c));
  const ortBytes = c.ortAttrs ? buildModel(specOf({ ...c, attrs: c.ortAttrs })) : bytes;
  const session = await ort.InferenceSession.create(ortBytes, { graphOptimizationLevel: "disabled" });
  const feeds: Record<string, ort.Tensor> = {};
  for (const i of c.inputs) {
    const type = ORT_TYPES[i.value.dtype];
    if (!type) throw new Error(`againstOrt: dtype ${i.value.dtype} not mapped`);
    const arr = type === "float32" ? Float32Array.from(i.value.data) : type === "float64" ? Float64Array.from(i.value.data) : type === "int32" ? Int32Array.from(i.value.data) : type === "uint8" ? Uint8Array.from(i.value.data) : Int8Array.from(i.value.data);
    feeds[i.name] = new ort.Tensor(type, arr, [...i.value.shape]);
  }
  const ortOut = await session.run(feeds);
  await session.release();
  const graph = loadModelBytes(bytes, `${c.op}.onnx`);
  const zkcFeeds: Record<string, Tensor> = {};
  for (const i of c.inputs) zkcFeeds[i.name] = i.value;
  const zkcOut = runFloat(graph, zkcFeeds);
  return c.outputs.map((name) => {
    const o = ortOut[name]!;
    const data = Float64Array.from(o.data as ArrayLike<number | bigint>, (v) => Number(v));
    return { name, zkc: zkcOut.get(name)!, ort: { shape: [...o.dims], data } };
  });
}

/** An OpContext for calling `def.infer` / `def.run` directly. */
export function ctxFor(opType: string, attrs: Record<string, AttrInput> = {}, opset = 17, outputs = ["y"]): OpContext {
  const node: Node = { name: "n0", opType, domain: "", inputs: [], outputs, attrs: {} };
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "object" && v !== null && "type" in v && "value" in v) node.attrs[k] = v as Node["attrs"][string];
    else if (typeof v === "number") node.attrs[k] = Number.isInteger(v) ? { type: "int", value: v } : { type: "float", value: v };
    else if (typeof v === "string") node.attrs[k] = { type: "string", value: v };
    else if (Array.isArray(v) && v.every((x) => typeof x === "number")) node.attrs[k] = { type: "ints", value: v as number[] };
    else throw new Error(`ctxFor: attribute ${k} needs an explicit kind`);
  }
  return { node, opset, source: "test.onnx", attrs: new Attrs(node, "test.onnx") };
}
