/**
 * GatherElements: out[i0..i(r-1)] = data[i0.., indices[i0..], ..] with the axis coordinate taken
 * from `indices` (same rank as data; negative indices count from the end). Runs as an index map.
 */
import { ZkcError } from "../errors.js";
import { isFloat, sizeOf, stridesOf } from "../ir/tensor.js";
import type { Tensor } from "../ir/tensor.js";
import { type OpContext, type OpDef, normaliseAxis, required, shapeError } from "./op.js";
import { type IndexMap, applyIndexMap } from "./util/index-map.js";

/** Source index of each output element. */
export function gatherElementsMap(ctx: OpContext, dataShape: readonly number[], axis: number, indices: Tensor): IndexMap {
  const shape = [...indices.shape];
  const n = sizeOf(shape);
  const src = new Int32Array(n);
  const dStrides = stridesOf(dataShape);
  const iStrides = stridesOf(shape);
  const dim = dataShape[axis]!;
  for (let k = 0; k < n; k++) {
    let rem = k;
    let off = 0;
    for (let a = 0; a < shape.length; a++) {
      const c = Math.floor(rem / iStrides[a]!);
      rem -= c * iStrides[a]!;
      if (a === axis) {
        const v = indices.data[k]!;
        const i = v < 0 ? v + dim : v;
        if (i < 0 || i >= dim) {
          throw new ZkcError("INPUT", `index ${v} is out of range for an axis of size ${dim}`, {
            file: ctx.source,
            node: ctx.node.name,
            op: ctx.node.opType,
            expected: `${-dim} <= index < ${dim}`,
            got: String(v),
            hint: "the indices fed to this node are out of bounds",
          });
        }
        off += i * dStrides[a]!;
      } else off += c * dStrides[a]!;
    }
    src[k] = off;
  }
  return { shape, src };
}

export const GatherElements_11: OpDef = {
  opType: "GatherElements",
  sinceVersion: 11,
  infer(inputs, ctx) {
    const data = required(ctx, inputs, 0);
    const indices = required(ctx, inputs, 1);
    if (isFloat(indices.dtype) || indices.dtype === "bool") throw shapeError(ctx, "indices must be integers", "int32 or int64", indices.dtype);
    const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), data.shape.length);
    if (indices.shape.length !== data.shape.length) throw shapeError(ctx, "indices must have the rank of data", String(data.shape.length), String(indices.shape.length));
    if (indices.shape.some((d, a) => a !== axis && d > data.shape[a]!)) {
      throw shapeError(ctx, "indices may not be larger than data outside the axis", `[${data.shape.join(", ")}]`, `[${indices.shape.join(", ")}]`);
    }
    if (indices.constant) gatherElementsMap(ctx, data.shape, axis, indices.constant);
    return [{ dtype: data.dtype, shape: [...indices.shape] }];
  },
  run(inputs, ctx) {
    const data = required(ctx, inputs, 0);
    const indices = required(ctx, inputs, 1);
    const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), data.shape.length);
    return [applyIndexMap(data.dtype, gatherElementsMap(ctx, data.shape, axis, indices), data.data)];
  },
};
