/**
 * Cast to another numeric dtype with ONNX/numpy semantics (`storeAs`): float -> int truncates
 * toward zero and wraps, anything -> bool is "non-zero", float16/bfloat16 round to nearest even.
 * Cast-1 names the target type as a string ("FLOAT"), later versions as a data type code.
 */
import type { DType, Tensor } from "../ir/tensor.js";
import { storeAs } from "../ir/tensor.js";
import { dtypeFromOnnx, onnxCodeFromName } from "../onnx/dtypes.js";
import { type OpContext, type OpDef, required } from "./op.js";

function targetDtype(ctx: OpContext): DType {
  const where = { file: ctx.source, node: ctx.node.name, op: ctx.node.opType };
  const a = ctx.node.attrs["to"];
  if (a?.type === "string") return dtypeFromOnnx(onnxCodeFromName(a.value) ?? -1, `the cast target "${a.value}"`, where);
  return dtypeFromOnnx(ctx.attrs.int("to"), "the cast target", where);
}

/** Casts every element of `x` to `dtype`. */
export function castTensor(x: Tensor, dtype: DType): Tensor {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = storeAs(dtype, x.data[i]!);
  return { dtype, shape: [...x.shape], data: out };
}

function castOp(since: number): OpDef {
  return {
    opType: "Cast",
    sinceVersion: since,
    infer(inputs, ctx) {
      return [{ dtype: targetDtype(ctx), shape: [...required(ctx, inputs, 0).shape] }];
    },
    run(inputs, ctx) {
      return [castTensor(required(ctx, inputs, 0), targetDtype(ctx))];
    },
  };
}

/** Cast-1: `to` is a type name string. */
export const Cast_1: OpDef = castOp(1);
/** Cast-6 onwards: `to` is a TensorProto.DataType code (the parser accepts both forms in either). */
export const Cast_6: OpDef = castOp(6);
