/**
 * Primitive IR: the small set of integer operations that ONNX ops lower onto and that backends
 * implement. Every tensor holds signed integers (a real x is stored as round(x * 2^scale)); in
 * the field a negative v is r - |v|. The exact integer semantics of each primitive live in
 * `semantics.ts`, shared by the witness generator and the accuracy report.
 *
 * Layout conventions: tensors are flat row-major vectors; shapes are informational except where a
 * primitive names its dimensions (matmul, reduceSum, argmax).
 */

import { ZkcError } from "../errors.js";

export type PrimOp =
  | "matmul"
  | "add"
  | "sub"
  | "mul"
  | "scale"
  | "gather"
  | "reduceSum"
  | "rescale"
  | "lookup"
  | "clamp"
  | "max"
  | "divide"
  | "argmax";

/** A table for `lookup`: out = values[x - lo] for lo <= x < lo + values.length. */
export interface LookupTable {
  /** stable name for caching and reports, e.g. "Sigmoid@s8" */
  id: string;
  lo: number;
  values: Float64Array;
}

export type Prim =
  /** out[b,i,j] = sum_k a[b,i,k] * b[b',k,j]; b' = b, or 0 when bBatch == 1 (shared right operand) */
  | { op: "matmul"; a: string; b: string; out: string; batch: number; bBatch: number; m: number; k: number; n: number }
  /** element-wise, same length */
  | { op: "add"; a: string; b: string; out: string }
  | { op: "sub"; a: string; b: string; out: string }
  /** hadamard product, same length */
  | { op: "mul"; a: string; b: string; out: string }
  /** out = in * factor, factor a (small) integer constant */
  | { op: "scale"; in: string; out: string; factor: number }
  /**
   * Data movement as an index map: out[i] = sources[src[i]][idx[i]], or 0 where idx[i] = -1
   * (padding). `src` is omitted when there is one source.
   */
  | { op: "gather"; sources: string[]; out: string; src?: Int32Array; idx: Int32Array }
  /** in viewed as [outer, reduce, inner] -> out [outer, inner]: sums the middle axis */
  | { op: "reduceSum"; in: string; out: string; outer: number; reduce: number; inner: number }
  /**
   * out = floor((x + 2^(shift-1)) / 2^shift): division by 2^shift rounding half up. Proven as
   * x + 2^(shift-1) = out * 2^shift + rem with 0 <= rem < 2^shift.
   */
  | { op: "rescale"; in: string; out: string; shift: number }
  /** out = table.values[x - table.lo]; x must lie in the table's domain (clamp first) */
  | { op: "lookup"; in: string; out: string; table: LookupTable }
  /** out = min(max(x, lo), hi), integer constants */
  | { op: "clamp"; in: string; out: string; lo: number; hi: number }
  /** element-wise max of two tensors of the same length */
  | { op: "max"; a: string; b: string; out: string }
  /**
   * out = floor(num * 2^shift / den) for den > 0 (element-wise, same length). Proven as
   * num * 2^shift = out * den + rem with 0 <= rem < den.
   */
  | { op: "divide"; num: string; den: string; out: string; shift: number }
  /** in viewed as [outer, reduce, inner] -> out [outer, inner]: index of the first maximum */
  | { op: "argmax"; in: string; out: string; outer: number; reduce: number; inner: number };

/** Group sets that passes and backends query. */
export const ELEMENTWISE: ReadonlySet<PrimOp> = new Set(["add", "sub", "mul", "scale", "rescale", "lookup", "clamp", "max", "divide"]);
/** Linear in their inputs with public coefficients: claims pass through without new witness. */
export const LINEAR: ReadonlySet<PrimOp> = new Set(["add", "sub", "scale", "gather", "reduceSum"]);
/** Need range checks or lookups in a proof. */
export const NONLINEAR: ReadonlySet<PrimOp> = new Set(["rescale", "lookup", "clamp", "max", "divide", "argmax"]);

export type TensorKind = "input" | "param" | "intermediate";

/** A tensor of the integer program. */
export interface QTensor {
  name: string;
  shape: number[];
  /** value = integer / 2^scale */
  scale: number;
  /** static bound: every integer value v satisfies |v| <= maxAbs */
  maxAbs: number;
  kind: TensorKind;
  /** integer values of a param (public weight) */
  values?: Float64Array;
  /** the ONNX value this tensor represents, when it represents one */
  onnxName?: string;
}

/** The ONNX node a primitive was lowered from, for errors and plans in the model's own terms. */
export interface PrimOrigin {
  /** the node's name (the frontend names unnamed nodes `<op>_<index>`) */
  node: string;
  /** its op type, e.g. "Conv" */
  op: string;
}

/**
 * A tensor in the model's words: the ONNX value it represents, else the step that computes it
 * ("the matmul step" for "matmul#250"): internal names mean nothing to the model's author.
 */
export function tensorLabel(name: string, t?: Pick<QTensor, "onnxName">): string {
  return t?.onnxName ? `value "${t.onnxName}"` : `the ${name.replace(/#\d+$/, "")} step`;
}

/**
 * A ZkcError raised while handling one primitive, retold at the ONNX node it was lowered from
 * (the node and op type replace the internal location, which is kept in the reason).
 */
export function atOrigin(e: ZkcError, origin: PrimOrigin | undefined, where: string): ZkcError {
  if (!origin) return e;
  const copy = new ZkcError(e.code, `${e.reason} (${where})`, { ...e.details, node: origin.node, op: origin.op });
  copy.stack = e.stack;
  return copy;
}

/** A whole integer program: tensors, primitives in execution order, graph inputs and outputs. */
export interface QProgram {
  tensors: Map<string, QTensor>;
  prims: Prim[];
  /**
   * per primitive (same index), the ONNX node it comes from; present for programs quantised from
   * a graph, absent for programs read back from program.json or written by hand
   */
  origins?: PrimOrigin[];
  /** graph inputs in graph order, with the scale their float values are quantised at */
  inputs: string[];
  /** graph outputs in graph order */
  outputs: string[];
}

/** Inputs and output of a primitive, in a fixed order. */
export function primInputs(p: Prim): string[] {
  switch (p.op) {
    case "matmul":
    case "add":
    case "sub":
    case "mul":
    case "max":
      return [p.a, p.b];
    case "divide":
      return [p.num, p.den];
    case "gather":
      return [...p.sources];
    default:
      return [p.in];
  }
}

/**
 * Largest |integer| any tensor may hold: keeps the integer interpreter exact in float64 (2^53)
 * and every value, product and remainder far from wrapping the 254-bit field.
 */
export const SAFE_MAX_ABS = 2 ** 50;
