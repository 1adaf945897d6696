/**
 * Normalizer (ai.onnx.ml 1): each row divided by its MAX (largest value), L1 (sum of |x|) or L2
 * (Euclidean) norm; a zero norm leaves the row as it is (onnxruntime's rule).
 */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required } from "../op.js";
import { attributeError } from "../util/conv-geometry.js";
import { ML, featureRows } from "./common.js";

export type Norm = "MAX" | "L1" | "L2";

export function normOf(ctx: OpContext): Norm {
  const n = ctx.attrs.string("norm", "MAX");
  if (n !== "MAX" && n !== "L1" && n !== "L2") throw attributeError(ctx, `unknown norm "${n}"`, "MAX, L1 or L2", n);
  return n;
}

export const Normalizer_1: OpDef = {
  opType: "Normalizer",
  domain: ML,
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    featureRows(ctx, x);
    normOf(ctx);
    return [{ dtype: "float32", shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const { rows, cols } = featureRows(ctx, x);
    const norm = normOf(ctx);
    const y = new Float64Array(x.data.length);
    for (let r = 0; r < rows; r++) {
      const row = x.data.subarray(r * cols, (r + 1) * cols);
      let d = 0;
      if (norm === "MAX") d = Math.max(...row);
      else if (norm === "L1") for (const v of row) d += Math.abs(v);
      else {
        for (const v of row) d += v * v;
        d = Math.sqrt(d);
      }
      row.forEach((v, i) => (y[r * cols + i] = Math.fround(d === 0 ? v : v / d)));
    }
    return [tensor("float32", x.shape, y)];
  },
};
