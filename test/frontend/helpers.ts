/**
 * Helpers for the frontend suites: a seeded RNG, onnxruntime-node as the float oracle (graph
 * optimisations off, so ops run as written) and a comparison of zkc's float interpreter with it.
 */
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import { runFloat } from "../../compiler/float/interpret.js";
import { type DType, type Tensor, numberToHalfBits, halfBitsToNumber, sizeOf, storeAs } from "../../compiler/ir/tensor.js";
import { type ModelSpec, buildModel } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";

/** Deterministic PRNG (mulberry32): the shared one. */
export { mulberry32 as rng } from "../../compiler/util/rng.js";

/** A tensor of random values in [lo, hi), rounded to `dtype` (integers: uniform integers). */
export function randomTensor(next: () => number, dtype: DType, shape: number[], lo = -10, hi = 10): Tensor {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = lo + (hi - lo) * next();
    data[i] = storeAs(dtype, dtype === "float32" || dtype === "float64" || dtype === "float16" ? x : Math.floor(x));
  }
  return { dtype, shape, data };
}

const ORT_ARRAYS: Partial<Record<DType, (d: Float64Array) => ort.Tensor["data"]>> = {
  float32: (d) => Float32Array.from(d),
  float64: (d) => Float64Array.from(d),
  int8: (d) => Int8Array.from(d),
  uint8: (d) => Uint8Array.from(d),
  int16: (d) => Int16Array.from(d),
  uint16: (d) => Uint16Array.from(d),
  int32: (d) => Int32Array.from(d),
  uint32: (d) => Uint32Array.from(d),
  int64: (d) => BigInt64Array.from(d, (x) => BigInt(x)),
  uint64: (d) => BigUint64Array.from(d, (x) => BigInt(x)),
  bool: (d) => Uint8Array.from(d),
  float16: (d) => Uint16Array.from(d, numberToHalfBits),
};

function toOrt(t: Tensor): ort.Tensor {
  const make = ORT_ARRAYS[t.dtype];
  if (!make) throw new Error(`toOrt: no onnxruntime mapping for ${t.dtype}`);
  return new ort.Tensor(t.dtype as ort.Tensor.Type, make(t.data) as never, [...t.shape]);
}

function fromOrt(t: ort.Tensor): Tensor {
  const raw = t.data as ArrayLike<number | bigint>;
  const data = new Float64Array(raw.length);
  const half = t.type === "float16" && raw instanceof Uint16Array;
  for (let i = 0; i < raw.length; i++) data[i] = half ? halfBitsToNumber(raw[i] as number) : Number(raw[i]);
  return { dtype: t.type as DType, shape: [...t.dims], data };
}

/** Runs a model in onnxruntime-node with graph optimisations disabled. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "disabled" });
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrt(v);
  const res = await session.run(ortFeeds);
  await session.release();
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(res)) out[k] = fromOrt(v as ort.Tensor);
  return out;
}

/** Loads the model with zkc and runs the float interpreter. */
export function runZkc(bytes: Uint8Array, feeds: Record<string, Tensor>): Record<string, Tensor> {
  const graph = loadModelBytes(bytes, "test.onnx");
  const res = runFloat(graph, feeds);
  return Object.fromEntries(res);
}

/**
 * Builds the model, runs it in zkc and onnxruntime on `feeds`, and expects equal dtypes, shapes
 * and values (data movement is exact, so values must match bit for bit).
 */
export async function expectMatchesOrt(spec: ModelSpec, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const bytes = buildModel(spec);
  const want = await runOrt(bytes, feeds);
  const got = runZkc(bytes, feeds);
  for (const o of spec.outputs) {
    const w = want[o.name]!;
    const g = got[o.name]!;
    expect(g, `output ${o.name}`).toBeDefined();
    expect({ name: o.name, dtype: g.dtype, shape: [...g.shape] }).toEqual({ name: o.name, dtype: w.dtype, shape: w.shape });
    expect(Array.from(g.data), `values of ${o.name}`).toEqual(Array.from(w.data));
  }
  return got;
}
