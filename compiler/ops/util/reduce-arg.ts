/**
 * ArgMax/ArgMin: the int64 index of the extreme value along `axis` (default 0), `keepdims`
 * default 1, and from opset 12 `select_last_index` (default 0: the first of equal extremes).
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type OpContext, type OpDef, type OutputInfo, required } from "../op.js";
import { checkDType } from "./elementwise.js";
import { axisAttr, splitAtAxis } from "./reduce.js";

function outShape(ctx: OpContext, shape: readonly number[], axis: number): number[] {
  return ctx.attrs.int("keepdims", 1) !== 0 ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
}

/**
 * An ArgMax/ArgMin OpDef; `better(a, b)` says a value `a` beats the current best `b`. NaN beats
 * everything (numpy's argmax returns the first NaN).
 */
export function argOp(opType: string, sinceVersion: number, better: (a: number, b: number) => boolean): OpDef {
  return {
    opType,
    sinceVersion,
    infer(inputs, ctx): OutputInfo[] {
      const x = required(ctx, inputs, 0);
      checkDType(ctx, x.dtype, "numeric", 0);
      return [{ dtype: "int64", shape: outShape(ctx, x.shape, axisAttr(ctx, x.shape, 0)) }];
    },
    run(inputs, ctx): Tensor[] {
      const x = required(ctx, inputs, 0);
      const axis = axisAttr(ctx, x.shape, 0);
      const last = ctx.attrs.int("select_last_index", 0) !== 0;
      const { outer, len, inner } = splitAtAxis(x.shape, axis);
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          const base = o * len * inner + j;
          let best = 0;
          let bestVal = x.data[base]!;
          for (let k = 1; k < len; k++) {
            const v = x.data[base + k * inner]!;
            if (Number.isNaN(bestVal)) break;
            if (better(v, bestVal) || Number.isNaN(v) || (last && v === bestVal)) {
              best = k;
              bestVal = v;
            }
          }
          out[o * inner + j] = best;
        }
      }
      return [tensor("int64", outShape(ctx, x.shape, axis), out)];
    },
  };
}
