/**
 * Graph IR: what the ONNX frontend produces. Every value has a dtype and a static shape; every
 * node has typed attributes. Values known at compile time (initializers, Constant nodes and
 * everything folded from them) are in `constants`.
 */
import type { Tensor, ValueInfo } from "./tensor.js";

export type AttrValue =
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "string"; value: string }
  | { type: "ints"; value: number[] }
  | { type: "floats"; value: number[] }
  | { type: "strings"; value: string[] }
  | { type: "tensor"; value: Tensor }
  | { type: "graph"; value: unknown }
  // rarer kinds, kept so that every AttributeProto decodes (no supported op reads them yet)
  | { type: "tensors"; value: Tensor[] }
  | { type: "graphs"; value: unknown[] }
  | { type: "type_proto"; value: unknown }
  | { type: "type_protos"; value: unknown[] };

export interface Node {
  /** ONNX node name; the frontend invents `<opType>_<index>` when the model has none */
  name: string;
  opType: string;
  /** "" for the default ONNX domain */
  domain: string;
  /** "" marks an omitted optional input */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface Graph {
  name: string;
  /** model file the graph came from, for error messages */
  source: string;
  /** opset version of the default domain */
  opset: number;
  /** opset versions the model imports for the other domains zkc knows (ai.onnx.ml) */
  opsets?: Readonly<Record<string, number>>;
  /** runtime inputs (initializers excluded) */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** nodes in topological order; folded nodes are removed */
  nodes: Node[];
  /** dtype and shape of every value, inputs, constants and intermediates alike */
  values: Map<string, ValueInfo>;
  /** initializers, Constant outputs and folded values */
  constants: Map<string, Tensor>;
  /** things the user should know about (dims that were guessed, ...) */
  warnings: string[];
}
