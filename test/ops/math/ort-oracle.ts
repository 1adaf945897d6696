/**
 * onnxruntime-node as an outside oracle for single-node models built with compiler/onnx/build.ts:
 * runs the same bytes through onnxruntime and through zkc (frontend, shape inference, float
 * interpreter) and returns both results.
 */
import * as ort from "onnxruntime-node";
import { runFloat } from "../../../compiler/float/interpret.js";
import { type DType, type Tensor, tensor } from "../../../compiler/ir/tensor.js";
import { type ModelSpec, buildModel } from "../../../compiler/onnx/build.js";
import { loadModelBytes } from "../../../compiler/onnx/load.js";

/** Deterministic uniform values in [lo, hi) (mulberry32), so failures reproduce. */
export function seededValues(seed: number, n: number, lo = -3, hi = 3): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out.push(lo + u * (hi - lo));
  }
  return out;
}

function toOrt(t: Tensor): ort.Tensor {
  const dims = [...t.shape];
  const d = t.data;
  switch (t.dtype) {
    case "float32":
      return new ort.Tensor("float32", Float32Array.from(d), dims);
    case "float64":
      return new ort.Tensor("float64", Float64Array.from(d), dims);
    case "int8":
      return new ort.Tensor("int8", Int8Array.from(d), dims);
    case "uint8":
      return new ort.Tensor("uint8", Uint8Array.from(d), dims);
    case "int32":
      return new ort.Tensor("int32", Int32Array.from(d), dims);
    case "int64":
      return new ort.Tensor("int64", BigInt64Array.from([...d].map((x) => BigInt(x))), dims);
    case "bool":
      return new ort.Tensor("bool", Uint8Array.from(d), dims);
    default:
      throw new Error(`ort-oracle: dtype ${t.dtype} not wired up`);
  }
}

const ORT_DTYPES: Record<string, DType> = {
  float32: "float32",
  float64: "float64",
  int8: "int8",
  uint8: "uint8",
  int32: "int32",
  int64: "int64",
  bool: "bool",
};

function fromOrt(t: ort.Tensor): Tensor {
  const data = Float64Array.from(Array.from(t.data as ArrayLike<number | bigint | boolean>, (v) => Number(v)));
  return tensor(ORT_DTYPES[t.type]!, [...t.dims], data);
}

/** Runs `spec` (one output) through onnxruntime (optimisations off) and through zkc. */
export async function runBoth(spec: ModelSpec, feeds: Record<string, Tensor>): Promise<{ ort: Tensor; zkc: Tensor }> {
  const bytes = buildModel(spec);
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "disabled", logSeverityLevel: 3 });
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toOrt(t)]));
  const outName = spec.outputs[0]!.name;
  const ortOut = fromOrt((await session.run(ortFeeds))[outName]!);
  await session.release();
  const graph = loadModelBytes(bytes, "oracle.onnx");
  const zkc = runFloat(graph, feeds).get(outName) ?? graph.constants.get(outName)!;
  return { ort: ortOut, zkc };
}
