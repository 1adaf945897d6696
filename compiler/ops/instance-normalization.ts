/**
 * InstanceNormalization (opset 1 and 6 share semantics; 1 only had the legacy consumed_inputs):
 * per (n, c) plane, Y = (X - mean) / sqrt(var + epsilon) * scale[c] + B[c], with mean and
 * population variance over the spatial axes.
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";

function check(ctx: OpContext, x: readonly number[], scale: readonly number[], bias: readonly number[]): void {
  if (x.length < 3) throw shapeError(ctx, "InstanceNormalization input must be [N, C, spatial...]", "rank >= 3", shapeToString(x));
  for (const [what, s] of [["scale", scale], ["B", bias]] as const) {
    if (s.length !== 1 || s[0] !== x[1]) throw shapeError(ctx, `InstanceNormalization ${what} must have one value per channel`, shapeToString([x[1]!]), shapeToString(s));
  }
}

export const InstanceNormalization_1: OpDef = {
  opType: "InstanceNormalization",
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    check(ctx, x.shape, required(ctx, inputs, 1).shape, required(ctx, inputs, 2).shape);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const scale = required(ctx, inputs, 1);
    const bias = required(ctx, inputs, 2);
    check(ctx, x.shape, scale.shape, bias.shape);
    const eps = ctx.attrs.float("epsilon", 1e-5);
    const channels = x.shape[1]!;
    const len = sizeOf(x.shape.slice(2));
    const planes = x.shape[0]! * channels;
    const y = new Float64Array(x.data.length);
    for (let p = 0; p < planes; p++) {
      const c = p % channels;
      const base = p * len;
      let sum = 0;
      for (let i = 0; i < len; i++) sum += x.data[base + i]!;
      const mean = sum / len;
      let sq = 0;
      for (let i = 0; i < len; i++) sq += (x.data[base + i]! - mean) ** 2;
      const a = scale.data[c]! / Math.sqrt(sq / len + eps);
      for (let i = 0; i < len; i++) y[base + i] = storeAs(x.dtype, (x.data[base + i]! - mean) * a + bias.data[c]!);
    }
    return [tensor(x.dtype, x.shape, y)];
  },
};
