/**
 * ConvInteger (opset 10): Conv over 8-bit integer input and weights after subtracting their zero
 * points (x: scalar; w: scalar or one per output channel), accumulated exactly into int32. Same
 * attributes and geometry as Conv; no bias.
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { Conv_1, convPlan } from "./conv.js";

function checkZeroPoints(ctx: OpContext, w: readonly number[], xZp?: readonly number[], wZp?: readonly number[]): void {
  if (xZp && sizeOf(xZp) !== 1) throw shapeError(ctx, "ConvInteger x_zero_point must be a scalar", "one value", shapeToString(xZp));
  if (wZp && sizeOf(wZp) !== 1 && !(wZp.length === 1 && wZp[0] === w[0])) {
    throw shapeError(ctx, "ConvInteger w_zero_point must be a scalar or one value per output channel", `[] or [${w[0]}]`, shapeToString(wZp));
  }
}

export const ConvInteger_10: OpDef = {
  opType: "ConvInteger",
  sinceVersion: 10,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    const w = required(ctx, inputs, 1);
    checkZeroPoints(ctx, w.shape, inputs[2]?.shape, inputs[3]?.shape);
    return [{ dtype: "int32", shape: convPlan(ctx, x.shape, w.shape).outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const w = required(ctx, inputs, 1);
    const [xZp, wZp] = [inputs[2], inputs[3]];
    checkZeroPoints(ctx, w.shape, xZp?.shape, wZp?.shape);
    const xs = new Float64Array(x.data.length);
    const xz = xZp ? xZp.data[0]! : 0;
    for (let i = 0; i < xs.length; i++) xs[i] = x.data[i]! - xz;
    const ws = new Float64Array(w.data.length);
    const perChannel = sizeOf(w.shape.slice(1));
    for (let i = 0; i < ws.length; i++) ws[i] = w.data[i]! - (wZp ? wZp.data[wZp.data.length === 1 ? 0 : Math.floor(i / perChannel)]! : 0);
    const [y] = Conv_1.run([tensor("float64", x.shape, xs), tensor("float64", w.shape, ws)], ctx);
    const out = new Float64Array(y!.data.length);
    for (let i = 0; i < out.length; i++) out[i] = storeAs("int32", y!.data[i]!);
    return [tensor("int32", y!.shape, out)];
  },
};
