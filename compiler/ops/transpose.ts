/** Transpose: permutes axes (`perm`, default reversed). Runs as an index map. */
import { type OpContext, type OpDef, required, shapeError } from "./op.js";
import { applyIndexMap, transposeMap } from "./util/index-map.js";

function permOf(rank: number, ctx: OpContext): number[] {
  const dflt = Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const perm = ctx.attrs.ints("perm", dflt);
  const ok = perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) throw shapeError(ctx, `perm is not a permutation of the ${rank} axes`, `a permutation of 0..${rank - 1}`, `[${perm.join(", ")}]`);
  return perm;
}

export const Transpose_1: OpDef = {
  opType: "Transpose",
  sinceVersion: 1,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: permOf(x.shape.length, ctx).map((p) => x.shape[p]!) }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [applyIndexMap(x.dtype, transposeMap(x.shape, permOf(x.shape.length, ctx)), x.data)];
  },
};
