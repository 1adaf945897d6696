/**
 * Slice: numpy-style strided slicing per axis, with negative indices counted from the end,
 * starts/ends clamped to the axis (INT64_MAX/INT64_MIN work as "to the end"), and negative steps.
 * Two clamping details follow the spec and onnxruntime rather than numpy: with a negative step
 * a start below 0 clamps to 0, and an end of INT32_MAX/INT64_MAX means "to the first element".
 * Attributes (starts, ends, axes) before opset 10; inputs (starts, ends, axes?, steps?) from 10.
 */
import { type InputInfo, type OpContext, type OpDef, required, shapeError } from "./op.js";
import { applyIndexMap, sliceMap } from "./util/index-map.js";
import { asInfos, normaliseAxes, optionalIntsInput, requiredIntsInput } from "./util/shape-args.js";

interface SliceArgs {
  starts: number[];
  ends: number[];
  axes?: number[];
  steps?: number[];
}

/** Per-axis first index, step and length of the slice of `shape`. */
export function slicePlan(ctx: OpContext, shape: readonly number[], args: SliceArgs): { starts: number[]; steps: number[]; outShape: number[] } {
  const rank = shape.length;
  const k = args.starts.length;
  if (args.ends.length !== k || (args.axes && args.axes.length !== k) || (args.steps && args.steps.length !== k)) {
    throw shapeError(ctx, "starts, ends, axes and steps must have the same length", String(k), `${args.ends.length}/${args.axes?.length ?? "-"}/${args.steps?.length ?? "-"}`);
  }
  const axes = normaliseAxes(ctx, args.axes ?? Array.from({ length: k }, (_, i) => i), rank);
  const starts = shape.map(() => 0);
  const steps = shape.map(() => 1);
  const outShape = [...shape];
  axes.forEach((a, i) => {
    const dim = shape[a]!;
    const step = args.steps?.[i] ?? 1;
    if (step === 0) throw shapeError(ctx, `step for axis ${a} is 0`, "a non-zero step", "0");
    let s = args.starts[i]!;
    let e = args.ends[i]!;
    if (s < 0) s += dim;
    // onnxruntime reads an end of INT32_MAX or INT64_MAX as numpy's None, "as far as the step
    // goes", also for negative steps (where the spec's clamping would give an empty slice);
    // models are validated on onnxruntime, so zkc follows it
    if (e === 2147483647 || e >= 2 ** 63 - 1) e = step > 0 ? dim : -1;
    else if (e < 0) e += dim;
    let len: number;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
      len = Math.max(0, Math.ceil((e - s) / step));
    } else {
      // the spec clamps starts to [0, dim - 1] (not -1): a start far below 0 still reads element 0
      s = Math.min(Math.max(s, 0), dim - 1);
      e = Math.min(Math.max(e, -1), dim - 1);
      len = dim === 0 ? 0 : Math.max(0, Math.ceil((s - e) / -step));
    }
    starts[a] = len > 0 ? s : 0;
    steps[a] = step;
    outShape[a] = len;
  });
  return { starts, steps, outShape };
}

function sliceOp(since: number, argsOf: (inputs: (InputInfo | undefined)[], ctx: OpContext) => SliceArgs): OpDef {
  return {
    opType: "Slice",
    sinceVersion: since,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: slicePlan(ctx, x.shape, argsOf(inputs, ctx)).outShape }];
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const p = slicePlan(ctx, x.shape, argsOf(asInfos(inputs), ctx));
      return [applyIndexMap(x.dtype, sliceMap(x.shape, p.starts, p.steps, p.outShape), x.data)];
    },
  };
}

/** Slice-1: starts, ends, axes attributes. */
export const Slice_1: OpDef = sliceOp(1, (_inputs, ctx) => ({
  starts: ctx.attrs.ints("starts"),
  ends: ctx.attrs.ints("ends"),
  axes: ctx.attrs.has("axes") ? ctx.attrs.ints("axes") : undefined,
}));

/** Slice-10/11/13: starts, ends, axes, steps inputs (negative axes from 11). */
export const Slice_10: OpDef = sliceOp(10, (inputs, ctx) => ({
  starts: requiredIntsInput(ctx, inputs, 1, "starts"),
  ends: requiredIntsInput(ctx, inputs, 2, "ends"),
  axes: optionalIntsInput(ctx, inputs, 3, "axes"),
  steps: optionalIntsInput(ctx, inputs, 4, "steps"),
}));
