/**
 * Builders for element-wise ops: unary maps, broadcasting binary maps and variadic folds. An op
 * file describes only its scalar function and dtype rule; shape checking, broadcasting and
 * dtype rounding (`storeAs`) live here once.
 */
import { ZkcError } from "../../errors.js";
import { type DType, FLOAT_DTYPES, type Tensor, shapeToString, sizeOf, storeAs, stridesOf, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "../op.js";
import { broadcastIndex, broadcastShapes } from "./broadcast.js";

/** Which input dtypes an op accepts (the ONNX type constraint, coarsely). */
export type DTypeClass = "float" | "numeric" | "signed" | "integer" | "bool" | "any";

const SIGNED_INTS: ReadonlySet<DType> = new Set(["int8", "int16", "int32", "int64"]);
const UNSIGNED_INTS: ReadonlySet<DType> = new Set(["uint8", "uint16", "uint32", "uint64"]);

/** True when `dtype` belongs to `cls` ("signed" = floats and signed integers). */
export function inDTypeClass(dtype: DType, cls: DTypeClass): boolean {
  switch (cls) {
    case "float":
      return FLOAT_DTYPES.has(dtype);
    case "numeric":
      return dtype !== "bool";
    case "signed":
      return FLOAT_DTYPES.has(dtype) || SIGNED_INTS.has(dtype);
    case "integer":
      return SIGNED_INTS.has(dtype) || UNSIGNED_INTS.has(dtype);
    case "bool":
      return dtype === "bool";
    case "any":
      return true;
  }
}

/** True for the integer dtypes (signed or unsigned), where division truncates. */
export function isIntegerDType(dtype: DType): boolean {
  return SIGNED_INTS.has(dtype) || UNSIGNED_INTS.has(dtype);
}

/** A dtype the op does not accept: names the input, the accepted class and what came. */
export function dtypeError(ctx: OpContext, reason: string, expected: string, got: string): ZkcError {
  return new ZkcError("UNSUPPORTED_DTYPE", reason, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    expected,
    got,
    hint: "the ONNX specification does not allow this dtype here; insert a Cast before the node or re-export the model",
  });
}

const INT_BITS: Partial<Record<DType, number>> = {
  int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64,
};

/**
 * Wraps a BigInt to an integer dtype's width (two's complement for signed types) and returns it
 * as a number: bit operations go through BigInt so that 64-bit operands keep every bit that a
 * float64 holds.
 */
export function wrapBigInt(dtype: DType, v: bigint): number {
  const bits = INT_BITS[dtype];
  if (bits === undefined) return Number(v);
  return Number(SIGNED_INTS.has(dtype) ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
}

/** An attribute whose value the op does not accept (an unknown mode string, a zero divisor, ...). */
export function attributeError(ctx: OpContext, name: string, expected: string, got: string): ZkcError {
  return new ZkcError("ATTRIBUTE", `attribute "${name}" has a value the op does not accept`, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    expected,
    got,
    hint: "check the exporter's output against the ONNX operator specification",
  });
}

/** Checks input `i` against a dtype class. */
export function checkDType(ctx: OpContext, dtype: DType, cls: DTypeClass, i: number): void {
  if (!inDTypeClass(dtype, cls)) {
    throw dtypeError(ctx, `input ${i} ("${ctx.node.inputs[i]}") has a dtype the op does not accept`, `${cls} dtype`, dtype);
  }
}

/** Checks that every present input has the same dtype (the ONNX constraint `T` shared by inputs). */
export function checkSameDType(ctx: OpContext, inputs: readonly { dtype: DType }[]): void {
  const first = inputs[0];
  if (!first) return;
  inputs.forEach((x, i) => {
    if (x.dtype !== first.dtype) {
      throw dtypeError(ctx, `input ${i} has dtype ${x.dtype} but input 0 has ${first.dtype}`, first.dtype, x.dtype);
    }
  });
}

/** Numpy broadcast of several shapes, or a SHAPE error naming every shape. */
export function broadcastOrThrow(ctx: OpContext, shapes: readonly (readonly number[])[]): number[] {
  const out = broadcastShapes(...shapes);
  if (!out) {
    throw shapeError(
      ctx,
      `input shapes ${shapes.map(shapeToString).join(" and ")} cannot be broadcast together`,
      "shapes whose trailing dimensions are equal or 1",
      shapes.map(shapeToString).join(", "),
    );
  }
  return out;
}

/**
 * Before opset 7, binary ops broadcast only with `broadcast=1`: B is then aligned with A at
 * `axis` (default: B's dims are A's trailing dims); without it the shapes must be equal. Returns
 * B's shape rewritten to A's rank so that numpy broadcasting gives the same result.
 */
export function legacyBShape(ctx: OpContext, a: readonly number[], b: readonly number[]): number[] {
  if (ctx.attrs.int("broadcast", 0) === 0) {
    if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
      throw shapeError(
        ctx,
        `input shapes ${shapeToString(a)} and ${shapeToString(b)} differ and the node does not set broadcast=1 (required before opset 7)`,
        shapeToString(a),
        shapeToString(b),
      );
    }
    return [...b];
  }
  const axis = ctx.attrs.has("axis") ? ctx.attrs.int("axis") : a.length - b.length;
  const start = axis < 0 ? axis + a.length : axis;
  if (start < 0 || start + b.length > a.length || b.some((d, i) => d !== 1 && d !== a[start + i])) {
    throw shapeError(
      ctx,
      `input B of shape ${shapeToString(b)} cannot be broadcast onto A of shape ${shapeToString(a)} at axis ${axis}`,
      `B's dims matching A's dims from axis ${axis}`,
      shapeToString(b),
    );
  }
  const out = new Array<number>(a.length).fill(1);
  b.forEach((d, i) => (out[start + i] = d));
  return out;
}

/** Options shared by the element-wise builders. */
interface CommonSpec {
  opType: string;
  sinceVersion: number;
  /** accepted input dtypes (default "numeric") */
  dtypes?: DTypeClass;
  /** output dtype when it is not the input dtype (comparisons, IsNaN: "bool") */
  outDType?: DType;
}

export interface UnarySpec extends CommonSpec {
  /** The scalar function, built once per node from its attributes and input dtype. */
  fn(ctx: OpContext, dtype: DType): (x: number) => number;
}

/** An OpDef for `y = f(x)` element by element. */
export function unaryOp(spec: UnarySpec): OpDef {
  const cls = spec.dtypes ?? "numeric";
  return {
    opType: spec.opType,
    sinceVersion: spec.sinceVersion,
    infer(inputs, ctx): OutputInfo[] {
      const x = required(ctx, inputs, 0);
      checkDType(ctx, x.dtype, cls, 0);
      spec.fn(ctx, x.dtype); // reads (and so validates) the attributes at compile time
      return [{ dtype: spec.outDType ?? x.dtype, shape: [...x.shape] }];
    },
    run(inputs, ctx): Tensor[] {
      const x = required(ctx, inputs, 0);
      const f = spec.fn(ctx, x.dtype);
      const outDType = spec.outDType ?? x.dtype;
      const out = new Float64Array(x.data.length);
      const xd = x.data;
      for (let i = 0; i < out.length; i++) out[i] = f(xd[i]!);
      storeAllAs(outDType, out);
      return [tensor(outDType, x.shape, out)];
    },
  };
}

export interface BinarySpec extends CommonSpec {
  /** The scalar function; `dtype` is input 0's dtype. */
  fn(ctx: OpContext, dtype: DType): (a: number, b: number) => number;
  /** both inputs must share a dtype (default true; Pow's exponent may differ) */
  sameDType?: boolean;
  /** dtype class of input 1 when it may differ from input 0 */
  dtypes1?: DTypeClass;
  /** opset < 7 semantics: `broadcast`/`axis` attributes instead of numpy broadcasting */
  legacyBroadcast?: boolean;
}

/** An OpDef for `c = f(a, b)` with numpy (or, for legacy versions, attribute-driven) broadcasting. */
export function binaryOp(spec: BinarySpec): OpDef {
  const cls = spec.dtypes ?? "numeric";
  const shapes = (ctx: OpContext, a: readonly number[], b: readonly number[]): [number[], number[]] => {
    const bShape = spec.legacyBroadcast ? legacyBShape(ctx, a, b) : [...b];
    return [broadcastOrThrow(ctx, [a, bShape]), bShape];
  };
  return {
    opType: spec.opType,
    sinceVersion: spec.sinceVersion,
    infer(inputs, ctx): OutputInfo[] {
      const a = required(ctx, inputs, 0);
      const b = required(ctx, inputs, 1);
      checkDType(ctx, a.dtype, cls, 0);
      checkDType(ctx, b.dtype, spec.dtypes1 ?? cls, 1);
      if (spec.sameDType !== false) checkSameDType(ctx, [a, b]);
      spec.fn(ctx, a.dtype);
      return [{ dtype: spec.outDType ?? a.dtype, shape: shapes(ctx, a.shape, b.shape)[0] }];
    },
    run(inputs, ctx): Tensor[] {
      const a = required(ctx, inputs, 0);
      const b = required(ctx, inputs, 1);
      const [outShape, bShape] = shapes(ctx, a.shape, b.shape);
      const f = spec.fn(ctx, a.dtype);
      const outDType = spec.outDType ?? a.dtype;
      return [broadcastMap2(a, { ...b, shape: bShape }, outShape, outDType, f)];
    },
  };
}

/** Rounds every value to what `dtype` holds, in place, with the dtype switch outside the loop. */
export function storeAllAs(dtype: DType, out: Float64Array): void {
  if (dtype === "float64") return;
  if (dtype === "float32") for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = storeAs(dtype, out[i]!);
}

/** Per output axis, the operand's step in its flat data (0 where it is broadcast). */
function broadcastSteps(inShape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const steps = new Array<number>(rank).fill(0);
  const strides = stridesOf(inShape);
  for (let i = 0; i < inShape.length; i++) if (inShape[i] !== 1) steps[rank - inShape.length + i] = strides[i]!;
  return steps;
}

/**
 * Applies `f` over two tensors broadcast to `outShape`, rounding results to `outDType`. The
 * output is walked in rows (the trailing axes merged while each operand either runs
 * contiguously or stays put along them), so there are no per-element index arrays.
 */
export function broadcastMap2(
  a: Tensor,
  b: Tensor,
  outShape: readonly number[],
  outDType: DType,
  f: (a: number, b: number) => number,
): Tensor {
  const n = sizeOf(outShape);
  const out = new Float64Array(n);
  const da = a.data;
  const db = b.data;
  const rank = outShape.length;
  const stepA = broadcastSteps(a.shape, outShape);
  const stepB = broadcastSteps(b.shape, outShape);
  // merge trailing axes into one inner run of length `inner`, operand steps sa, sb (0 or 1)
  let inner = 1;
  let sa = 0;
  let sb = 0;
  let axis = rank - 1;
  if (axis >= 0) {
    inner = outShape[axis]!;
    sa = stepA[axis]! === 0 ? 0 : 1;
    sb = stepB[axis]! === 0 ? 0 : 1;
    axis--;
    while (axis >= 0 && stepA[axis] === sa * inner && stepB[axis] === sb * inner) inner *= outShape[axis--]!;
  }
  const outer = n / Math.max(inner, 1);
  const counter = new Array<number>(axis + 1).fill(0);
  let ia = 0;
  let ib = 0;
  for (let row = 0, o = 0; row < outer && inner > 0; row++, o += inner) {
    if (sa === 1 && sb === 1) for (let j = 0; j < inner; j++) out[o + j] = f(da[ia + j]!, db[ib + j]!);
    else if (sa === 1) {
      const bv = db[ib]!;
      for (let j = 0; j < inner; j++) out[o + j] = f(da[ia + j]!, bv);
    } else if (sb === 1) {
      const av = da[ia]!;
      for (let j = 0; j < inner; j++) out[o + j] = f(av, db[ib + j]!);
    } else {
      const av = da[ia]!;
      const bv = db[ib]!;
      for (let j = 0; j < inner; j++) out[o + j] = f(av, bv);
    }
    // next row: odometer over the outer axes
    for (let x = axis; x >= 0; x--) {
      ia += stepA[x]!;
      ib += stepB[x]!;
      if (++counter[x]! < outShape[x]!) break;
      ia -= stepA[x]! * counter[x]!;
      ib -= stepB[x]! * counter[x]!;
      counter[x] = 0;
    }
  }
  storeAllAs(outDType, out);
  return tensor(outDType, outShape, out);
}

export interface VariadicSpec extends CommonSpec {
  /** combines the running value with the next input's element (in float64, rounded once at the end) */
  fold(acc: number, x: number): number;
  /** turns the folded value into the result; `count` is the number of inputs (Mean divides) */
  finish?(acc: number, count: number): number;
  /** numpy broadcasting (opset >= 8); before that all inputs must have one shape */
  broadcast: boolean;
}

/** An OpDef for variadic element-wise ops (Sum, Mean, Max, Min) over one or more inputs. */
export function variadicOp(spec: VariadicSpec): OpDef {
  const cls = spec.dtypes ?? "numeric";
  const outShapeOf = (ctx: OpContext, shapes: (readonly number[])[]): number[] => {
    if (spec.broadcast) return broadcastOrThrow(ctx, shapes);
    const first = shapes[0]!;
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
        throw shapeError(
          ctx,
          `inputs have shapes ${shapes.map(shapeToString).join(", ")}, which must be equal before opset 8`,
          shapeToString(first),
          shapeToString(s),
        );
      }
    }
    return [...first];
  };
  const present = <T>(ctx: OpContext, inputs: (T | undefined)[]): T[] => {
    if (inputs.length === 0) throw shapeError(ctx, "the op needs at least one input", ">= 1 input", "0");
    return inputs.map((_, i) => required(ctx, inputs, i));
  };
  return {
    opType: spec.opType,
    sinceVersion: spec.sinceVersion,
    infer(inputs, ctx): OutputInfo[] {
      const xs = present<InputInfo>(ctx, inputs);
      xs.forEach((x, i) => checkDType(ctx, x.dtype, cls, i));
      checkSameDType(ctx, xs);
      return [{ dtype: spec.outDType ?? xs[0]!.dtype, shape: outShapeOf(ctx, xs.map((x) => x.shape)) }];
    },
    run(inputs, ctx): Tensor[] {
      const xs = present<Tensor>(ctx, inputs);
      const outShape = outShapeOf(ctx, xs.map((x) => x.shape));
      const outDType = spec.outDType ?? xs[0]!.dtype;
      const n = sizeOf(outShape);
      const acc = new Float64Array(n);
      const i0 = broadcastIndex(xs[0]!.shape, outShape);
      for (let i = 0; i < n; i++) acc[i] = xs[0]!.data[i0[i]!]!;
      for (const x of xs.slice(1)) {
        const ix = broadcastIndex(x.shape, outShape);
        for (let i = 0; i < n; i++) acc[i] = spec.fold(acc[i]!, x.data[ix[i]!]!);
      }
      for (let i = 0; i < n; i++) {
        acc[i] = storeAs(outDType, spec.finish ? spec.finish(acc[i]!, xs.length) : acc[i]!);
      }
      return [tensor(outDType, outShape, acc)];
    },
  };
}
