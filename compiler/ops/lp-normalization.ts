/** LpNormalization (opset 1): x / ||x||_p along one axis, p = 1 or 2. */
import { type Tensor, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, normaliseAxis, required } from "./op.js";
import { attributeError } from "./util/conv-geometry.js";

function readP(ctx: OpContext): number {
  const p = ctx.attrs.int("p", 2);
  if (p !== 1 && p !== 2) throw attributeError(ctx, "LpNormalization attribute p must be 1 or 2", "1 or 2", String(p));
  return p;
}

export const LpNormalization_1: OpDef = {
  opType: "LpNormalization",
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    normaliseAxis(ctx, ctx.attrs.int("axis", -1), x.shape.length);
    readP(ctx);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const axis = normaliseAxis(ctx, ctx.attrs.int("axis", -1), x.shape.length);
    const p = readP(ctx);
    const outer = sizeOf(x.shape.slice(0, axis));
    const n = x.shape[axis]!;
    const inner = sizeOf(x.shape.slice(axis + 1));
    const y = new Float64Array(x.data.length);
    for (let a = 0; a < outer; a++) {
      for (let b = 0; b < inner; b++) {
        const base = a * n * inner + b;
        let norm = 0;
        for (let i = 0; i < n; i++) {
          const v = x.data[base + i * inner]!;
          norm += p === 1 ? Math.abs(v) : v * v;
        }
        if (p === 2) norm = Math.sqrt(norm);
        // an all-zero slice stays zero (ONNX's reference), not 0/0
        for (let i = 0; i < n; i++) y[base + i * inner] = norm === 0 ? 0 : storeAs(x.dtype, x.data[base + i * inner]! / norm);
      }
    }
    return [tensor(x.dtype, x.shape, y)];
  },
};
