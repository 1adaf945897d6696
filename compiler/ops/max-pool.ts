/**
 * MaxPool: maximum over each window, padding excluded. One definition serves opset 1 onward:
 * later versions only add attributes (storage_order and the Indices output in 8, dilations and
 * ceil_mode in 10, integer types in 12), whose defaults give the earlier behaviour.
 */
import { type Tensor, sizeOf, stridesOf, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required } from "./op.js";
import { attributeError, cachedWindowIndexMap } from "./util/conv-geometry.js";
import { poolPlan } from "./util/pool-plan.js";

function inferMaxPool(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
  const x = required(ctx, inputs, 0);
  const p = poolPlan(ctx, x.shape);
  checkStorageOrder(ctx);
  return [
    { dtype: x.dtype, shape: p.outShape },
    { dtype: "int64", shape: p.outShape },
  ];
}

function checkStorageOrder(ctx: OpContext): number {
  const order = ctx.attrs.int("storage_order", 0);
  if (order !== 0 && order !== 1) throw attributeError(ctx, "MaxPool attribute storage_order must be 0 (row major) or 1 (column major)", "0 or 1", String(order));
  return order;
}

function runMaxPool(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
  const x = required(ctx, inputs, 0);
  const p = poolPlan(ctx, x.shape);
  const storageOrder = checkStorageOrder(ctx);
  const wantIndices = ctx.node.outputs.length > 1 && ctx.node.outputs[1] !== "";
  const map = cachedWindowIndexMap(p.geom);
  const kSize = sizeOf(p.geom.kernelShape);
  const inSize = sizeOf(p.geom.inShape);
  const outSize = sizeOf(p.geom.outShape);
  const out = new Float64Array(p.planes * outSize);
  // Indices: flat position in X of the maximum (first one on ties); spatial part row- or column-major
  const argmax = new Float64Array(wantIndices ? out.length : 0);
  const inShape = p.geom.inShape;
  const rowStrides = stridesOf(inShape);
  const colStrides: number[] = [];
  for (let a = 0, acc = 1; a < inShape.length; a++) {
    colStrides.push(acc);
    acc *= inShape[a]!;
  }
  const xd = x.data;
  for (let plane = 0; plane < p.planes; plane++) {
    const inBase = plane * inSize;
    const outBase = plane * outSize;
    for (let o = 0; o < outSize; o++) {
      let best = -Infinity;
      let bestIdx = -1;
      const mBase = o * kSize;
      for (let k = 0; k < kSize; k++) {
        const idx = map[mBase + k]!;
        if (idx < 0) continue;
        const v = xd[inBase + idx]!;
        if (v > best || bestIdx < 0) {
          best = v;
          bestIdx = idx;
        }
      }
      out[outBase + o] = best;
      if (wantIndices) {
        let spatial = bestIdx;
        if (storageOrder === 1 && bestIdx >= 0) {
          spatial = 0;
          let rem = bestIdx;
          for (let a = 0; a < inShape.length; a++) {
            const c = Math.floor(rem / rowStrides[a]!);
            rem -= c * rowStrides[a]!;
            spatial += c * colStrides[a]!;
          }
        }
        argmax[outBase + o] = bestIdx < 0 ? -1 : inBase + spatial;
      }
    }
  }
  const results = [tensor(x.dtype, p.outShape, out)];
  if (wantIndices) results.push(tensor("int64", p.outShape, argmax));
  return results;
}

/** MaxPool, opset 1 onward (Indices output from opset 8). */
export const MaxPool_1: OpDef = { opType: "MaxPool", sinceVersion: 1, infer: inferMaxPool, run: runMaxPool };
