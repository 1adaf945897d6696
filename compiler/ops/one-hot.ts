/**
 * OneHot: for each index, a vector of length `depth` holding values[1] at the index and values[0]
 * elsewhere, inserted as a new axis at `axis` (default -1). Indices outside [-depth, depth) give
 * all "off"; negative ones count from the end (spelled out from opset 11, same rule applied here).
 */
import { isFloat, sizeOf, stridesOf } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, constantInput, required, shapeError } from "./op.js";
import { asInfos } from "./util/shape-args.js";

function plan(inputs: (InputInfo | undefined)[], ctx: OpContext): { depth: number; axis: number; shape: number[] } {
  const indices = required(ctx, inputs, 0);
  const d = constantInput(ctx, inputs, 1, "depth");
  if (d.data.length !== 1) throw shapeError(ctx, "depth must hold one value", "1 element", String(d.data.length));
  const depth = Math.trunc(d.data[0]!);
  if (depth < 1) throw shapeError(ctx, "depth must be positive", ">= 1", String(depth));
  const values = required(ctx, inputs, 2);
  if (sizeOf(values.shape) !== 2) throw shapeError(ctx, "values must hold [off, on]", "2 elements", String(sizeOf(values.shape)));
  const rank = indices.shape.length + 1;
  const raw = ctx.attrs.int("axis", -1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 0 || axis >= rank) throw shapeError(ctx, `axis ${raw} is out of range for output rank ${rank}`, `-${rank} <= axis < ${rank}`, String(raw));
  const shape = [...indices.shape.slice(0, axis), depth, ...indices.shape.slice(axis)];
  return { depth, axis, shape };
}

export const OneHot_9: OpDef = {
  opType: "OneHot",
  sinceVersion: 9,
  infer(inputs, ctx) {
    const indices = required(ctx, inputs, 0);
    if (indices.dtype === "bool") throw shapeError(ctx, "indices must be numeric", "a numeric dtype", indices.dtype);
    return [{ dtype: required(ctx, inputs, 2).dtype, shape: plan(inputs, ctx).shape }];
  },
  run(inputs, ctx) {
    const indices = required(ctx, inputs, 0);
    const values = required(ctx, inputs, 2);
    const { depth, axis, shape } = plan(asInfos(inputs), ctx);
    const [off, on] = [values.data[0]!, values.data[1]!];
    const out = new Float64Array(sizeOf(shape)).fill(off);
    const st = stridesOf(shape);
    const inner = sizeOf(indices.shape.slice(axis)); // index elements per outer position
    for (let k = 0; k < indices.data.length; k++) {
      let v = isFloat(indices.dtype) ? Math.trunc(indices.data[k]!) : indices.data[k]!;
      if (v < 0) v += depth;
      if (v < 0 || v >= depth) continue;
      const outer = Math.floor(k / inner);
      const rest = k % inner;
      out[outer * depth * inner + v * st[axis]! + rest] = on;
    }
    return [{ dtype: values.dtype, shape, data: out }];
  },
};
