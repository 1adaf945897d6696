/**
 * The contract every ONNX op implements, one file per op (compiler/ops/<op>.ts), with versions
 * side by side (`Softmax_1`, `Softmax_13`). An op file holds the op's shape rule and its float
 * reference semantics together; the quantised lowering joins them in the same file.
 */
import { ZkcError } from "../errors.js";
import type { AttrValue, Node } from "../ir/graph.js";
import type { DType, Tensor } from "../ir/tensor.js";
import type { LowerContext, LowerInput } from "../quant/lower-context.js";
import type { QTensor } from "../quant/prim.js";

/** dtype and shape of one output, as the shape rule computes it */
export interface OutputInfo {
  dtype: DType;
  shape: number[];
}

/** What an op sees of an input at compile time. */
export interface InputInfo {
  dtype: DType;
  shape: number[];
  /** the value, when it is known at compile time (initializer, Constant, folded) */
  constant?: Tensor;
}

export interface OpContext {
  node: Node;
  /** the model's opset of the node's domain (default domain or ai.onnx.ml) */
  opset: number;
  /** model file, for errors */
  source: string;
  attrs: Attrs;
}

export interface OpDef {
  opType: string;
  /** the op's domain: absent or "" for the default ONNX domain, "ai.onnx.ml" for ONNX-ML */
  domain?: string;
  /** first opset version with these semantics; the registry picks the highest <= model opset */
  sinceVersion: number;
  /**
   * Shape rule: output dtypes and shapes. `undefined` entries are omitted optional inputs.
   * Throws ZkcError("SHAPE" | "ATTRIBUTE" | "UNSUPPORTED_FEATURE") via `ctx` helpers.
   */
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[];
  /** Float reference semantics. Inputs have the shapes `infer` accepted. */
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[];
  /**
   * True when the outputs depend on the input shapes only (Shape, Size): such a node folds
   * to a constant even when its input is not constant.
   */
  shapeOnly?: boolean;
  /**
   * Inputs read for their dtype and shape only (CastLike's target_type): the node folds when the
   * other inputs are constant.
   */
  typeOnlyInputs?: readonly number[];
  /**
   * Quantised lowering onto primitives (compiler/quant/prim.ts). Absent: the op cannot be
   * quantised yet, and compiling a model that uses it (outside constant folding) says so.
   */
  lower?(inputs: (LowerInput | undefined)[], ctx: LowerContext): QTensor[];
}

/** Typed access to a node's attributes with defaults and errors that name the node. */
export class Attrs {
  constructor(
    private readonly node: Node,
    private readonly source: string,
  ) {}

  has(name: string): boolean {
    return name in this.node.attrs;
  }

  int(name: string, dflt?: number): number {
    return this.get(name, "int", dflt) as number;
  }
  float(name: string, dflt?: number): number {
    const a = this.node.attrs[name];
    // some exporters write integer-valued floats as ints
    if (a && a.type === "int") return a.value;
    return this.get(name, "float", dflt) as number;
  }
  string(name: string, dflt?: string): string {
    return this.get(name, "string", dflt) as string;
  }
  ints(name: string, dflt?: number[]): number[] {
    return this.get(name, "ints", dflt) as number[];
  }
  floats(name: string, dflt?: number[]): number[] {
    return this.get(name, "floats", dflt) as number[];
  }
  strings(name: string, dflt?: string[]): string[] {
    return this.get(name, "strings", dflt) as string[];
  }
  tensor(name: string, dflt?: Tensor): Tensor {
    return this.get(name, "tensor", dflt) as Tensor;
  }

  private get(name: string, type: AttrValue["type"], dflt: unknown): unknown {
    const a = this.node.attrs[name];
    if (a === undefined) {
      if (dflt !== undefined) return dflt;
      throw this.error(`missing required attribute "${name}"`, { expected: type });
    }
    if (a.type !== type) {
      throw this.error(`attribute "${name}" has the wrong type`, { expected: type, got: a.type });
    }
    return a.value;
  }

  private error(reason: string, extra: { expected?: string; got?: string }): ZkcError {
    return new ZkcError("ATTRIBUTE", reason, {
      file: this.source,
      node: this.node.name,
      op: this.node.opType,
      ...extra,
      hint: "check the exporter's output against the ONNX operator specification",
    });
  }
}

/** Error helpers that name the node; op files use these instead of bare throws. */
export function shapeError(ctx: OpContext, reason: string, expected?: string, got?: string): ZkcError {
  return new ZkcError("SHAPE", reason, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    expected,
    got,
    hint: "the model's shapes are inconsistent; re-export it or fix the input shape",
  });
}

export function unsupported(ctx: OpContext, reason: string, hint?: string): ZkcError {
  return new ZkcError("UNSUPPORTED_FEATURE", reason, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    hint: hint ?? "this form of the op is not supported yet; please open an issue with the model",
  });
}

/** Resolves a possibly negative axis against a rank, with a SHAPE error when out of range. */
export function normaliseAxis(ctx: OpContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank || !Number.isInteger(a)) {
    throw shapeError(ctx, `axis ${axis} is out of range for rank ${rank}`, `-${rank} <= axis < ${rank}`, String(axis));
  }
  return a;
}

/** Requires an input to be present; names the position in the error. */
export function required<T>(ctx: OpContext, inputs: (T | undefined)[], i: number): T {
  const v = inputs[i];
  if (v === undefined) {
    throw new ZkcError("SHAPE", `input ${i} is required but missing`, {
      file: ctx.source,
      node: ctx.node.name,
      op: ctx.node.opType,
    });
  }
  return v;
}

/** Requires an input's value at compile time (e.g. Reshape's shape); names what is needed. */
export function constantInput(ctx: OpContext, inputs: (InputInfo | undefined)[], i: number, what: string): Tensor {
  const v = required(ctx, inputs, i);
  if (!v.constant) {
    throw unsupported(
      ctx,
      `${what} (input ${i}, "${ctx.node.inputs[i]}") must be known at compile time`,
      "zkc needs static shapes; export the model with constant shape inputs (e.g. torch.onnx.export with fixed input sizes)",
    );
  }
  return v.constant;
}
