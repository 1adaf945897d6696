/**
 * QLinearConv (opset 10): Conv of quantised input and weights with an optional int32 bias,
 * requantised: y = saturate(round((conv(x - x_zp, w - w_zp) + B) * x_scale * w_scale[m] / y_scale)
 * + y_zp). w_scale and w_zero_point are scalars or one per output channel. Same attributes and
 * geometry as Conv.
 */
import { type Tensor, shapeToString, sizeOf, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError, unsupported } from "./op.js";
import { Conv_1, convPlan } from "./conv.js";
import { quantRange, requantMultiplier, requantise } from "./util/matmul-requantise.js";

function plan(ctx: OpContext, ins: readonly ({ dtype: Tensor["dtype"]; shape: readonly number[] } | undefined)[]) {
  const x = required(ctx, [...ins], 0);
  const w = required(ctx, [...ins], 3);
  const p = convPlan(ctx, x.shape, w.shape, ins[8]?.shape);
  const scalar = (i: number, name: string) => {
    const t = ins[i];
    if (t && sizeOf(t.shape) !== 1) throw shapeError(ctx, `QLinearConv ${name} must be a scalar`, "[]", shapeToString(t.shape));
  };
  scalar(1, "x_scale");
  scalar(2, "x_zero_point");
  scalar(6, "y_scale");
  scalar(7, "y_zero_point");
  for (const [i, name] of [[4, "w_scale"], [5, "w_zero_point"]] as const) {
    const t = ins[i];
    if (t && sizeOf(t.shape) !== 1 && !(t.shape.length === 1 && t.shape[0] === p.outChannels)) {
      throw shapeError(ctx, `QLinearConv ${name} must be a scalar or one value per output channel`, `[] or [${p.outChannels}]`, shapeToString(t.shape));
    }
  }
  const yDtype = ins[7]?.dtype ?? x.dtype;
  if (!quantRange(yDtype)) throw unsupported(ctx, `QLinearConv output type ${yDtype} is not supported`, "zkc supports 8- and 16-bit integer QLinear outputs");
  return { p, yDtype };
}

export const QLinearConv_10: OpDef = {
  opType: "QLinearConv",
  sinceVersion: 10,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const { p, yDtype } = plan(ctx, inputs);
    return [{ dtype: yDtype, shape: p.outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const { p, yDtype } = plan(ctx, inputs);
    const [x, xScale, xZp, w, wScale, wZp, yScale, yZp, bias] = inputs as [Tensor, Tensor, Tensor | undefined, Tensor, Tensor, Tensor | undefined, Tensor, Tensor | undefined, Tensor | undefined];
    const per = (t: Tensor | undefined, i: number) => (t ? t.data[t.data.length === 1 ? 0 : i]! : 0);
    const xs = new Float64Array(x.data.length);
    const xz = per(xZp, 0);
    for (let i = 0; i < xs.length; i++) xs[i] = x.data[i]! - xz;
    const perChannel = sizeOf(w.shape.slice(1));
    const ws = new Float64Array(w.data.length);
    for (let i = 0; i < ws.length; i++) ws[i] = w.data[i]! - per(wZp, Math.floor(i / perChannel));
    const convInputs: Tensor[] = [tensor("float64", x.shape, xs), tensor("float64", w.shape, ws)];
    if (bias) convInputs.push(tensor("float64", bias.shape, Float64Array.from(bias.data)));
    const [acc] = Conv_1.run(convInputs, ctx);
    const [lo, hi] = quantRange(yDtype)!;
    const yz = per(yZp, 0);
    const spatial = sizeOf(p.outShape.slice(2));
    const out = new Float64Array(acc!.data.length);
    for (let i = 0; i < out.length; i++) {
      const m = Math.floor(i / spatial) % p.outChannels;
      out[i] = requantise(acc!.data[i]!, requantMultiplier(per(xScale, 0), per(wScale, m), yScale.data[0]!), yz, lo, hi);
    }
    return [tensor(yDtype, acc!.shape, out)];
  },
};
