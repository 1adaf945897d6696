/**
 * The generalised cosine windows of opset 17 (HannWindow, HammingWindow, BlackmanWindow):
 * w[n] = sum_k (-1)^k a_k cos(2 pi k n / D), with D = size (periodic, the default) or size - 1
 * (symmetric). `size` is a scalar integer input that must be known at compile time, since it is
 * the output's shape; `output_datatype` (default 1 = float32) picks the dtype.
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../../ir/tensor.js";
import { dtypeFromOnnx } from "../../onnx/dtypes.js";
import { type OpContext, type OpDef, constantInput, required, shapeError } from "../op.js";
import { checkDType } from "./elementwise.js";

function sizeOfWindow(ctx: OpContext, t: Tensor): number {
  const n = t.data[0]!;
  if (sizeOf(t.shape) !== 1 || !Number.isInteger(n) || n < 0) {
    throw shapeError(ctx, "the window size must be one non-negative integer", "a scalar >= 0", `${shapeToString(t.shape)} ${n}`);
  }
  return n;
}

/** A window OpDef from its cosine coefficients a_0, a_1, ... */
export function cosineWindowOp(opType: string, coefficients: readonly number[]): OpDef {
  const outDType = (ctx: OpContext) =>
    dtypeFromOnnx(ctx.attrs.int("output_datatype", 1), "output_datatype", { file: ctx.source, node: ctx.node.name, op: ctx.node.opType });
  return {
    opType,
    sinceVersion: 17,
    infer(inputs, ctx) {
      const size = required(ctx, inputs, 0);
      checkDType(ctx, size.dtype, "integer", 0);
      return [{ dtype: outDType(ctx), shape: [sizeOfWindow(ctx, constantInput(ctx, inputs, 0, "the window size"))] }];
    },
    run(inputs, ctx) {
      const n = sizeOfWindow(ctx, required(ctx, inputs, 0));
      const periodic = ctx.attrs.int("periodic", 1) !== 0;
      const denominator = periodic ? n : n - 1;
      const dtype = outDType(ctx);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let w = 0;
        coefficients.forEach((a, k) => (w += (k % 2 === 0 ? a : -a) * Math.cos((2 * Math.PI * k * i) / denominator)));
        out[i] = storeAs(dtype, w);
      }
      return [tensor(dtype, [n], out)];
    },
  };
}
