/**
 * A small ModelProto builder for tests and fixtures: describe inputs, outputs, initializers and
 * nodes in plain objects, get ONNX bytes that both zkc and onnxruntime load.
 *
 * @example
 * const bytes = buildModel({
 *   opset: 17,
 *   inputs: [{ name: "x", dtype: "float32", shape: [1, 4] }],
 *   outputs: [{ name: "y", dtype: "float32", shape: [4, 1] }],
 *   initializers: { shape: tensorOf("int64", [2], [4, 1]) },
 *   nodes: [node("Reshape", ["x", "shape"], ["y"])],
 * });
 */
import type { AttrValue } from "../ir/graph.js";
import type { DType, Tensor } from "../ir/tensor.js";
import { onnxFromDtype } from "./dtypes.js";
import { onnx, type OnnxTypes } from "./proto.js";
import { type TensorEncoding, encodeTensorProto } from "./tensor-proto.js";

/** A dim: a fixed size, a symbolic name (dim_param), or null for an unknown dim. */
export type DimSpec = number | string | null;

export interface ValueSpec {
  name: string;
  /**
   * Default float32. An output with neither dtype nor shape gets no type at all (inference and
   * onnxruntime supply it), which suits outputs of other dtypes such as Shape's int64.
   */
  dtype?: DType;
  /** omitted: the value has no shape information at all */
  shape?: DimSpec[];
}

/**
 * An attribute value. Plain JS values are typed by their form: an integer number is INT, any
 * other number FLOAT; arrays likewise (INTS unless some element is fractional); strings STRING(S);
 * a Tensor is TENSOR. Use `attr.float(1)` etc. to force a kind (e.g. a float attribute equal to 1).
 */
export type AttrInput = AttrValue | number | number[] | string | string[] | Tensor;

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrInput>;
  /** default: no name (the frontend then invents `<op>_<index>`) */
  name?: string;
  /** default "" (ai.onnx) */
  domain?: string;
}

export interface ModelSpec {
  /** default-domain opset, default 17 */
  opset?: number;
  /** extra opset imports, e.g. { "com.microsoft": 1 } */
  opsets?: Record<string, number>;
  /** default: the IR version that matches the opset */
  irVersion?: number;
  name?: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers?: Record<string, Tensor>;
  /** how initializers are stored, default "raw" */
  initializerEncoding?: TensorEncoding;
  nodes: NodeSpec[];
}

/** Explicitly typed attribute values. */
export const attr = {
  int: (value: number): AttrValue => ({ type: "int", value }),
  float: (value: number): AttrValue => ({ type: "float", value }),
  string: (value: string): AttrValue => ({ type: "string", value }),
  ints: (value: number[]): AttrValue => ({ type: "ints", value }),
  floats: (value: number[]): AttrValue => ({ type: "floats", value }),
  strings: (value: string[]): AttrValue => ({ type: "strings", value }),
  tensor: (value: Tensor): AttrValue => ({ type: "tensor", value }),
};

/** Shorthand for a NodeSpec. */
export function node(op: string, inputs: string[], outputs: string[], attrs?: Record<string, AttrInput>, name?: string): NodeSpec {
  return { op, inputs, outputs, attrs, name };
}

/** The IR version ONNX pairs with an opset (IR 8 up to opset 18, 9 for 19-20, 10 from 21). */
export function irVersionFor(opset: number): number {
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 14) return 7;
  if (opset >= 12) return 7;
  if (opset >= 10) return 5;
  if (opset >= 9) return 4;
  return 3;
}

/** The ModelProto message (for tests that need to tamper with fields before encoding). */
export function buildModelProto(spec: ModelSpec): OnnxTypes.IModelProto {
  const opset = spec.opset ?? 17;
  const opsetImport: OnnxTypes.IOperatorSetIdProto[] = [{ domain: "", version: opset }];
  for (const [domain, version] of Object.entries(spec.opsets ?? {})) opsetImport.push({ domain, version });
  const initializer = Object.entries(spec.initializers ?? {}).map(([name, t]) => encodeTensorProto(t, name, spec.initializerEncoding ?? "raw"));
  return {
    irVersion: spec.irVersion ?? irVersionFor(opset),
    producerName: "zkc-build",
    opsetImport,
    graph: {
      name: spec.name ?? "graph",
      input: spec.inputs.map((v) => valueInfo({ ...v, dtype: v.dtype ?? "float32" })),
      output: spec.outputs.map(valueInfo),
      initializer,
      node: spec.nodes.map(nodeProto),
    },
  };
}

/** Serializes a ModelProto message. */
export function encodeModel(proto: OnnxTypes.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(proto).finish();
}

/** ONNX model bytes from a spec. */
export function buildModel(spec: ModelSpec): Uint8Array {
  return encodeModel(buildModelProto(spec));
}

function valueInfo(v: ValueSpec): OnnxTypes.IValueInfoProto {
  if (v.dtype === undefined && v.shape === undefined) return { name: v.name };
  const tensorType: OnnxTypes.TypeProto.ITensor = { elemType: onnxFromDtype(v.dtype ?? "float32") };
  if (v.shape) {
    tensorType.shape = {
      dim: v.shape.map((d) => (typeof d === "number" ? { dimValue: d } : typeof d === "string" ? { dimParam: d } : {})),
    };
  }
  return { name: v.name, type: { tensorType } };
}

function nodeProto(n: NodeSpec): OnnxTypes.INodeProto {
  return {
    name: n.name ?? "",
    opType: n.op,
    domain: n.domain ?? "",
    input: n.inputs,
    output: n.outputs,
    attribute: Object.entries(n.attrs ?? {}).map(([name, v]) => attributeProto(name, v)),
  };
}

const A = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

function isAttrValue(v: AttrInput): v is AttrValue {
  return typeof v === "object" && !Array.isArray(v) && "type" in v && "value" in v;
}

function attributeProto(name: string, v: AttrInput): OnnxTypes.IAttributeProto {
  let a: AttrValue;
  if (isAttrValue(v)) a = v;
  else if (typeof v === "number") a = Number.isInteger(v) ? { type: "int", value: v } : { type: "float", value: v };
  else if (typeof v === "string") a = { type: "string", value: v };
  else if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === "string") a = { type: "strings", value: v as string[] };
    else a = (v as number[]).every(Number.isInteger) ? { type: "ints", value: v as number[] } : { type: "floats", value: v as number[] };
  } else a = { type: "tensor", value: v };

  switch (a.type) {
    case "int":
      return { name, type: A.INT, i: a.value };
    case "float":
      return { name, type: A.FLOAT, f: a.value };
    case "string":
      return { name, type: A.STRING, s: utf8.encode(a.value) };
    case "ints":
      return { name, type: A.INTS, ints: a.value };
    case "floats":
      return { name, type: A.FLOATS, floats: a.value };
    case "strings":
      return { name, type: A.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case "tensor":
      return { name, type: A.TENSOR, t: encodeTensorProto(a.value) };
    case "tensors":
      return { name, type: A.TENSORS, tensors: a.value.map((t) => encodeTensorProto(t)) };
    case "graph":
      return { name, type: A.GRAPH, g: a.value as OnnxTypes.IGraphProto };
    case "graphs":
      return { name, type: A.GRAPHS, graphs: a.value as OnnxTypes.IGraphProto[] };
    case "type_proto":
      return { name, type: A.TYPE_PROTO, tp: a.value as OnnxTypes.ITypeProto };
    case "type_protos":
      return { name, type: A.TYPE_PROTOS, typeProtos: a.value as OnnxTypes.ITypeProto[] };
  }
}
