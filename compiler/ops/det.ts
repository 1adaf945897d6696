/**
 * Det (opset 11): determinant of each square matrix in the last two dims of a [*, M, M] float
 * tensor, by Gaussian elimination with partial pivoting in float64.
 */
import { type Tensor, shapeToString, storeAs, tensor } from "../ir/tensor.js";
import { type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { checkDType } from "./util/elementwise.js";

/** Determinant of an n x n row-major matrix (the array is overwritten). */
export function determinant(a: Float64Array, n: number): number {
  let det = 1;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[pivot * n + c]!)) pivot = r;
    if (a[pivot * n + c] === 0) return 0;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) {
        const t = a[c * n + k]!;
        a[c * n + k] = a[pivot * n + k]!;
        a[pivot * n + k] = t;
      }
      det = -det;
    }
    const p = a[c * n + c]!;
    det *= p;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / p;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] = a[r * n + k]! - f * a[c * n + k]!;
    }
  }
  return det;
}

export const Det_11: OpDef = {
  opType: "Det",
  sinceVersion: 11,
  infer(inputs, ctx): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    checkDType(ctx, x.dtype, "float", 0);
    const r = x.shape.length;
    if (r < 2 || x.shape[r - 1] !== x.shape[r - 2]) {
      throw shapeError(ctx, `Det needs square matrices in the last two dims, got ${shapeToString(x.shape)}`, "[*, M, M]", shapeToString(x.shape));
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(0, r - 2) }];
  },
  run(inputs, ctx): Tensor[] {
    const x = required(ctx, inputs, 0);
    const n = x.shape[x.shape.length - 1]!;
    const shape = x.shape.slice(0, x.shape.length - 2);
    const count = x.data.length / (n * n);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) out[b] = storeAs(x.dtype, determinant(x.data.slice(b * n * n, (b + 1) * n * n), n));
    return [tensor(x.dtype, shape, out)];
  },
};
