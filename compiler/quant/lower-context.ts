/**
 * What an op's `lower` sees: its inputs as integer tensors (or constants it may quantise itself),
 * the builder to emit primitives with, the float shapes of its outputs and the calibrated float
 * range of every ONNX value.
 */
import type { DType, Tensor } from "../ir/tensor.js";
import type { OpContext, OutputInfo } from "../ops/op.js";
import type { ProgramBuilder } from "./builder.js";
import type { QTensor } from "./prim.js";

export interface LowerInput {
  /** ONNX value name */
  name: string;
  shape: number[];
  /** ONNX dtype from shape inference (bool tensors are 0/1 at scale 0, integers at scale 0) */
  dtype?: DType;
  /** the float value when it is a compile-time constant (weights, shapes, ...) */
  constant?: Tensor;
  /** the integer tensor; a constant is quantised at the param scale on first use */
  value(): QTensor;
}

/** Calibrated range of a value's finite elements; the flags say it also held -inf or +inf. */
export interface ValueRange {
  min: number;
  max: number;
  negInf?: boolean;
  posInf?: boolean;
}

export interface LowerContext extends OpContext {
  q: ProgramBuilder;
  /** float shapes/dtypes of the node's outputs, from shape inference */
  outputs: OutputInfo[];
  /** calibrated range of an ONNX value (undefined when never observed) */
  range(name: string): ValueRange | undefined;
}
