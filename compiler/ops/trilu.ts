/**
 * Trilu: keeps the upper (default) or lower triangle of the last two axes, offset by k (an
 * optional compile-time input), and zeroes the rest. Runs as an index map with fill 0.
 */
import { sizeOf } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, constantInput, required, shapeError } from "./op.js";
import { type IndexMap, applyIndexMap } from "./util/index-map.js";
import { asInfos } from "./util/shape-args.js";

function kOf(inputs: (InputInfo | undefined)[], ctx: OpContext): number {
  if (inputs[1] === undefined) return 0;
  const t = constantInput(ctx, inputs, 1, "k");
  if (t.data.length !== 1) throw shapeError(ctx, "k must be a scalar", "1 element", String(t.data.length));
  return t.data[0]!;
}

function triluMap(shape: readonly number[], upper: boolean, k: number): IndexMap {
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const n = sizeOf(shape);
  const src = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = i % cols;
    const r = Math.floor(i / cols) % rows;
    const keep = upper ? j - r >= k : j - r <= k;
    src[i] = keep ? i : -1;
  }
  return { shape: [...shape], src };
}

export const Trilu_14: OpDef = {
  opType: "Trilu",
  sinceVersion: 14,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    if (x.shape.length < 2) throw shapeError(ctx, "input must have rank >= 2", ">= 2", String(x.shape.length));
    kOf(inputs, ctx);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const upper = ctx.attrs.int("upper", 1) !== 0;
    return [applyIndexMap(x.dtype, triluMap(x.shape, upper, kOf(asInfos(inputs), ctx)), x.data, 0)];
  },
};
