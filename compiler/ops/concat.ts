/** Concat: joins tensors along `axis`; all other dims must agree. Runs as an index map. */
import { shapeToString } from "../ir/tensor.js";
import type { Tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, normaliseAxis, shapeError } from "./op.js";
import { applyIndexMap, concatData, concatMap } from "./util/index-map.js";

function plan(inputs: (InputInfo | Tensor | undefined)[], ctx: OpContext, defaultAxis?: number): { axis: number; shape: number[] } {
  const xs = inputs.filter((x): x is InputInfo | Tensor => x !== undefined);
  if (xs.length === 0) throw shapeError(ctx, "Concat needs at least one input");
  const rank = xs[0]!.shape.length;
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", defaultAxis), rank);
  const shape = [...xs[0]!.shape];
  shape[axis] = 0;
  xs.forEach((x, i) => {
    if (x.dtype !== xs[0]!.dtype) throw shapeError(ctx, `input ${i} has dtype ${x.dtype}, input 0 has ${xs[0]!.dtype}`, xs[0]!.dtype, x.dtype);
    const bad = x.shape.length !== rank || x.shape.some((d, a) => a !== axis && d !== xs[0]!.shape[a]);
    if (bad) {
      throw shapeError(ctx, `input ${i} does not match input 0 outside axis ${axis}`, `[${xs[0]!.shape.map((d, a) => (a === axis ? "*" : d)).join(", ")}]`, shapeToString(x.shape));
    }
    shape[axis]! += x.shape[axis]!;
  });
  return { axis, shape };
}

function concatOp(since: number, defaultAxis?: number): OpDef {
  return {
    opType: "Concat",
    sinceVersion: since,
    infer(inputs, ctx) {
      const { shape } = plan(inputs, ctx, defaultAxis);
      return [{ dtype: inputs.find((x) => x)!.dtype, shape }];
    },
    run(inputs, ctx) {
      const { axis } = plan(inputs, ctx, defaultAxis);
      const xs = inputs.filter((x): x is Tensor => x !== undefined);
      return [applyIndexMap(xs[0]!.dtype, concatMap(xs.map((x) => x.shape), axis), concatData(xs))];
    },
  };
}

/** Concat-1: axis defaults to 1. */
export const Concat_1: OpDef = concatOp(1, 1);
/** Concat-4: axis required (negative from 11). */
export const Concat_4: OpDef = concatOp(4);
