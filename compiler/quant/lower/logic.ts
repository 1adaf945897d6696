/**
 * Lowerings of comparisons, logic and selection onto clamp, mul, add and sub.
 *
 * Booleans are integer tensors at scale 0 holding 0 or 1 (static bound 1). For integers d on one
 * grid, [d >= 1] = clamp(d, 0, 1): one sign decomposition decides a comparison exactly, and the
 * clamp's output is relabelled as scale 0 (a truth value, not the real 2^-s). Everything else is
 * polynomial in 0/1 values: Not = 1 - x, And = x·y, Or = x + y - x·y, Xor = (x - y)^2,
 * Where = y + c·(x - y).
 *
 * A float compared with a constant (a tree ensemble's x <= 0.37) compares the quantised x with
 * the constant rounded on x's grid towards the side that makes the integer comparison agree with
 * the float one for every x more than half a grid step away from the constant.
 */
import { type DType, isFloat } from "../../ir/tensor.js";
import { broadcastIndex } from "../../ops/util/broadcast.js";
import { INFINITY_STAND_IN, quantiseValue, type ProgramBuilder } from "../builder.js";
import type { LowerContext, LowerInput } from "../lower-context.js";
import type { QTensor } from "../prim.js";
import { type Lower, broadcastTo, filled, notQuantisable } from "./common.js";

type Rounding = "floor" | "ceil" | "nearest";

const dtypeOf = (input: LowerInput): DType => input.dtype ?? "float32";

/** A constant broadcast to `shape` on the integer grid of `scale`, rounded as asked. */
function constantOnGrid(q: ProgramBuilder, input: LowerInput, shape: number[], scale: number | QTensor, rounding: Rounding, offset = 0): QTensor {
  // a partner tensor gives the grid (its scale) and the bound that stands in for infinities
  const [s, bound] = typeof scale === "number" ? [scale, 0] : [scale.scale, scale.maxAbs];
  const vals = gridValues(input, shape, s, rounding, bound);
  if (offset) for (let i = 0; i < vals.length; i++) vals[i]! += offset;
  return q.paramInts(input.name, shape, vals, s);
}

function gridValues(input: LowerInput, shape: number[], scale: number, rounding: Rounding, bound = 0): Float64Array {
  const c = input.constant!;
  const idx = broadcastIndex(c.shape, shape);
  const vals = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const u = c.data[idx[i]!]! * 2 ** scale;
    vals[i] = rounding === "floor" ? Math.floor(u) : rounding === "ceil" ? Math.ceil(u) : quantiseValue(c.data[idx[i]!]!, scale);
    // ±inf compares like a value just past the other operand's bound; against an operand that
    // holds infinities (their stand-ins), or as a Where branch, it is the stand-in itself
    if (!Number.isFinite(vals[i]!)) vals[i] = Math.sign(u) * (bound === 0 || bound >= INFINITY_STAND_IN ? INFINITY_STAND_IN : bound + 2);
  }
  return vals;
}

/** The tensor whose grid a constant operand goes on: the other operand (comparisons need one grid). */
function partner(other: LowerInput): QTensor {
  return other.value();
}

/** [x != 0] for integers x at any scale: sign(x)^2, a 0/1 tensor at scale 0. */
function nonZero(q: ProgramBuilder, x: QTensor): QTensor {
  const s = q.clamp(x, -1, 1, 0);
  return q.mulT(s, s);
}

/**
 * A boolean operand at `shape`: 0/1 at scale 0. Bool tensors already are (graph inputs, this
 * file's outputs, data movement of either); anything else is read as "non-zero", as ONNX does.
 */
function boolOperand(q: ProgramBuilder, input: LowerInput, shape: number[]): QTensor {
  if (input.constant) {
    const c = input.constant;
    const idx = broadcastIndex(c.shape, shape);
    const vals = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) vals[i] = c.data[idx[i]!] ? 1 : 0;
    return q.paramInts(input.name, shape, vals, 0);
  }
  const t = broadcastTo(q, input.value(), shape);
  if (t.scale === 0 && t.maxAbs <= 1 && dtypeOf(input) === "bool") return t;
  return nonZero(q, t);
}

/** 1 - x for a 0/1 tensor x. */
function complement(q: ProgramBuilder, x: QTensor): QTensor {
  return q.tighten(q.subT(filled(q, x.shape, 1, 0, "one"), x), 1);
}

/**
 * Greater (strict) and GreaterOrEqual as [a - b + (strict ? 0 : 1) >= 1]. With a constant on one
 * side, rounding it on the other operand's grid decides where the integer comparison flips:
 *   x >  c: X >= floor(u) + 1      c >  x: X <= ceil(u) - 1
 *   x >= c: X >= ceil(u)           c >= x: X <= floor(u)        (u = c·2^s, X = round(x·2^s))
 * so the answer is the float one unless x lies within half a grid step of c (and exact when c
 * lies on the grid). The non-strict +1 folds into the constant.
 */
function order(strict: boolean, swap: boolean): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const shape = ctx.outputs[0]!.shape;
    const [A, B] = swap ? [inputs[1]!, inputs[0]!] : [inputs[0]!, inputs[1]!];
    const off = strict ? 0 : 1;
    let d: QTensor;
    if (A.constant) {
      const a = constantOnGrid(q, A, shape, partner(B), strict ? "ceil" : "floor", off);
      d = q.subT(a, broadcastTo(q, B.value(), shape));
    } else if (B.constant) {
      const b = constantOnGrid(q, B, shape, partner(A), strict ? "floor" : "ceil", -off);
      d = q.subT(broadcastTo(q, A.value(), shape), b);
    } else {
      d = q.subT(broadcastTo(q, A.value(), shape), broadcastTo(q, B.value(), shape));
      if (off) d = q.addT(d, filled(q, shape, off, d.scale, "one"));
    }
    return [q.clamp(d, 0, 1, 0)];
  };
}

export const lowerGreater = order(true, false);
export const lowerLess = order(true, true);
export const lowerGreaterOrEqual = order(false, false);
export const lowerLessOrEqual = order(false, true);

/**
 * Equal as 1 - sign(a - b)^2. A constant is rounded to the nearest grid point: the answer is true
 * exactly when x and c round to the same grid point (exact for integers and bools).
 */
export const lowerEqual: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const shape = ctx.outputs[0]!.shape;
  const [A, B] = [inputs[0]!, inputs[1]!];
  const a = A.constant ? constantOnGrid(q, A, shape, partner(B), "nearest") : broadcastTo(q, A.value(), shape);
  const b = B.constant ? constantOnGrid(q, B, shape, partner(A), "nearest") : broadcastTo(q, B.value(), shape);
  return [equalOnGrid(q, a, b)];
};

/** [a = b] for integer tensors of one shape: 1 - sign(a - b)^2, a 0/1 tensor at scale 0. */
export function equalOnGrid(q: ProgramBuilder, a: QTensor, b: QTensor): QTensor {
  return complement(q, nonZero(q, q.subT(a, b)));
}

export const lowerNot: Lower = (inputs, ctx) => [complement(ctx.q, boolOperand(ctx.q, inputs[0]!, ctx.outputs[0]!.shape))];

function logic(kind: "and" | "or" | "xor"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const shape = ctx.outputs[0]!.shape;
    const x = boolOperand(q, inputs[0]!, shape);
    const y = boolOperand(q, inputs[1]!, shape);
    if (kind === "and") return [q.mulT(x, y)];
    if (kind === "or") return [q.tighten(q.subT(q.addT(x, y), q.mulT(x, y)), 1)];
    const d = q.subT(x, y);
    return [q.tighten(q.mulT(d, d), 1)];
  };
}
export const lowerAnd = logic("and");
export const lowerOr = logic("or");
export const lowerXor = logic("xor");

/**
 * Where(c, x, y) = y + c·(x - y) with c at scale 0, so the product keeps the common scale of x
 * and y; since c is 0 or 1 the result is bounded by the larger of x's and y's bounds. Constant
 * branches (a tree's leaf values) are quantised at the other branch's scale, or at the
 * activation scale (integers: scale 0) when both are constant.
 */
export const lowerWhere: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const shape = ctx.outputs[0]!.shape;
  const [C, X, Y] = [inputs[0]!, inputs[1]!, inputs[2]!];
  for (const t of [X, Y]) {
    if (t.constant && t.constant.data.some((v) => Number.isNaN(v))) {
      throw notQuantisable(ctx, `branch "${t.name}" holds NaN, which has no fixed-point value`, "replace the NaN constant by a finite value in the model");
    }
  }
  const c = boolOperand(q, C, shape);
  const tensors = [X, Y].filter((t) => !t.constant);
  const s = tensors.length
    ? Math.max(...tensors.map((t) => t.value().scale))
    : isFloat(ctx.outputs[0]!.dtype)
      ? q.config.activationScale
      : 0;
  const y = Y.constant ? constantOnGrid(q, Y, shape, s, "nearest") : q.toScale(broadcastTo(q, Y.value(), shape), s);
  let diff: QTensor;
  let xBound: number;
  if (X.constant && Y.constant) {
    // both leaves constant: x - y is one constant
    const xv = gridValues(X, shape, s, "nearest");
    xBound = xv.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    diff = q.paramInts(`${X.name}-${Y.name}`, shape, xv.map((v, i) => v - y.values![i]!), s);
  } else {
    const x = X.constant ? constantOnGrid(q, X, shape, s, "nearest") : q.toScale(broadcastTo(q, X.value(), shape), s);
    xBound = x.maxAbs;
    diff = q.subT(x, y);
  }
  return [q.tighten(q.addT(y, q.mulT(c, diff)), Math.max(xBound, y.maxAbs))];
};

/** Sign = clamp(x, -1, 1) for integers (exact: only x within half a step of 0 reads as 0). */
export const lowerSign: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const s = q.clamp(inputs[0]!.value(), -1, 1, 0);
  // a float result goes to the activation scale (exactly), so later products keep precision
  return [isFloat(ctx.outputs[0]!.dtype) ? q.toScale(s, q.config.activationScale) : s];
};

/** IsNaN / IsInf: quantised values are finite integers (NaN/Inf inputs are rejected), so false. */
export const lowerNeverTrue: Lower = (inputs, ctx) => [ctx.q.scaleBy(inputs[0]!.value(), 0, 0)];

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  uint64: [0, 2 ** 64],
};

/** trunc(x / 2^s) for x at scale s: floor of the positive part plus ceil of the negative part. */
function truncate(q: ProgramBuilder, x: QTensor): QTensor {
  const s = x.scale;
  if (s <= 0) return q.toScale(x, 0);
  const h = 2 ** (s - 1);
  const pos = q.clamp(x, 0, x.maxAbs);
  const neg = q.subT(x, pos);
  // rescale(v) = floor((v + h) / 2^s): floor(pos / 2^s) = rescale(pos - h), ceil(neg / 2^s) = rescale(neg + h - 1)
  const floorPos = q.rescale(q.addT(pos, filled(q, x.shape, -h, s, "-half")), s);
  const ceilNeg = q.rescale(q.addT(neg, filled(q, x.shape, h - 1, s, "half-1")), s);
  return q.addT(floorPos, ceilNeg);
}

/**
 * Cast and CastLike with ONNX semantics: to bool is "non-zero"; float to integer truncates
 * toward zero (exactly, for any input); integer or bool to float is the same integers brought
 * (exactly) to the activation scale; float to float and integer to integer keep the integers.
 * Integer wrap-around is not reproduced: a cast whose calibrated input leaves the target range
 * is refused.
 */
export const lowerCast: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const input = inputs[0]!;
  const from = dtypeOf(input);
  const to = ctx.outputs[0]!.dtype;
  const x = input.value();
  if (to === "bool") return [from === "bool" ? boolOperand(q, input, input.shape) : nonZero(q, x)];
  if (isFloat(to)) return [isFloat(from) ? x : q.toScale(x, Math.max(x.scale, q.config.activationScale))];
  checkIntRange(ctx, input, x, to);
  return [isFloat(from) ? truncate(q, x) : q.toScale(x, 0)];
};

function checkIntRange(ctx: LowerContext, input: LowerInput, x: QTensor, to: DType): void {
  const range = INT_RANGE[to];
  if (!range) return;
  const r = ctx.range(input.name);
  const lo = r ? Math.trunc(r.min) : -x.maxAbs / 2 ** x.scale;
  const hi = r ? Math.trunc(r.max) : x.maxAbs / 2 ** x.scale;
  if (lo < range[0] || hi > range[1]) {
    throw notQuantisable(
      ctx,
      `casting "${input.name}" to ${to}: its ${r ? "calibrated" : "static"} range [${lo}, ${hi}] leaves [${range[0]}, ${range[1]}], and zkc does not reproduce integer wrap-around`,
      "cast to a wider integer type, or calibrate with inputs that stay in the target type's range",
    );
  }
}
