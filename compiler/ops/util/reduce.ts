/**
 * Builders for reductions: Reduce* over a set of axes (from an attribute before the op's
 * axes-as-input version, from an optional constant input after it), and the outer/axis/inner
 * split that single-axis ops (Softmax, ArgMax, CumSum) walk.
 */
import { type DType, type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../../ir/tensor.js";
import {
  type InputInfo,
  type OpContext,
  type OpDef,
  type OutputInfo,
  constantInput,
  normaliseAxis,
  required,
  shapeError,
} from "../op.js";
import { broadcastIndex } from "./broadcast.js";
import { type DTypeClass, attributeError, checkDType } from "./elementwise.js";

/** How a reduction is computed: a fold from `init`, then `finish` with the element count. */
export interface ReduceSpec {
  opType: string;
  sinceVersion: number;
  /** where the axes come from: the `axes` attribute (older versions) or the optional input 1 */
  axesFrom: "attribute" | "input";
  dtypes?: DTypeClass;
  /** value of an empty reduction before `finish` (0 for sums, 1 for products, -inf for max) */
  init: number;
  fold(acc: number, x: number): number;
  finish?(acc: number, count: number): number;
}

/** The reduction plan of a node: normalised, sorted, unique axes, or null for "no reduction". */
interface ReducePlan {
  axes: number[] | null;
  keepdims: boolean;
}

function planOf(spec: ReduceSpec, ctx: OpContext, rank: number, axesTensor: Tensor | undefined): ReducePlan {
  const keepdims = ctx.attrs.int("keepdims", 1) !== 0;
  let raw: number[];
  if (spec.axesFrom === "attribute") {
    raw = ctx.attrs.ints("axes", []);
  } else {
    if (ctx.attrs.has("axes")) {
      throw attributeError(ctx, "axes", `no attribute: from opset ${spec.sinceVersion} axes is input 1`, "an axes attribute");
    }
    raw = axesTensor ? [...axesTensor.data] : [];
  }
  if (raw.length === 0) {
    // noop_with_empty_axes exists only with axes as an input; the attribute form always reduces all
    const noop = spec.axesFrom === "input" && ctx.attrs.int("noop_with_empty_axes", 0) !== 0;
    return { axes: noop ? null : [...Array(rank).keys()], keepdims };
  }
  const axes = [...new Set(raw.map((a) => normaliseAxis(ctx, a, rank)))].sort((a, b) => a - b);
  if (axes.length !== raw.length) {
    throw shapeError(ctx, `axes ${JSON.stringify(raw)} name an axis twice`, "distinct axes", JSON.stringify(raw));
  }
  return { axes, keepdims };
}

function reducedShape(shape: readonly number[], plan: ReducePlan): number[] {
  if (!plan.axes) return [...shape];
  const axes = plan.axes;
  if (plan.keepdims) return shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return shape.filter((_, i) => !axes.includes(i));
}

/** The axes tensor of an axes-as-input reduction at compile time (must be constant when given). */
function axesAtCompileTime(ctx: OpContext, inputs: (InputInfo | undefined)[]): Tensor | undefined {
  return inputs[1] === undefined ? undefined : constantInput(ctx, inputs, 1, "the reduction axes");
}

/** An OpDef for a ReduceX op with `keepdims` (and `noop_with_empty_axes` when axes is an input). */
export function reduceOp(spec: ReduceSpec): OpDef {
  const cls = spec.dtypes ?? "numeric";
  return {
    opType: spec.opType,
    sinceVersion: spec.sinceVersion,
    infer(inputs, ctx): OutputInfo[] {
      const x = required(ctx, inputs, 0);
      checkDType(ctx, x.dtype, cls, 0);
      const axes = spec.axesFrom === "input" ? axesAtCompileTime(ctx, inputs) : undefined;
      return [{ dtype: x.dtype, shape: reducedShape(x.shape, planOf(spec, ctx, x.shape.length, axes)) }];
    },
    run(inputs, ctx): Tensor[] {
      const x = required(ctx, inputs, 0);
      const plan = planOf(spec, ctx, x.shape.length, spec.axesFrom === "input" ? inputs[1] : undefined);
      return [reduceTensor(x, plan, spec)];
    },
  };
}

function reduceTensor(x: Tensor, plan: ReducePlan, spec: ReduceSpec): Tensor {
  const outShape = reducedShape(x.shape, plan);
  if (!plan.axes) {
    // noop_with_empty_axes: identity (finish still applies, e.g. ReduceL2 gives |x|)
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = spec.fold(spec.init, x.data[i]!);
      out[i] = storeAs(x.dtype, spec.finish ? spec.finish(v, 1) : v);
    }
    return tensor(x.dtype, outShape, out);
  }
  const axes = plan.axes;
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = sizeOf(keptShape);
  const acc = new Float64Array(n).fill(spec.init);
  // for each input element, the output slot it folds into
  const slot = broadcastIndex(keptShape, x.shape);
  for (let i = 0; i < x.data.length; i++) acc[slot[i]!] = spec.fold(acc[slot[i]!]!, x.data[i]!);
  const count = axes.reduce((c, a) => c * x.shape[a]!, 1);
  for (let i = 0; i < n; i++) acc[i] = storeAs(x.dtype, spec.finish ? spec.finish(acc[i]!, count) : acc[i]!);
  return tensor(x.dtype, outShape, acc);
}

/** A tensor seen as [outer, axis, inner] around one axis (or, with `coerce`, around [..axis) x [axis..)). */
export interface AxisSplit {
  outer: number;
  len: number;
  inner: number;
}

/** Splits `shape` around a single axis. */
export function splitAtAxis(shape: readonly number[], axis: number): AxisSplit {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    len: shape[axis]!,
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

/** The opset < 13 Softmax/LogSoftmax/Hardmax view: the input coerced to 2-D [..axis) x [axis..). */
export function coerce2D(shape: readonly number[], axis: number): AxisSplit {
  return { outer: sizeOf(shape.slice(0, axis)), len: sizeOf(shape.slice(axis)), inner: 1 };
}

/**
 * Applies `f` to every 1-D lane of `x` along the split axis; `f` reads `len` values and writes
 * `len` results (in place into `lane`).
 */
export function mapLanes(x: Tensor, split: AxisSplit, outDType: DType, f: (lane: Float64Array) => void): Tensor {
  const { outer, len, inner } = split;
  const out = new Float64Array(x.data.length);
  const lane = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * len * inner + j;
      for (let k = 0; k < len; k++) lane[k] = x.data[base + k * inner]!;
      f(lane);
      for (let k = 0; k < len; k++) out[base + k * inner] = storeAs(outDType, lane[k]!);
    }
  }
  return tensor(outDType, x.shape, out);
}

/** The `axis` attribute of a single-axis op, normalised; a SHAPE error when out of range. */
export function axisAttr(ctx: OpContext, shape: readonly number[], dflt: number): number {
  if (shape.length === 0) {
    throw shapeError(ctx, "the op needs an input of rank >= 1", "rank >= 1", shapeToString(shape));
  }
  return normaliseAxis(ctx, ctx.attrs.int("axis", dflt), shape.length);
}
