/**
 * MaxUnpool (opset 9 and 11 share semantics): the partial inverse of MaxPool. Output is zero
 * except at the flat positions given by I (MaxPool's Indices, over the whole [N, C, spatial...]
 * output), which receive X's values. Default output size per axis:
 * (in - 1) * stride + kernel - pad_begin - pad_end; input 2 (output_shape) overrides it and must be
 * known at compile time; indices keep their coordinates (decoded with the default size) in it, as
 * ONNX's reference does.
 */
import { ZkcError } from "../errors.js";
import { type Tensor, shapeToString, sizeOf, stridesOf, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, constantInput, required, shapeError } from "./op.js";
import { readWindowAttrs } from "./util/conv-geometry.js";

/** The default output shape and the (possibly larger) requested one. */
function outputShapes(ctx: OpContext, x: readonly number[], idx: readonly number[], given?: Tensor): { dflt: number[]; shape: number[] } {
  if (x.length < 3) throw shapeError(ctx, "MaxUnpool input X must be [N, C, spatial...]", "rank >= 3", shapeToString(x));
  if (idx.length !== x.length || idx.some((d, i) => d !== x[i])) throw shapeError(ctx, "MaxUnpool indices I must have X's shape", shapeToString(x), shapeToString(idx));
  const a = readWindowAttrs(ctx, x.length - 2);
  const r = x.length - 2;
  const dflt = [x[0]!, x[1]!, ...x.slice(2).map((d, i) => (d - 1) * a.strides[i]! + a.kernelShape[i]! - a.pads[i]! - a.pads[i + r]!)];
  if (!given) return { dflt, shape: dflt };
  const shape = [...given.data];
  if (shape.length !== x.length || shape[0] !== x[0] || shape[1] !== x[1] || shape.some((d, i) => i >= 2 && d < dflt[i]!)) {
    throw shapeError(ctx, "MaxUnpool output_shape must keep N and C and be at least the default size", `[${x[0]}, ${x[1]}, >= ${dflt.slice(2).join(", >= ")}]`, shapeToString(shape));
  }
  return { dflt, shape };
}

export const MaxUnpool_9: OpDef = {
  opType: "MaxUnpool",
  sinceVersion: 9,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    const i = required(ctx, inputs, 1);
    const given = inputs[2] ? constantInput(ctx, inputs, 2, "output_shape") : undefined;
    return [{ dtype: x.dtype, shape: outputShapes(ctx, x.shape, i.shape, given).shape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const idx = required(ctx, inputs, 1);
    const { dflt, shape } = outputShapes(ctx, x.shape, idx.shape, inputs[2]);
    const out = new Float64Array(sizeOf(shape));
    const dfltStrides = stridesOf(dflt);
    const outStrides = stridesOf(shape);
    for (let j = 0; j < x.data.length; j++) {
      const k = idx.data[j]!;
      if (!Number.isInteger(k) || k < 0 || k >= sizeOf(dflt)) {
        throw new ZkcError("INPUT", `MaxUnpool index ${k} is outside the output`, {
          file: ctx.source,
          node: ctx.node.name,
          op: ctx.node.opType,
          expected: `0 <= index < ${sizeOf(dflt)}`,
          got: String(k),
        });
      }
      // indices address the default-size output; a larger output_shape keeps their coordinates
      let rem = k;
      let target = 0;
      for (let a = 0; a < dflt.length; a++) {
        const c = Math.floor(rem / dfltStrides[a]!);
        rem -= c * dfltStrides[a]!;
        target += c * outStrides[a]!;
      }
      out[target] = x.data[j]!;
    }
    return [tensor(x.dtype, shape, out)];
  },
};
