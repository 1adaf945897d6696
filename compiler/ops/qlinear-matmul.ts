/**
 * QLinearMatMul (opset 10 and 21 share semantics; 21 only widened the types): a matmul of
 * quantised operands, requantised to the output's scale and zero point:
 * y = saturate(round((A - a_zp)(B - b_zp) * a_scale * b_scale / y_scale) + y_zp). Scales and zero
 * points are scalars, or per row of A / per column of B.
 */
import { type Tensor, shapeToString, sizeOf, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError, unsupported } from "./op.js";
import { MatMul_1, matmulPlan } from "./matmul.js";
import { quantRange, requantMultiplier, requantise } from "./util/matmul-requantise.js";

function checkParam(ctx: OpContext, name: string, shape: readonly number[], allowed: number): void {
  if (sizeOf(shape) !== 1 && !(shape.length === 1 && shape[0] === allowed)) {
    throw shapeError(ctx, `QLinearMatMul ${name} must be a scalar or one value per ${name.startsWith("a") ? "row of A" : "column of B"}`, `[] or [${allowed}]`, shapeToString(shape));
  }
}

function plan(ctx: OpContext, ins: readonly ({ dtype: Tensor["dtype"]; shape: readonly number[] } | undefined)[]) {
  const a = required(ctx, [...ins], 0);
  const b = required(ctx, [...ins], 3);
  const p = matmulPlan(ctx, a.shape, b.shape);
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    for (const i of [1, 2, 4, 5]) if (ins[i] && sizeOf(ins[i]!.shape) !== 1) throw unsupported(ctx, "QLinearMatMul with per-row/column parameters is supported for 2-D operands only");
  }
  checkParam(ctx, "a_scale", required(ctx, [...ins], 1).shape, p.m);
  if (ins[2]) checkParam(ctx, "a_zero_point", ins[2].shape, p.m);
  checkParam(ctx, "b_scale", required(ctx, [...ins], 4).shape, p.n);
  if (ins[5]) checkParam(ctx, "b_zero_point", ins[5].shape, p.n);
  const yScale = required(ctx, [...ins], 6);
  if (sizeOf(yScale.shape) !== 1) throw shapeError(ctx, "QLinearMatMul y_scale must be a scalar", "[]", shapeToString(yScale.shape));
  const yDtype = ins[7]?.dtype ?? a.dtype;
  if (!quantRange(yDtype)) throw unsupported(ctx, `QLinearMatMul output type ${yDtype} is not supported`, "zkc supports 8- and 16-bit integer QLinear outputs");
  return { p, yDtype };
}

export const QLinearMatMul_10: OpDef = {
  opType: "QLinearMatMul",
  sinceVersion: 10,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const { p, yDtype } = plan(ctx, inputs);
    return [{ dtype: yDtype, shape: p.outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const { p, yDtype } = plan(ctx, inputs);
    const [a, aScale, aZp, b, bScale, bZp, yScale, yZp] = inputs as [Tensor, Tensor, Tensor | undefined, Tensor, Tensor, Tensor | undefined, Tensor, Tensor | undefined];
    const per = (t: Tensor | undefined, i: number) => (t ? t.data[t.data.length === 1 ? 0 : i]! : 0);
    // A's zero point per row, B's per column (M rows of K in A, N columns in B)
    const as = new Float64Array(a.data.length);
    for (let i = 0; i < as.length; i++) as[i] = a.data[i]! - per(aZp, Math.floor(i / p.k) % p.m);
    const bs = new Float64Array(b.data.length);
    for (let i = 0; i < bs.length; i++) bs[i] = b.data[i]! - per(bZp, i % p.n);
    const [acc] = MatMul_1.run([tensor("float64", a.shape, as), tensor("float64", b.shape, bs)], ctx);
    const [lo, hi] = quantRange(yDtype)!;
    const yz = yZp ? yZp.data[0]! : 0;
    const out = new Float64Array(acc!.data.length);
    for (let i = 0; i < out.length; i++) {
      const col = i % p.n;
      const row = Math.floor(i / p.n) % p.m;
      out[i] = requantise(acc!.data[i]!, requantMultiplier(per(aScale, row), per(bScale, col), yScale.data[0]!), yz, lo, hi);
    }
    return [tensor(yDtype, acc!.shape, out)];
  },
};
