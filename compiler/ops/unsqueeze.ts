/**
 * Unsqueeze: inserts size-1 axes at the listed positions of the output. Axes are an attribute
 * before opset 13 and a required input from 13.
 */
import { type InputInfo, type OpContext, type OpDef, required, shapeError } from "./op.js";
import { asInfos, normaliseAxes, requiredIntsInput } from "./util/shape-args.js";

function unsqueezed(shape: readonly number[], axes: number[], ctx: OpContext): number[] {
  const rank = shape.length + axes.length;
  const norm = normaliseAxes(ctx, axes, rank);
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(norm.includes(i) ? 1 : shape[k++]!);
  return out;
}

function unsqueezeOp(since: number, axesOf: (inputs: (InputInfo | undefined)[], ctx: OpContext) => number[]): OpDef {
  return {
    opType: "Unsqueeze",
    sinceVersion: since,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: unsqueezed(x.shape, axesOf(inputs, ctx), ctx) }];
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: unsqueezed(x.shape, axesOf(asInfos(inputs), ctx), ctx), data: x.data }];
    },
  };
}

/** Unsqueeze-1/11: `axes` attribute (negative axes from 11). */
export const Unsqueeze_1: OpDef = unsqueezeOp(1, (_i, ctx) => ctx.attrs.ints("axes"));
/** Unsqueeze-13: `axes` input. */
export const Unsqueeze_13: OpDef = unsqueezeOp(13, (inputs, ctx) => requiredIntsInput(ctx, inputs, 1, "axes"));
