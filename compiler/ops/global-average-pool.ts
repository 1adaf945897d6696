/** GlobalAveragePool (opset 1 onward): mean over all spatial axes, X [N, C, d...] -> [N, C, 1...]. */
import { type Tensor, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { shapeToString } from "../ir/tensor.js";

/** Output shape of a global pool: spatial axes reduced to 1. @throws ZkcError SHAPE for rank < 3 */
export function globalPoolShape(ctx: OpContext, x: readonly number[]): number[] {
  if (x.length < 3) throw shapeError(ctx, `${ctx.node.opType} input must be [N, C, spatial...]`, "rank >= 3", shapeToString(x));
  return [x[0]!, x[1]!, ...x.slice(2).map(() => 1)];
}

/** Reduces each (n, c) plane of `x` with `reduce(data, start, length)`. */
export function globalPoolRun(ctx: OpContext, x: Tensor, reduce: (d: Float64Array, start: number, len: number) => number): Tensor {
  const shape = globalPoolShape(ctx, x.shape);
  const planes = x.shape[0]! * x.shape[1]!;
  const len = sizeOf(x.shape.slice(2));
  const out = new Float64Array(planes);
  for (let p = 0; p < planes; p++) out[p] = storeAs(x.dtype, reduce(x.data, p * len, len));
  return tensor(x.dtype, shape, out);
}

/** An OpDef reducing every spatial plane of X [N, C, d...] to one value with `reduce`. */
export function globalPoolOp(opType: string, reduce: (d: Float64Array, start: number, len: number) => number): OpDef {
  return {
    opType,
    sinceVersion: 1,
    infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
      const x = required(ctx, inputs, 0);
      return [{ dtype: x.dtype, shape: globalPoolShape(ctx, x.shape) }];
    },
    run: (inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] => [globalPoolRun(ctx, required(ctx, inputs, 0), reduce)],
  };
}

export const GlobalAveragePool_1: OpDef = globalPoolOp("GlobalAveragePool", (d, start, len) => {
  let s = 0;
  for (let i = start; i < start + len; i++) s += d[i]!;
  return s / len;
});
