/**
 * onnxruntime-node as a fast float engine for calibration. It is a dev dependency, so an
 * installed zkc may not have it: it is imported dynamically, and every failure (absent, refuses
 * the model, disagrees on a shape) comes back as a reason so that the caller falls back to the
 * interpreter (runFloat), which stays the reference semantics.
 *
 * The graph is written back to ONNX after zkc's own frontend (folded constants as initializers,
 * fixed input shapes) with every intermediate value as a graph output, so one run per sample
 * yields every value calibration observes. Optimisations are disabled so that no value is fused
 * away and each op computes as specified.
 */
import type { Graph } from "../ir/graph.js";
import { type DType, type Tensor, shapeToString, tensor } from "../ir/tensor.js";
import { buildModel } from "../onnx/build.js";

/** The slice of onnxruntime-node's API used here (typed locally: the package may be absent). */
interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayLike<number | bigint> | readonly (number | bigint | boolean)[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(bytes: Uint8Array, opts: Record<string, unknown>): Promise<OrtSession> };
}

/** Runs a graph in onnxruntime; `run` returns every non-constant value (graph inputs excluded). */
export interface OnnxruntimeRunner {
  run(feeds: Record<string, Tensor>): Promise<Map<string, Tensor>>;
  release(): Promise<void>;
}

type Typed = new (n: number) => { [i: number]: number | bigint; length: number };
const ORT_TYPES: Partial<Record<DType, { name: string; array: Typed }>> = {
  float32: { name: "float32", array: Float32Array },
  float64: { name: "float64", array: Float64Array },
  int8: { name: "int8", array: Int8Array },
  uint8: { name: "uint8", array: Uint8Array },
  int16: { name: "int16", array: Int16Array },
  uint16: { name: "uint16", array: Uint16Array },
  int32: { name: "int32", array: Int32Array },
  uint32: { name: "uint32", array: Uint32Array },
  int64: { name: "int64", array: BigInt64Array as unknown as Typed },
  uint64: { name: "uint64", array: BigUint64Array as unknown as Typed },
  bool: { name: "bool", array: Uint8Array },
};

let ortModule: Promise<OrtModule | string> | undefined;

/** onnxruntime-node, or why it cannot be used (imported once per process). */
export function loadOnnxruntime(): Promise<OrtModule | string> {
  // a variable specifier: bundlers and the type checker must not require the optional package
  const specifier = "onnxruntime-node";
  ortModule ??= import(specifier).then(
    (m: { default?: OrtModule } & Partial<OrtModule>) => (m.InferenceSession ? (m as OrtModule) : (m.default ?? "onnxruntime-node has no InferenceSession export")),
    (e: Error) => `onnxruntime-node is not available (${e.message.split("\n")[0]})`,
  );
  return ortModule;
}

/**
 * A session over `graph` that exposes every intermediate value, or the reason there is none
 * (onnxruntime absent, a dtype it cannot exchange, a domain zkc does not write back, or it
 * refused the model).
 */
export async function onnxruntimeRunner(graph: Graph): Promise<OnnxruntimeRunner | string> {
  const ort = await loadOnnxruntime();
  if (typeof ort === "string") return ort;
  // onnxruntime implements ai.onnx.ml too: such nodes are written back with their domain
  const custom = graph.nodes.find((n) => n.domain !== "" && n.domain !== "ai.onnx" && graph.opsets?.[n.domain] === undefined);
  if (custom) return `node "${custom.name}" (${custom.opType}) is in domain "${custom.domain}"`;
  const outputs: string[] = [];
  const seen = new Set<string>();
  const used = new Set<string>();
  for (const n of graph.nodes) {
    for (const i of n.inputs) if (i !== "") used.add(i);
    for (const o of n.outputs) {
      if (o === "" || seen.has(o) || graph.constants.has(o)) continue;
      seen.add(o);
      outputs.push(o);
    }
  }
  for (const v of [...graph.inputs, ...outputs.map((o) => graph.values.get(o)!)]) {
    if (!v) return "a node output has no dtype or shape";
    if (!ORT_TYPES[v.dtype]) return `value "${v.name}" is ${v.dtype}, which zkc does not exchange with onnxruntime`;
  }
  const initializers: Record<string, Tensor> = {};
  for (const name of used) {
    const c = graph.constants.get(name);
    if (c) initializers[name] = c;
  }
  let session: OrtSession;
  try {
    const bytes = buildModel({
      opset: graph.opset,
      ...(graph.opsets ? { opsets: { ...graph.opsets } } : {}),
      name: graph.name,
      inputs: graph.inputs.map((v) => ({ name: v.name, dtype: v.dtype, shape: v.shape })),
      outputs: outputs.map((o) => {
        const v = graph.values.get(o)!;
        return { name: o, dtype: v.dtype, shape: v.shape };
      }),
      initializers,
      nodes: graph.nodes.map((n) => ({ op: n.opType, inputs: n.inputs, outputs: n.outputs, attrs: n.attrs, name: n.name, ...(n.domain ? { domain: n.domain } : {}) })),
    });
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "disabled", logSeverityLevel: 3 });
  } catch (e) {
    return `onnxruntime refused the model: ${(e as Error).message.split("\n")[0]}`;
  }
  return {
    async run(feeds) {
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const input of graph.inputs) {
        const t = feeds[input.name]!;
        const { name, array } = ORT_TYPES[input.dtype]!;
        const big = input.dtype === "int64" || input.dtype === "uint64";
        const data = new array(t.data.length);
        for (let i = 0; i < t.data.length; i++) data[i] = big ? BigInt(t.data[i]!) : t.data[i]!;
        ortFeeds[input.name] = new ort.Tensor(name, data, [...t.shape]);
      }
      const res = await session.run(ortFeeds);
      const out = new Map<string, Tensor>();
      for (const name of outputs) {
        const v = graph.values.get(name)!;
        const r = res[name];
        if (!r) throw new Error(`onnxruntime returned no value for "${name}"`);
        if (r.dims.length !== v.shape.length || r.dims.some((d, i) => d !== v.shape[i])) {
          throw new Error(`value "${name}" has shape ${shapeToString([...r.dims])} in onnxruntime, ${shapeToString(v.shape)} in zkc`);
        }
        const src = r.data as ArrayLike<number | bigint | boolean>;
        const data = new Float64Array(src.length);
        for (let i = 0; i < src.length; i++) data[i] = Number(src[i]!);
        out.set(name, tensor(v.dtype, v.shape, data));
      }
      return out;
    },
    release: () => session.release(),
  };
}
