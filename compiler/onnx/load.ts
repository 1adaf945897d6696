/**
 * The ONNX frontend: ModelProto bytes -> graph IR. Decodes the protobuf, checks what zkc cannot
 * handle up front (opset, domains, dtypes, external data, unresolved dims) with errors that say
 * what to do, sorts the nodes, then runs shape inference and constant folding (`inferGraph`).
 */
import { readFileSync } from "node:fs";
import { ZkcError } from "../errors.js";
import type { AttrValue, Graph, Node } from "../ir/graph.js";
import { type DecodedGraph, inferGraph } from "../ir/infer.js";
import { type DType, type Tensor, type ValueInfo, shapeToString, sizeOf, stridesOf } from "../ir/tensor.js";
import { DOMAIN_OPSETS, MAX_OPSET, MIN_OPSET, ML_DOMAIN, canonicalDomain, isKnownDomain, isSupported, qualifiedOp, supportedOps } from "../ops/registry.js";
import { dtypeFromOnnx } from "./dtypes.js";
import { onnx, toNumber, type LongLike, type OnnxTypes } from "./proto.js";
import { decodeTensorProto } from "./tensor-proto.js";

export interface LoadOptions {
  /**
   * Static shapes for graph inputs, by name. Needed when an input has symbolic dims other than the
   * batch dim (dim 0, which defaults to 1); given shapes must agree with the model's fixed dims.
   */
  inputShapes?: Record<string, number[]>;
  /**
   * Values to bind graph inputs to at compile time, by name: such inputs become constants (like
   * initializers) and fold. For models that take shape arguments as inputs (ONNX test cases feed
   * Reshape's shape, Slice's starts, ... this way) and for fixing inputs the prover will not vary.
   */
  constants?: Record<string, Tensor>;
}

/**
 * Reads and loads an ONNX model file: decode, check, sort, infer shapes, fold constants.
 * @throws ZkcError for unreadable files and every model zkc cannot handle
 */
export function loadModelFile(path: string, opts: LoadOptions = {}): Graph {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ZkcError("INPUT", `cannot read model file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: path,
      hint: "check the path to the .onnx file",
    });
  }
  return loadModelBytes(bytes, path, opts);
}

/**
 * Loads an ONNX model from bytes. `source` names the model in errors (a path or a label).
 * @example const g = loadModelBytes(buildModel({...}), "test.onnx");
 */
export function loadModelBytes(bytes: Uint8Array, source: string, opts: LoadOptions = {}): Graph {
  const { decoded, declaredDtypes } = decode(bytes, source, opts);
  const graph = inferGraph(decoded);
  for (const o of graph.outputs) {
    const declared = declaredDtypes.get(o.name);
    if (declared !== undefined && declared !== o.dtype) {
      throw new ZkcError("SHAPE", `graph output "${o.name}" is declared with another dtype than inference gives`, {
        file: source,
        expected: declared,
        got: o.dtype,
        hint: "the model's declared output type disagrees with its nodes; re-export the model",
      });
    }
  }
  return graph;
}

/** Decodes and checks a model without running shape inference (values hold inputs and constants only). */
export function decodeModel(bytes: Uint8Array, source: string, opts: LoadOptions = {}): DecodedGraph {
  return decode(bytes, source, opts).decoded;
}

/** The decoded graph plus the output dtypes the model declares (outputs without a type are absent). */
function decode(bytes: Uint8Array, source: string, opts: LoadOptions): { decoded: DecodedGraph; declaredDtypes: Map<string, DType> } {
  const model = parseModel(bytes, source);
  const opset = defaultOpset(model, source);
  const opsets = domainOpsets(model, source);
  const g = model.graph;
  if (!g) {
    throw new ZkcError("MODEL_FORMAT", "the model has no graph", {
      file: source,
      hint: "the file is not an ONNX model, or it is truncated; re-export it",
    });
  }
  const warnings: string[] = [];

  const constants = new Map<string, Tensor>();
  for (const init of g.initializer ?? []) {
    const name = init.name ?? "";
    constants.set(name, decodeTensorProto(init, { file: source, what: `initializer "${name}"` }));
  }
  for (const sp of g.sparseInitializer ?? []) {
    const name = sp.values?.name ?? "";
    constants.set(name, densify(sp, source, `sparse initializer "${name}"`));
  }
  bindConstants(g.input ?? [], constants, source, opts.constants ?? {});

  const inputs = decodeInputs(g.input ?? [], constants, source, opts, warnings);
  refuseZipMap(g, source);
  const outputs = (g.output ?? []).map((o) => decodeOutput(o, source));
  const declaredDtypes = new Map<string, DType>();
  (g.output ?? []).forEach((o, i) => {
    if (o.type?.tensorType?.elemType) declaredDtypes.set(outputs[i]!.name, outputs[i]!.dtype);
  });
  if (outputs.length === 0) {
    throw new ZkcError("MODEL_FORMAT", "the graph has no outputs", { file: source, hint: "re-export the model with its outputs declared" });
  }

  const nodes = (g.node ?? []).map((n, i) => decodeNode(n, i, source));
  checkOpsSupported(nodes, source);
  const sorted = topoSort(nodes, source);

  return { decoded: { name: g.name ?? "", source, opset, opsets, inputs, outputs, nodes: sorted, constants, warnings }, declaredDtypes };
}

function parseModel(bytes: Uint8Array, source: string): OnnxTypes.ModelProto {
  if (bytes.length === 0) {
    throw new ZkcError("MODEL_FORMAT", "the model file is empty", { file: source, hint: "re-export or re-download the model" });
  }
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ZkcError("MODEL_FORMAT", `not a valid ONNX protobuf (${(e as Error).message})`, {
      file: source,
      hint: "the file is truncated or is not an ONNX model; re-export or re-download it",
    });
  }
  // Protobuf decoding accepts many byte strings (unknown fields are skipped): insist on the
  // fields every ONNX model has, so text or other binaries are not mistaken for an empty model.
  if (toNumber(model.irVersion as LongLike) <= 0 && !model.graph) {
    throw new ZkcError("MODEL_FORMAT", "not an ONNX model (no ir_version and no graph)", {
      file: source,
      hint: "pass an .onnx file written by an ONNX exporter",
    });
  }
  return model;
}

function defaultOpset(model: OnnxTypes.ModelProto, source: string): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
  let opset: number;
  if (entry) opset = toNumber(entry.version as LongLike);
  else if (toNumber(model.irVersion as LongLike) < 3) opset = 1; // IR < 3 predates opset_import
  else if (usesOnlyOtherKnownDomains(model)) opset = MAX_OPSET; // a pure ai.onnx.ml model needs no default opset
  else {
    throw new ZkcError("MODEL_FORMAT", "the model imports no default-domain opset", {
      file: source,
      hint: "re-export the model; every ONNX model since IR version 3 declares opset_import for the ai.onnx domain",
    });
  }
  if (opset > MAX_OPSET || opset < MIN_OPSET) {
    throw new ZkcError("UNSUPPORTED_OPSET", `the model uses opset ${opset} of the default domain`, {
      file: source,
      expected: `${MIN_OPSET}..${MAX_OPSET}`,
      got: String(opset),
      hint: `re-export with opset ${MAX_OPSET} or older (e.g. torch.onnx.export(..., opset_version=${Math.min(MAX_OPSET, 17)}))`,
    });
  }
  return opset;
}

/**
 * ZipMap (ai.onnx.ml) turns class probabilities into a sequence of maps, which is not a tensor
 * zkc can prove or output: said before the sequence-typed output is, with what to do instead.
 */
function refuseZipMap(g: OnnxTypes.IGraphProto, source: string): void {
  const zip = (g.node ?? []).find((n) => n.opType === "ZipMap" && canonicalDomain(n.domain) === ML_DOMAIN);
  if (!zip) return;
  throw new ZkcError("UNSUPPORTED_FEATURE", "ZipMap outputs the class probabilities as a sequence of maps, which zkc cannot prove or output", {
    file: source,
    node: zip.name || "ZipMap",
    op: "ai.onnx.ml::ZipMap",
    hint: "export without it, so the probabilities stay a tensor: skl2onnx.to_onnx(model, X, options={\"zipmap\": False}) (or convert_sklearn(..., options={id(model): {\"zipmap\": False}}))",
  });
}

/** The model imports a known non-default domain and none of its nodes is in the default domain. */
function usesOnlyOtherKnownDomains(model: OnnxTypes.ModelProto): boolean {
  const imports = (model.opsetImport ?? []).map((o) => canonicalDomain(o.domain));
  return imports.some((d) => d !== "" && isKnownDomain(d)) && (model.graph?.node ?? []).every((n) => canonicalDomain(n.domain) !== "");
}

/**
 * Opset imports of the other domains zkc knows (ai.onnx.ml), each checked against its supported
 * range like the default domain's. Imports of unknown domains are left alone: a node that uses
 * one is refused by name (UNSUPPORTED_OP).
 */
function domainOpsets(model: OnnxTypes.ModelProto, source: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of model.opsetImport ?? []) {
    const domain = canonicalDomain(entry.domain);
    if (domain === "" || !isKnownDomain(domain)) continue;
    const range = DOMAIN_OPSETS[domain]!;
    const v = toNumber(entry.version as LongLike);
    if (v > range.max || v < range.min) {
      throw new ZkcError("UNSUPPORTED_OPSET", `the model uses opset ${v} of the ${domain} domain`, {
        file: source,
        expected: `${range.min}..${range.max}`,
        got: String(v),
        hint: `re-export with ${domain} opset ${range.max} or older (skl2onnx: target_opset={"": 17, "${domain}": ${Math.min(range.max, 3)}})`,
      });
    }
    out[domain] = Math.max(out[domain] ?? 0, v);
  }
  return out;
}

/** A sparse tensor (values + indices + dims) as a dense tensor with zeros elsewhere. */
function densify(sp: OnnxTypes.ISparseTensorProto, source: string, what: string): Tensor {
  if (!sp.values || !sp.indices) {
    throw new ZkcError("MODEL_FORMAT", `${what} lacks values or indices`, { file: source, hint: "the model is corrupt; re-export it" });
  }
  const values = decodeTensorProto(sp.values, { file: source, what });
  const indices = decodeTensorProto(sp.indices, { file: source, what: `${what} indices` });
  const shape = (sp.dims ?? []).map((d) => toNumber(d as LongLike));
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  const nnz = values.data.length;
  const strides = stridesOf(shape);
  const bad = () =>
    new ZkcError("MODEL_FORMAT", `${what} has indices that do not fit its dims ${shapeToString(shape)}`, {
      file: source,
      hint: "the model is corrupt; re-export it",
    });
  // indices are either [nnz] linear positions or [nnz, rank] coordinates
  const coordinates = indices.shape.length === 2;
  if ((coordinates && (indices.shape[0] !== nnz || indices.shape[1] !== shape.length)) || (!coordinates && indices.data.length !== nnz)) throw bad();
  for (let k = 0; k < nnz; k++) {
    let flat = 0;
    if (coordinates) for (let a = 0; a < shape.length; a++) flat += indices.data[k * shape.length + a]! * strides[a]!;
    else flat = indices.data[k]!;
    if (flat < 0 || flat >= n) throw bad();
    data[flat] = values.data[k]!;
  }
  return { dtype: values.dtype, shape, data };
}

function tensorTypeOf(v: OnnxTypes.IValueInfoProto, source: string, role: string): OnnxTypes.TypeProto.ITensor {
  const t = v.type;
  if (!t?.tensorType) {
    const kind = t?.sequenceType ? "a sequence" : t?.mapType ? "a map" : t?.optionalType ? "an optional" : t?.sparseTensorType ? "a sparse tensor" : "no type";
    throw new ZkcError("UNSUPPORTED_FEATURE", `${role} "${v.name}" is ${kind}, not a dense tensor`, {
      file: source,
      hint: "zkc handles dense tensor inputs and outputs only",
    });
  }
  return t.tensorType;
}

function decodeInputs(
  protos: OnnxTypes.IValueInfoProto[],
  constants: Map<string, Tensor>,
  source: string,
  opts: LoadOptions,
  warnings: string[],
): ValueInfo[] {
  const given = opts.inputShapes ?? {};
  const runtime = protos.filter((v) => !constants.has(v.name ?? ""));
  for (const name of Object.keys(given)) {
    if (!runtime.some((v) => v.name === name)) {
      throw new ZkcError("INPUT", `a shape was given for "${name}", which is not a graph input`, {
        file: source,
        hint: `the model's inputs are: ${runtime.map((v) => v.name).join(", ") || "(none)"}`,
      });
    }
  }
  return runtime.map((v) => {
    const name = v.name ?? "";
    const tt = tensorTypeOf(v, source, "graph input");
    const dtype = dtypeFromOnnx(tt.elemType ?? 0, `graph input "${name}"`, { file: source });
    const dims = tt.shape ? (tt.shape.dim ?? []).map(dimOf) : undefined;
    const hint = `pass the shape when loading, e.g. inputShapes: { "${name}": [...] }`;
    const override = given[name];
    if (override) {
      if (!override.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new ZkcError("INPUT", `the shape given for input "${name}" is not a list of non-negative integers`, { file: source, got: shapeToString(override) });
      }
      if (dims && (dims.length !== override.length || dims.some((d, i) => typeof d === "number" && d !== override[i]))) {
        throw new ZkcError("INPUT", `the shape given for input "${name}" disagrees with the model`, {
          file: source,
          expected: `[${dims.map((d) => d ?? "?").join(", ")}]`,
          got: shapeToString(override),
          hint: "only symbolic dims can be chosen; fixed dims must match",
        });
      }
      if (dims?.some((d) => typeof d !== "number")) warnings.push(`input "${name}": symbolic dims set to ${shapeToString(override)} as given`);
      return { name, dtype, shape: [...override] };
    }
    if (!dims) {
      throw new ZkcError("UNSUPPORTED_FEATURE", `graph input "${name}" has no shape in the model`, { file: source, hint });
    }
    const shape = dims.map((d, i) => {
      if (typeof d === "number") return d;
      if (i === 0) {
        warnings.push(`input "${name}": dim 0 (${d ?? "unknown"}) is not fixed; using batch size 1 (pass inputShapes to choose)`);
        return 1;
      }
      throw new ZkcError("UNSUPPORTED_FEATURE", `graph input "${name}" has a symbolic dim ${i} (${d ?? "unknown"})`, {
        file: source,
        expected: "static dims (only dim 0, the batch, defaults to 1)",
        got: `[${dims.map((x) => x ?? "?").join(", ")}]`,
        hint,
      });
    });
    return { name, dtype, shape };
  });
}

/** Binds graph inputs to caller-given values, checked against the declared dtype and fixed dims. */
function bindConstants(protos: OnnxTypes.IValueInfoProto[], constants: Map<string, Tensor>, source: string, given: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(given)) {
    const v = protos.find((p) => p.name === name);
    if (!v || constants.has(name)) {
      throw new ZkcError("INPUT", `a constant was given for "${name}", which is not a runtime graph input`, {
        file: source,
        hint: `the model's inputs are: ${protos.filter((p) => !constants.has(p.name ?? "")).map((p) => p.name).join(", ") || "(none)"}`,
      });
    }
    const tt = tensorTypeOf(v, source, "graph input");
    const dtype = dtypeFromOnnx(tt.elemType ?? 0, `graph input "${name}"`, { file: source });
    const dims = tt.shape ? (tt.shape.dim ?? []).map((d) => {
      const v = dimOf(d);
      return typeof v === "number" ? v : -1;
    }) : undefined;
    if (t.dtype !== dtype || (dims && (dims.length !== t.shape.length || dims.some((d, i) => d >= 0 && d !== t.shape[i])))) {
      throw new ZkcError("INPUT", `the constant given for input "${name}" does not match its declaration`, {
        file: source,
        expected: `${dtype} [${(dims ?? []).map((d) => (d >= 0 ? d : "?")).join(", ")}]`,
        got: `${t.dtype} ${shapeToString(t.shape)}`,
      });
    }
    constants.set(name, t);
  }
}

/**
 * A dim as the model states it: a size (an explicit dim_value, 0 included), the dim_param name,
 * or null when neither is set. onnx-proto leaves an unset oneof member null/undefined.
 */
function dimOf(d: OnnxTypes.TensorShapeProto.IDimension): number | string | null {
  if (d.dimValue !== undefined && d.dimValue !== null) {
    const v = toNumber(d.dimValue as LongLike);
    if (v >= 0) return v;
  }
  return d.dimParam || null;
}

function decodeOutput(v: OnnxTypes.IValueInfoProto, source: string): ValueInfo {
  const name = v.name ?? "";
  // outputs may carry no type at all: inference supplies dtype and shape
  if (!v.type) return { name, dtype: "float32", shape: [] };
  const tt = tensorTypeOf(v, source, "graph output");
  // an output's elem_type may be left unset; inference supplies the real dtype
  const dtype = tt.elemType ? dtypeFromOnnx(tt.elemType, `graph output "${name}"`, { file: source }) : "float32";
  // unknown dims are -1: inferGraph checks declared positive dims only
  const shape = tt.shape ? (tt.shape.dim ?? []).map((d) => {
    const v = dimOf(d);
    return typeof v === "number" ? v : -1;
  }) : [];
  return { name, dtype, shape };
}

const utf8 = new TextDecoder();

function decodeNode(n: OnnxTypes.INodeProto, index: number, source: string): Node {
  const opType = n.opType ?? "";
  const name = n.name || `${opType}_${index}`;
  const attrs: Record<string, AttrValue> = {};
  for (const a of n.attribute ?? []) {
    const attrName = a.name ?? "";
    attrs[attrName] = decodeAttribute(a, source, name, opType);
  }
  return {
    name,
    opType,
    domain: n.domain === "ai.onnx" ? "" : (n.domain ?? ""),
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs,
  };
}

const A = onnx.AttributeProto.AttributeType;

function decodeAttribute(a: OnnxTypes.IAttributeProto, source: string, node: string, op: string): AttrValue {
  const where = { file: source, node, op };
  const what = `attribute "${a.name}"`;
  if (a.refAttrName) {
    throw new ZkcError("UNSUPPORTED_FEATURE", `${what} refers to a function attribute ("${a.refAttrName}")`, {
      ...where,
      hint: "attribute references only make sense inside ONNX functions; inline the function before export",
    });
  }
  const tensor = (t: OnnxTypes.ITensorProto) => decodeTensorProto(t, { file: source, what, node, op });
  let type = a.type ?? A.UNDEFINED;
  if (type === A.UNDEFINED) type = guessAttributeType(a);
  switch (type) {
    case A.FLOAT:
      return { type: "float", value: a.f ?? 0 };
    case A.INT:
      return { type: "int", value: toNumber(a.i as LongLike) };
    case A.STRING:
      return { type: "string", value: utf8.decode(a.s ?? new Uint8Array()) };
    case A.TENSOR:
      return { type: "tensor", value: tensor(a.t ?? {}) };
    case A.SPARSE_TENSOR:
      return { type: "tensor", value: densify(a.sparseTensor ?? {}, source, what) };
    case A.GRAPH:
      return { type: "graph", value: a.g };
    case A.FLOATS:
      return { type: "floats", value: [...(a.floats ?? [])] };
    case A.INTS:
      return { type: "ints", value: (a.ints ?? []).map((x) => toNumber(x as LongLike)) };
    case A.STRINGS:
      return { type: "strings", value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case A.TENSORS:
      return { type: "tensors", value: (a.tensors ?? []).map(tensor) };
    case A.SPARSE_TENSORS:
      return { type: "tensors", value: (a.sparseTensors ?? []).map((s) => densify(s, source, what)) };
    case A.GRAPHS:
      return { type: "graphs", value: [...(a.graphs ?? [])] };
    case A.TYPE_PROTO:
      return { type: "type_proto", value: a.tp };
    case A.TYPE_PROTOS:
      return { type: "type_protos", value: [...(a.typeProtos ?? [])] };
    default:
      throw new ZkcError("MODEL_FORMAT", `${what} has unknown attribute type ${type}`, {
        ...where,
        hint: "the model was written by a newer ONNX than zkc reads; re-export with an older ONNX version",
      });
  }
}

/** Very old models leave AttributeProto.type unset: take the kind from the field that is filled. */
function guessAttributeType(a: OnnxTypes.IAttributeProto): number {
  if (a.floats?.length) return A.FLOATS;
  if (a.ints?.length) return A.INTS;
  if (a.strings?.length) return A.STRINGS;
  if (a.tensors?.length) return A.TENSORS;
  if (a.graphs?.length) return A.GRAPHS;
  if (a.t) return A.TENSOR;
  if (a.g) return A.GRAPH;
  if (a.s && a.s.length) return A.STRING;
  if (a.i !== undefined && a.i !== null && toNumber(a.i as LongLike) !== 0) return A.INT;
  if (a.f) return A.FLOAT;
  return A.INT;
}

/** One error naming every unsupported op type at once, so users see the whole list. */
function checkOpsSupported(nodes: Node[], source: string): void {
  const bad = nodes.filter((n) => !isSupported(n.opType, n.domain));
  if (bad.length === 0) return;
  const first = bad[0]!;
  const kinds = [...new Set(bad.map((n) => qualifiedOp(n.domain, n.opType)))];
  const custom = bad.some((n) => !isKnownDomain(canonicalDomain(n.domain)));
  throw new ZkcError(
    "UNSUPPORTED_OP",
    `${kinds.length === 1 ? "op" : "ops"} ${kinds.map((k) => `"${k}"`).join(", ")} ${kinds.length === 1 ? "is" : "are"} not supported (${bad.length} node${bad.length === 1 ? "" : "s"})`,
    {
      file: source,
      node: first.name,
      op: qualifiedOp(first.domain, first.opType),
      hint: `${custom ? "zkc supports the default ONNX domain and ai.onnx.ml only; re-export without custom ops. " : ""}supported ops: ${supportedOps().join(", ")}`,
    },
  );
}

/**
 * Nodes in an order where every producer comes before its consumers, keeping the file's order
 * where it already is one. Names no node produces (inputs, initializers, missing tensors) are
 * left to inference to check.
 */
function topoSort(nodes: Node[], source: string): Node[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) =>
    n.outputs.forEach((o) => {
      if (o === "") return;
      if (producer.has(o)) {
        throw new ZkcError("MODEL_FORMAT", `tensor "${o}" is produced by two nodes ("${nodes[producer.get(o)!]!.name}" and "${n.name}")`, {
          file: source,
          node: n.name,
          op: n.opType,
          hint: "ONNX graphs are single-assignment; the model is corrupt",
        });
      }
      producer.set(o, i);
    }),
  );
  const deps = nodes.map((n) => [...new Set(n.inputs.filter((x) => producer.has(x)).map((x) => producer.get(x)!))]);
  if (deps.every((d, i) => d.every((j) => j < i))) return nodes;

  const pending = deps.map((d) => d.length);
  const users: number[][] = nodes.map(() => []);
  deps.forEach((d, i) => d.forEach((j) => users[j]!.push(i)));
  // ready set kept sorted so that independent nodes stay in file order
  const ready: number[] = [];
  pending.forEach((p, i) => {
    if (p === 0) ready.push(i);
  });
  const order: Node[] = [];
  while (ready.length) {
    const i = ready.shift()!;
    order.push(nodes[i]!);
    for (const u of users[i]!) {
      if (--pending[u]! === 0) {
        let k = ready.findIndex((x) => x > u);
        if (k < 0) k = ready.length;
        ready.splice(k, 0, u);
      }
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => pending[i]! > 0);
    throw new ZkcError("MODEL_FORMAT", `the graph has a cycle through ${stuck.length} nodes: ${stuck.slice(0, 8).map((n) => `"${n.name}"`).join(", ")}`, {
      file: source,
      node: stuck[0]!.name,
      op: stuck[0]!.opType,
      hint: "ONNX graphs must be acyclic; the model is corrupt",
    });
  }
  return order;
}
