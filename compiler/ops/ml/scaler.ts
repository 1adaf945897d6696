/** Scaler (ai.onnx.ml 1): Y = (X - offset) * scale per column; offset and scale hold 1 or C values. */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required } from "../op.js";
import { attributeError } from "../util/conv-geometry.js";
import { ML, featureRows } from "./common.js";

/** offset[c] and scale[c] for every column, with the one-value forms broadcast. */
export function scalerColumns(ctx: OpContext, cols: number): { offset: number[]; scale: number[] } {
  const per = (name: string, dflt: number): number[] => {
    const v = ctx.attrs.floats(name, []);
    if (v.length === 0) return new Array(cols).fill(dflt);
    if (v.length === 1) return new Array(cols).fill(v[0]);
    if (v.length !== cols) throw attributeError(ctx, `attribute "${name}" has ${v.length} values for ${cols} columns`, `1 or ${cols}`, String(v.length));
    return v;
  };
  return { offset: per("offset", 0), scale: per("scale", 1) };
}

export const Scaler_1: OpDef = {
  opType: "Scaler",
  domain: ML,
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    scalerColumns(ctx, featureRows(ctx, x).cols);
    return [{ dtype: "float32", shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const { cols } = featureRows(ctx, x);
    const { offset, scale } = scalerColumns(ctx, cols);
    return [tensor("float32", x.shape, x.data.map((v, i) => Math.fround((v - offset[i % cols]!) * scale[i % cols]!)))];
  },
};
