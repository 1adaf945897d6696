/** Where: elementwise choice `condition ? X : Y`, with three-way numpy broadcasting. */
import { shapeToString, sizeOf } from "../ir/tensor.js";
import { type OpDef, required, shapeError } from "./op.js";
import { broadcastIndex, broadcastShapes } from "./util/broadcast.js";

export const Where_9: OpDef = {
  opType: "Where",
  sinceVersion: 9,
  infer(inputs, ctx) {
    const c = required(ctx, inputs, 0);
    const x = required(ctx, inputs, 1);
    const y = required(ctx, inputs, 2);
    if (c.dtype !== "bool") throw shapeError(ctx, "condition must be bool", "bool", c.dtype);
    if (x.dtype !== y.dtype) throw shapeError(ctx, "X and Y must have the same dtype", x.dtype, y.dtype);
    const shape = broadcastShapes(c.shape, x.shape, y.shape);
    if (!shape) throw shapeError(ctx, "condition, X and Y do not broadcast together", "numpy-broadcastable shapes", [c, x, y].map((v) => shapeToString(v.shape)).join(", "));
    return [{ dtype: x.dtype, shape }];
  },
  run(inputs, ctx) {
    const [c, x, y] = [0, 1, 2].map((i) => required(ctx, inputs, i));
    const shape = broadcastShapes(c!.shape, x!.shape, y!.shape)!;
    const [ic, ix, iy] = [c!, x!, y!].map((t) => broadcastIndex(t.shape, shape));
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = c!.data[ic![i]!] ? x!.data[ix![i]!]! : y!.data[iy![i]!]!;
    return [{ dtype: x!.dtype, shape, data: out }];
  },
};
