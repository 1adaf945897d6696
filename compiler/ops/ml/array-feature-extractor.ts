/**
 * ArrayFeatureExtractor (ai.onnx.ml 1): selects columns of the last axis by the int64 indices Y
 * (known at compile time); the output is [..., len(Y)], and a 1-D X gives [1, len(Y)].
 */
import { type Tensor, sizeOf, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, constantInput, required, shapeError } from "../op.js";
import { ML } from "./common.js";

function plan(ctx: OpContext, xShape: readonly number[], indices: Tensor): { outShape: number[]; cols: number; picks: number[] } {
  if (xShape.length === 0) throw shapeError(ctx, "ArrayFeatureExtractor needs an input of rank 1 or more", "rank >= 1", "rank 0");
  const cols = xShape[xShape.length - 1]!;
  const picks = Array.from(indices.data);
  for (const i of picks) {
    if (!Number.isInteger(i) || i < 0 || i >= cols) throw shapeError(ctx, `index ${i} is out of range for a last axis of ${cols}`, `0 <= index < ${cols}`, String(i));
  }
  const outShape = xShape.length === 1 ? [1, picks.length] : [...xShape.slice(0, -1), picks.length];
  return { outShape, cols, picks };
}

export const ArrayFeatureExtractor_1: OpDef = {
  opType: "ArrayFeatureExtractor",
  domain: ML,
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    const { outShape } = plan(ctx, x.shape, constantInput(ctx, inputs, 1, "the indices"));
    return [{ dtype: x.dtype, shape: outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const { outShape, cols, picks } = plan(ctx, x.shape, required(ctx, inputs, 1));
    const rows = sizeOf(x.shape.slice(0, -1));
    const out = new Float64Array(rows * picks.length);
    for (let r = 0; r < rows; r++) picks.forEach((c, j) => (out[r * picks.length + j] = x.data[r * cols + c]!));
    return [tensor(x.dtype, outShape, out)];
  },
};
