/** Tile: repeats the input `repeats[a]` times along each axis a (repeats known at compile time). */
import { type InputInfo, type OpContext, type OpDef, required, shapeError } from "./op.js";
import { applyIndexMap, tileMap } from "./util/index-map.js";
import { asInfos, requiredIntsInput } from "./util/shape-args.js";

function repeatsOf(inputs: (InputInfo | undefined)[], ctx: OpContext): number[] {
  const x = required(ctx, inputs, 0);
  const repeats = requiredIntsInput(ctx, inputs, 1, "repeats");
  if (repeats.length !== x.shape.length) throw shapeError(ctx, "repeats must have one entry per input axis", String(x.shape.length), String(repeats.length));
  if (repeats.some((r) => r < 0)) throw shapeError(ctx, "repeats must be non-negative", ">= 0", `[${repeats.join(", ")}]`);
  return repeats;
}

export const Tile_6: OpDef = {
  opType: "Tile",
  sinceVersion: 6,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const r = repeatsOf(inputs, ctx);
    return [{ dtype: x.dtype, shape: x.shape.map((d, a) => d * r[a]!) }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [applyIndexMap(x.dtype, tileMap(x.shape, repeatsOf(asInfos(inputs), ctx)), x.data)];
  },
};
