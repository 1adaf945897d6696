/**
 * Range: start, start + delta, ... while below `limit` (above, for negative delta). The length
 * depends on the values, so all three must be known at compile time. Values accumulate in the
 * dtype step by step, as the spec's reference loop (and onnxruntime) do.
 */
import { storeAs } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, constantInput, shapeError } from "./op.js";
import { asInfos } from "./util/shape-args.js";

function plan(inputs: (InputInfo | undefined)[], ctx: OpContext): { start: number; delta: number; n: number } {
  const [start, limit, delta] = ["start", "limit", "delta"].map((what, i) => {
    const t = constantInput(ctx, inputs, i, what);
    if (t.data.length !== 1) throw shapeError(ctx, `${what} must be a scalar`, "1 element", String(t.data.length));
    return t.data[0]!;
  }) as [number, number, number];
  if (delta === 0) throw shapeError(ctx, "delta is 0", "a non-zero delta", "0");
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  if (!Number.isFinite(n)) throw shapeError(ctx, "the range is infinite", "finite start, limit and delta");
  return { start, delta, n };
}

export const Range_11: OpDef = {
  opType: "Range",
  sinceVersion: 11,
  infer(inputs, ctx) {
    const dtype = inputs[0]?.dtype ?? "float32";
    for (const i of [1, 2]) if (inputs[i] && inputs[i]!.dtype !== dtype) throw shapeError(ctx, "start, limit and delta must share a dtype", dtype, inputs[i]!.dtype);
    return [{ dtype, shape: [plan(inputs, ctx).n] }];
  },
  run(inputs, ctx) {
    const dtype = inputs[0]!.dtype;
    const { start, delta, n } = plan(asInfos(inputs), ctx);
    const out = new Float64Array(n);
    let v = start;
    for (let i = 0; i < n; i++) {
      out[i] = v;
      v = storeAs(dtype, v + delta);
    }
    return [{ dtype, shape: [n], data: out }];
  },
};
