/** Helpers shared by the lowering families: operands, broadcasting, constants, max trees. */
import { ZkcError } from "../../errors.js";
import { type Tensor, sizeOf } from "../../ir/tensor.js";
import type { OpDef } from "../../ops/op.js";
import { broadcastIndex } from "../../ops/util/broadcast.js";
import { type ProgramBuilder, quantiseValue } from "../builder.js";
import type { LowerContext, LowerInput } from "../lower-context.js";
import type { QTensor } from "../prim.js";

export type Lower = NonNullable<OpDef["lower"]>;

/** Attaches a lowering to an op definition (op files: `export const X_1 = withLowering({...}, lowerX)`). */
export function withLowering(def: OpDef, lower: Lower): OpDef {
  return { ...def, lower };
}

export function notQuantisable(ctx: LowerContext, reason: string, hint?: string): ZkcError {
  return new ZkcError("UNSUPPORTED_FEATURE", reason, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    hint: hint ?? "the float interpreter runs this form of the op, but zkc cannot prove it yet; please open an issue",
  });
}

/**
 * The value of a compile-time constant input, or the error that says it must be one (the phrase
 * "must be known at compile time" is what callers and the conformance runner look for).
 */
export function constantInput(ctx: LowerContext, input: LowerInput, i: number, why: string, hint: string): Tensor {
  if (input.constant) return input.constant;
  throw new ZkcError("UNSUPPORTED_FEATURE", `input ${i} ("${input.name}") must be known at compile time to quantise ${ctx.node.opType}: ${why}`, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    hint,
  });
}

/** Same shape, element for element. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Broadcasts `x` to `shape` with a gather (free when the shape already matches). */
export function broadcastTo(q: ProgramBuilder, x: QTensor, shape: number[]): QTensor {
  if (sameShape(x.shape, shape)) return x;
  if (sizeOf(x.shape) === sizeOf(shape)) return reshape(q, x, shape);
  return q.gather([x], shape, broadcastIndex(x.shape, shape));
}

/** The same values under another shape (a gather with the identity map). */
export function reshape(q: ProgramBuilder, x: QTensor, shape: number[]): QTensor {
  if (sameShape(x.shape, shape)) return x;
  return q.conform(x, shape);
}

/** A float constant broadcast to `shape` and quantised at `scale`. */
export function constantAs(q: ProgramBuilder, c: Tensor, shape: number[], scale: number | "weight", hint: string): QTensor {
  const idx = broadcastIndex(c.shape, shape);
  const vals = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) vals[i] = c.data[idx[i]!]!;
  return q.param(hint, shape, vals, scale);
}

/**
 * An operand of an element-wise op, at the output shape: a constant is expanded and quantised at
 * `constScale` (so no rescale is needed afterwards); a tensor is broadcast with a gather.
 */
export function operand(q: ProgramBuilder, input: LowerInput, shape: number[], constScale: number | "weight"): QTensor {
  if (input.constant) return constantAs(q, input.constant, shape, constScale, input.name);
  return broadcastTo(q, input.value(), shape);
}

/** Integer constant on the grid of `scale` for every element of `shape`. */
export function filled(q: ProgramBuilder, shape: number[], value: number, scale: number, hint: string): QTensor {
  const vals = new Float64Array(sizeOf(shape)).fill(value);
  return q.paramInts(hint, shape, vals, scale);
}

/**
 * Maximum over the last axis of `x` viewed as [rows, len]: pads len to a power of two with a
 * value below every element, then halves with pairwise `max` until one column is left.
 * The result has `outShape` (rows elements).
 */
export function maxOverLast(q: ProgramBuilder, x: QTensor, rows: number, len: number, outShape: number[]): QTensor {
  let width = 1;
  while (width < len) width *= 2;
  let cur = x;
  if (width !== len) {
    const low = q.paramInts("max-pad", [1], Float64Array.of(-x.maxAbs - 1), x.scale);
    const idx = new Int32Array(rows * width);
    const src = new Int32Array(rows * width);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < width; j++) {
        const o = r * width + j;
        if (j < len) idx[o] = r * len + j;
        else (idx[o] = 0), (src[o] = 1);
      }
    cur = q.gather([x, low], [rows, width], idx, src);
  }
  if (width === 1) return reshape(q, cur, outShape);
  while (width > 1) {
    const h = width / 2;
    const shape = h === 1 ? outShape : [rows, h];
    const ia = new Int32Array(rows * h);
    const ib = new Int32Array(rows * h);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < h; j++) {
        ia[r * h + j] = r * width + j;
        ib[r * h + j] = r * width + h + j;
      }
    cur = q.maxT(q.gather([cur], shape, ia), q.gather([cur], shape, ib));
    width = h;
  }
  return cur;
}

/** -x */
export function negate(q: ProgramBuilder, x: QTensor): QTensor {
  return q.scaleBy(x, -1);
}

/**
 * Multiplies by a real constant tensor (already expanded to x's shape) at the param scale and
 * rescales back to x's scale.
 */
export function mulByConstant(q: ProgramBuilder, x: QTensor, floats: Float64Array, hint: string): QTensor {
  const c = q.param(hint, x.shape, floats, "weight");
  return q.rescale(q.mulT(x, c), c.scale);
}

/** Index map moving axis `axis` of a [outer, len, inner] view to the end: [outer, inner, len]. */
export function moveAxisLast(outer: number, len: number, inner: number): Int32Array {
  const idx = new Int32Array(outer * len * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++)
      for (let k = 0; k < len; k++) idx[(o * inner + i) * len + k] = (o * len + k) * inner + i;
  return idx;
}

/** Inverse of moveAxisLast: [outer, inner, len] back to [outer, len, inner]. */
export function moveAxisBack(outer: number, len: number, inner: number): Int32Array {
  const idx = new Int32Array(outer * len * inner);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < len; k++)
      for (let i = 0; i < inner; i++) idx[(o * len + k) * inner + i] = (o * inner + i) * len + k;
  return idx;
}

/** Repeats each of `rows` values `len` times: [rows] -> [rows, len]. */
export function repeatEach(rows: number, len: number): Int32Array {
  const idx = new Int32Array(rows * len);
  for (let r = 0; r < rows; r++) idx.fill(r, r * len, (r + 1) * len);
  return idx;
}

/** A table of `fn` on [lo, hi] (reals) for `x`, on x's grid made coarser until it fits; inputs saturate at the ends. */
export function tableOn(q: ProgramBuilder, x: QTensor, fn: (v: number) => number, lo: number, hi: number, outScale: number, id: string): QTensor {
  let t = x.scale;
  while (t > 0 && (hi - lo) * 2 ** t + 1 > 2 ** q.config.maxTableBits) t--;
  const loI = Math.floor(lo * 2 ** t);
  const hiI = Math.max(loI + 1, Math.ceil(hi * 2 ** t));
  const values = new Float64Array(hiI - loI + 1);
  for (let j = 0; j < values.length; j++) values[j] = quantiseValue(fn((loI + j) / 2 ** t), outScale);
  return q.lookup(q.clamp(q.toScale(x, t), loI, hiI), { id: `${id}@${t}->${outScale}`, lo: loI, values }, outScale);
}
