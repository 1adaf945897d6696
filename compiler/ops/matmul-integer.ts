/**
 * MatMulInteger (opset 10): numpy matmul of 8-bit integer operands after subtracting their zero
 * points, accumulated exactly into int32. a_zero_point is a scalar or one value per row of A
 * ([M], or [..., M, 1]); b_zero_point a scalar or one value per column of B ([N], or [..., 1, N]).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { MatMul_1, matmulPlan } from "./matmul.js";
import { broadcastIndex, broadcastShapes } from "./util/broadcast.js";

/** The zero point's shape as it broadcasts against the operand (1-D per-row/column forms expanded). */
function zeroPointShape(ctx: OpContext, zp: readonly number[], operand: readonly number[], which: "A" | "B"): number[] {
  let shape = [...zp];
  if (zp.length === 1 && operand.length >= 2 && sizeOf(zp) !== 1) shape = which === "A" ? [zp[0]!, 1] : [1, zp[0]!];
  const b = broadcastShapes(shape, operand);
  if (!b || b.length !== operand.length || b.some((d, i) => d !== operand[i])) {
    throw shapeError(ctx, `MatMulInteger ${which.toLowerCase()}_zero_point does not fit ${which}`, `a scalar or one value per ${which === "A" ? "row of A" : "column of B"}`, `${shapeToString(zp)} for ${which} ${shapeToString(operand)}`);
  }
  return shape;
}

function shifted(x: Tensor, zp: Tensor | undefined, shape: number[] | undefined): Tensor {
  if (!zp || !shape) return tensor("float64", x.shape, Float64Array.from(x.data));
  const idx = broadcastIndex(shape, x.shape);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i]! - zp.data[idx[i]!]!;
  return tensor("float64", x.shape, out);
}

export const MatMulInteger_10: OpDef = {
  opType: "MatMulInteger",
  sinceVersion: 10,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const a = required(ctx, inputs, 0);
    const b = required(ctx, inputs, 1);
    if (inputs[2]) zeroPointShape(ctx, inputs[2].shape, a.shape, "A");
    if (inputs[3]) zeroPointShape(ctx, inputs[3].shape, b.shape, "B");
    return [{ dtype: "int32", shape: matmulPlan(ctx, a.shape, b.shape).outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const a = required(ctx, inputs, 0);
    const b = required(ctx, inputs, 1);
    const [aZp, bZp] = [inputs[2], inputs[3]];
    const a64 = shifted(a, aZp, aZp && zeroPointShape(ctx, aZp.shape, a.shape, "A"));
    const b64 = shifted(b, bZp, bZp && zeroPointShape(ctx, bZp.shape, b.shape, "B"));
    const [y] = MatMul_1.run([a64, b64], ctx);
    const out = new Float64Array(y!.data.length);
    for (let i = 0; i < out.length; i++) out[i] = storeAs("int32", y!.data[i]!);
    return [tensor("int32", y!.shape, out)];
  },
};
