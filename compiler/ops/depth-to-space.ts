/**
 * DepthToSpace: [N, C, H, W] -> [N, C/b², H·b, W·b], moving channel blocks into space. DCR mode
 * (default; the only mode before opset 11) takes the block offsets from the outer channel bits,
 * CRD from the inner ones. Runs as an index map (a reshape-transpose-reshape).
 */
import { stridesOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, required, shapeError } from "./op.js";
import { type IndexMap, applyIndexMap } from "./util/index-map.js";

function plan(ctx: OpContext, shape: readonly number[]): { b: number; mode: string; out: number[] } {
  if (shape.length !== 4) throw shapeError(ctx, "input must be 4-D [N, C, H, W]", "rank 4", `rank ${shape.length}`);
  const b = ctx.attrs.int("blocksize");
  const mode = ctx.attrs.string("mode", "DCR");
  if (mode !== "DCR" && mode !== "CRD") throw shapeError(ctx, `unknown mode "${mode}"`, "DCR or CRD", mode);
  const [n, c, h, w] = shape as [number, number, number, number];
  if (b < 1 || c % (b * b) !== 0) throw shapeError(ctx, `channels ${c} are not a multiple of blocksize² = ${b * b}`, `a multiple of ${b * b}`, String(c));
  return { b, mode, out: [n, c / (b * b), h * b, w * b] };
}

function depthToSpaceMap(inShape: readonly number[], b: number, mode: string, out: number[]): IndexMap {
  const [n, oc, oh, ow] = out as [number, number, number, number];
  const s = stridesOf(inShape);
  const src = new Int32Array(n * oc * oh * ow);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < oc; c++)
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++) {
          const by = y % b;
          const bx = x % b;
          const ic = mode === "DCR" ? (by * b + bx) * oc + c : c * b * b + by * b + bx;
          src[k++] = i * s[0]! + ic * s[1]! + Math.floor(y / b) * s[2]! + Math.floor(x / b) * s[3]!;
        }
  return { shape: out, src };
}

function depthToSpace(since: number): OpDef {
  return {
    opType: "DepthToSpace",
    sinceVersion: since,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: plan(ctx, x.shape).out }];
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const p = plan(ctx, x.shape);
      return [applyIndexMap(x.dtype, depthToSpaceMap(x.shape, p.b, p.mode, p.out), x.data)];
    },
  };
}

export const DepthToSpace_1: OpDef = depthToSpace(1);
/** DepthToSpace-11: `mode` attribute (DCR or CRD). */
export const DepthToSpace_11: OpDef = depthToSpace(11);
