/**
 * TopK: the k largest (or, with largest=0, smallest) values along `axis` (default -1) and their
 * int64 indices, best first; equal values keep index order. Opset 1-9: `k` attribute. Opset 10:
 * `k` as input 1 (constant at compile time). Opset 11+: adds `largest` and `sorted` (zkc always
 * returns the sorted order, which `sorted=0` permits).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, constantInput, required, shapeError } from "./op.js";
import { checkDType } from "./util/elementwise.js";
import { axisAttr, splitAtAxis } from "./util/reduce.js";

type KFrom = "attribute" | "input";

function kOf(ctx: OpContext, from: KFrom, kTensor: Tensor | undefined, axisLen: number): number {
  let k: number;
  if (from === "attribute") k = ctx.attrs.int("k");
  else {
    const t = kTensor!;
    if (sizeOf(t.shape) !== 1) throw shapeError(ctx, "k must be a single value", "[1]", shapeToString(t.shape));
    k = t.data[0]!;
  }
  if (!Number.isInteger(k) || k < 0 || k > axisLen) {
    throw shapeError(ctx, `k = ${k} is out of range for an axis of size ${axisLen}`, `0 <= k <= ${axisLen}`, String(k));
  }
  return k;
}

function topKOp(sinceVersion: number, from: KFrom): OpDef {
  const plan = (ctx: OpContext, shape: readonly number[], kTensor: Tensor | undefined) => {
    const axis = axisAttr(ctx, shape, -1);
    const k = kOf(ctx, from, kTensor, shape[axis]!);
    return { axis, k, outShape: shape.map((d, i) => (i === axis ? k : d)) };
  };
  const kAtCompileTime = (ctx: OpContext, inputs: (InputInfo | undefined)[]) =>
    from === "input" ? constantInput(ctx, inputs, 1, "k") : undefined;
  return {
    opType: "TopK",
    sinceVersion,
    infer(inputs, ctx): OutputInfo[] {
      const x = required(ctx, inputs, 0);
      checkDType(ctx, x.dtype, "numeric", 0);
      const { outShape } = plan(ctx, x.shape, kAtCompileTime(ctx, inputs));
      return [
        { dtype: x.dtype, shape: outShape },
        { dtype: "int64", shape: [...outShape] },
      ];
    },
    run(inputs, ctx): Tensor[] {
      const x = required(ctx, inputs, 0);
      const { axis, k, outShape } = plan(ctx, x.shape, from === "input" ? required(ctx, inputs, 1) : undefined);
      const largest = sinceVersion < 11 || ctx.attrs.int("largest", 1) !== 0;
      const { outer, len, inner } = splitAtAxis(x.shape, axis);
      const values = new Float64Array(outer * k * inner);
      const indices = new Float64Array(outer * k * inner);
      const order = new Array<number>(len);
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          const base = o * len * inner + j;
          const at = (i: number) => x.data[base + i * inner]!;
          for (let i = 0; i < len; i++) order[i] = i;
          // Array.prototype.sort is stable, so equal values stay in index order
          order.sort((a, b) => (largest ? at(b) - at(a) : at(a) - at(b)) || 0);
          for (let r = 0; r < k; r++) {
            const dst = o * k * inner + r * inner + j;
            values[dst] = storeAs(x.dtype, at(order[r]!));
            indices[dst] = order[r]!;
          }
        }
      }
      return [tensor(x.dtype, outShape, values), tensor("int64", outShape, indices)];
    },
  };
}

/** opset 1-9: `k` attribute, largest values */
export const TopK_1 = topKOp(1, "attribute");
/** opset 10: `k` as input 1 */
export const TopK_10 = topKOp(10, "input");
/** opset 11+: `largest` and `sorted` attributes, negative axis */
export const TopK_11 = topKOp(11, "input");
