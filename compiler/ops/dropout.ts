/**
 * Dropout at inference: the output is the input and the optional mask is all ones (kept). The
 * mask has the input's dtype before opset 10 and is bool from 10. From opset 12 the training
 * mode is an input; a constant false (or omitted) is inference, anything else is rejected.
 */
import type { DType, Tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "./op.js";

function dropout(since: number, maskDtype: (x: DType) => DType, checkTraining: (inputs: (InputInfo | undefined)[], ctx: OpContext) => void): OpDef {
  return {
    opType: "Dropout",
    sinceVersion: since,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      checkTraining(inputs, ctx);
      const outs: OutputInfo[] = [{ dtype: x.dtype, shape: [...x.shape] }];
      if (ctx.node.outputs.length > 1) outs.push({ dtype: maskDtype(x.dtype), shape: [...x.shape] });
      return outs;
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const outs: Tensor[] = [x];
      if (ctx.node.outputs.length > 1) outs.push({ dtype: maskDtype(x.dtype), shape: [...x.shape], data: new Float64Array(x.data.length).fill(1) });
      return outs;
    },
  };
}

function attrTraining(_inputs: (InputInfo | undefined)[], ctx: OpContext): void {
  if (ctx.attrs.has("is_test") && ctx.attrs.int("is_test") === 0) {
    throw unsupported(ctx, "Dropout in training mode (is_test = 0) is random", "export the model in eval mode (model.eval()) so Dropout is inference-only");
  }
}

function inputTraining(inputs: (InputInfo | undefined)[], ctx: OpContext): void {
  const mode = inputs[2];
  if (mode === undefined) return;
  if (!mode.constant || mode.constant.data[0] !== 0) {
    throw unsupported(ctx, "Dropout with training_mode not constant false is random", "export the model in eval mode (model.eval()) so Dropout is inference-only");
  }
}

/** Dropout-1/6 (is_test attribute), mask of the input's dtype. */
export const Dropout_1: OpDef = dropout(1, (x) => x, attrTraining);
/** Dropout-7: no is_test; always inference here. */
export const Dropout_7: OpDef = dropout(7, (x) => x, () => {});
/** Dropout-10: bool mask. */
export const Dropout_10: OpDef = dropout(10, () => "bool", () => {});
/** Dropout-12: ratio and training_mode inputs. */
export const Dropout_12: OpDef = dropout(12, () => "bool", inputTraining);
