/**
 * Squeeze: removes size-1 axes (the listed ones, or all of them). Axes are an attribute before
 * opset 13 and an optional input from 13.
 */
import { type InputInfo, type OpContext, type OpDef, required, shapeError } from "./op.js";
import { asInfos, normaliseAxes, optionalIntsInput } from "./util/shape-args.js";

function squeezed(shape: readonly number[], axes: number[] | undefined, ctx: OpContext): number[] {
  if (axes === undefined) return shape.filter((d) => d !== 1);
  const norm = normaliseAxes(ctx, axes, shape.length);
  for (const a of norm) {
    if (shape[a] !== 1) throw shapeError(ctx, `cannot squeeze axis ${a} of size ${shape[a]}`, "size 1", String(shape[a]));
  }
  return shape.filter((_, i) => !norm.includes(i));
}

function squeezeOp(since: number, axesOf: (inputs: (InputInfo | undefined)[], ctx: OpContext) => number[] | undefined): OpDef {
  return {
    opType: "Squeeze",
    sinceVersion: since,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: squeezed(x.shape, axesOf(inputs, ctx), ctx) }];
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: squeezed(x.shape, axesOf(asInfos(inputs), ctx), ctx), data: x.data }];
    },
  };
}

/** Squeeze-1/11: `axes` attribute (negative axes from 11). */
export const Squeeze_1: OpDef = squeezeOp(1, (_i, ctx) => (ctx.attrs.has("axes") ? ctx.attrs.ints("axes") : undefined));
/** Squeeze-13: optional `axes` input. */
export const Squeeze_13: OpDef = squeezeOp(13, (inputs, ctx) => optionalIntsInput(ctx, inputs, 1, "axes"));
