/** SpaceToDepth: [N, C, H, W] -> [N, C·b², H/b, W/b], the inverse of DepthToSpace in DCR mode. Runs as an index map. */
import { stridesOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, required, shapeError } from "./op.js";
import { type IndexMap, applyIndexMap } from "./util/index-map.js";

function plan(ctx: OpContext, shape: readonly number[]): { b: number; out: number[] } {
  if (shape.length !== 4) throw shapeError(ctx, "input must be 4-D [N, C, H, W]", "rank 4", `rank ${shape.length}`);
  const b = ctx.attrs.int("blocksize");
  const [n, c, h, w] = shape as [number, number, number, number];
  if (b < 1 || h % b !== 0 || w % b !== 0) throw shapeError(ctx, `height and width must be multiples of blocksize ${b}`, `multiples of ${b}`, `${h} x ${w}`);
  return { b, out: [n, c * b * b, h / b, w / b] };
}

function spaceToDepthMap(inShape: readonly number[], b: number, out: number[]): IndexMap {
  const [n, oc, oh, ow] = out as [number, number, number, number];
  const c = inShape[1]!;
  const s = stridesOf(inShape);
  const src = new Int32Array(n * oc * oh * ow);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let q = 0; q < oc; q++) {
      const block = Math.floor(q / c); // by * b + bx
      const ic = q % c;
      const by = Math.floor(block / b);
      const bx = block % b;
      for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) src[k++] = i * s[0]! + ic * s[1]! + (y * b + by) * s[2]! + (x * b + bx) * s[3]!;
    }
  return { shape: out, src };
}

export const SpaceToDepth_1: OpDef = {
  opType: "SpaceToDepth",
  sinceVersion: 1,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: plan(ctx, x.shape).out }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const p = plan(ctx, x.shape);
    return [applyIndexMap(x.dtype, spaceToDepthMap(x.shape, p.b, p.out), x.data)];
  },
};
