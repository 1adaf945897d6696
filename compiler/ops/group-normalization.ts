/**
 * GroupNormalization: channels split into num_groups groups; each (n, group) is normalised over
 * its channels and spatial axes, then scaled and shifted. Opset 18 has one scale/bias per group;
 * opset 21 has one per channel (and stash_type).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";

function makeGroupNorm(sinceVersion: number, perChannel: boolean): OpDef {
  const check = (ctx: OpContext, x: readonly number[], scale: readonly number[], bias: readonly number[]): number => {
    if (x.length < 2) throw shapeError(ctx, "GroupNormalization input must be [N, C, ...]", "rank >= 2", shapeToString(x));
    const groups = ctx.attrs.int("num_groups");
    const channels = x[1]!;
    if (!(groups >= 1) || channels % groups !== 0) {
      throw shapeError(ctx, "GroupNormalization channels must be divisible by num_groups", `a divisor of C = ${channels}`, String(groups));
    }
    const want = perChannel ? channels : groups;
    for (const [what, s] of [["scale", scale], ["bias", bias]] as const) {
      if (s.length !== 1 || s[0] !== want) {
        throw shapeError(ctx, `GroupNormalization ${what} must have one value per ${perChannel ? "channel" : "group"}`, shapeToString([want]), shapeToString(s));
      }
    }
    return groups;
  };
  return {
    opType: "GroupNormalization",
    sinceVersion,
    infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
      const x = required(ctx, inputs, 0);
      check(ctx, x.shape, required(ctx, inputs, 1).shape, required(ctx, inputs, 2).shape);
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
    run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
      const x = required(ctx, inputs, 0);
      const scale = required(ctx, inputs, 1);
      const bias = required(ctx, inputs, 2);
      const groups = check(ctx, x.shape, scale.shape, bias.shape);
      const eps = ctx.attrs.float("epsilon", 1e-5);
      const channels = x.shape[1]!;
      const perGroup = channels / groups;
      const spatial = sizeOf(x.shape.slice(2));
      const len = perGroup * spatial;
      const y = new Float64Array(x.data.length);
      for (let ng = 0; ng < x.shape[0]! * groups; ng++) {
        const g = ng % groups;
        const base = ng * len;
        let sum = 0;
        for (let i = 0; i < len; i++) sum += x.data[base + i]!;
        const mean = sum / len;
        let sq = 0;
        for (let i = 0; i < len; i++) sq += (x.data[base + i]! - mean) ** 2;
        const inv = 1 / Math.sqrt(sq / len + eps);
        for (let i = 0; i < len; i++) {
          const p = perChannel ? g * perGroup + Math.floor(i / spatial) : g;
          y[base + i] = storeAs(x.dtype, (x.data[base + i]! - mean) * inv * scale.data[p]! + bias.data[p]!);
        }
      }
      return [tensor(x.dtype, x.shape, y)];
    },
  };
}

/** opset 18-20: scale and bias per group. */
export const GroupNormalization_18: OpDef = makeGroupNorm(18, false);
/** opset 21 onward: scale and bias per channel. */
export const GroupNormalization_21: OpDef = makeGroupNorm(21, true);
