/**
 * BatchNormalization, inference mode only: Y = (X - mean) / sqrt(var + epsilon) * scale + B,
 * per channel (axis 1). Training mode (batch statistics, running-stat outputs) is rejected with
 * UNSUPPORTED_FEATURE: a proof of inference has no use for it.
 *
 * Versions: 1-6 (is_test, spatial), 7-8 (training chosen by requesting the extra outputs,
 * spatial), 9-13 (spatial removed), 14 (training_mode attribute), 15 (parameters may have
 * another float type than X).
 */
import { type DType, type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError, unsupported } from "./op.js";

type TrainingRule = "is_test" | "extra_outputs" | "training_mode";

interface Variant {
  sinceVersion: number;
  training: TrainingRule;
  /** whether the `spatial` attribute exists (opset < 9) */
  spatialAttr: boolean;
  /** whether parameters may have a different dtype from X (opset 15) */
  mixedTypes: boolean;
}

const TRAINING_HINT = "export the model in eval mode (model.eval() in PyTorch) so BatchNormalization uses its running statistics";

function rejectTraining(ctx: OpContext, v: Variant): void {
  const extraOutputs = ctx.node.outputs.slice(1).some((o) => o !== "");
  // opset 1-6 default is_test=0 on paper, but exporters that left it unset and asked for Y only
  // meant inference (as runtimes treat it); an explicit is_test=0 is a clear training request
  if (v.training === "is_test" && ctx.attrs.has("is_test") && ctx.attrs.int("is_test") === 0) {
    throw unsupported(ctx, "BatchNormalization in training mode (is_test=0) is not supported", TRAINING_HINT);
  }
  if ((v.training === "extra_outputs" || v.training === "is_test") && extraOutputs) {
    throw unsupported(ctx, "BatchNormalization with training outputs (mean, var, saved_mean, saved_var) is not supported", TRAINING_HINT);
  }
  if (v.training === "training_mode" && ctx.attrs.int("training_mode", 0) !== 0) {
    throw unsupported(ctx, "BatchNormalization with training_mode=1 is not supported", TRAINING_HINT);
  }
}

/** The shape every parameter must have: [C], or X's dims after N when spatial=0 (opset < 9). */
function paramShape(ctx: OpContext, v: Variant, x: readonly number[]): number[] {
  if (x.length < 2) throw shapeError(ctx, "BatchNormalization input X must be [N, C, ...]", "rank >= 2", shapeToString(x));
  const spatial = v.spatialAttr ? ctx.attrs.int("spatial", 1) !== 0 : true;
  return spatial ? [x[1]!] : x.slice(1);
}

const PARAM_NAMES = ["scale", "B", "mean", "var"];

function checkParams(ctx: OpContext, v: Variant, x: { dtype: DType; shape: readonly number[] }, params: { dtype: DType; shape: readonly number[] }[]): number[] {
  const want = paramShape(ctx, v, x.shape);
  params.forEach((p, i) => {
    if (sizeOf(p.shape) !== sizeOf(want) || (p.shape.length !== want.length && p.shape.length !== 1)) {
      throw shapeError(ctx, `BatchNormalization ${PARAM_NAMES[i]} must have one value per channel`, shapeToString(want), shapeToString(p.shape));
    }
    if (!v.mixedTypes && p.dtype !== x.dtype) {
      throw shapeError(ctx, `BatchNormalization ${PARAM_NAMES[i]} has another dtype than X (allowed from opset 15)`, x.dtype, p.dtype);
    }
  });
  return want;
}

function makeBatchNorm(v: Variant): OpDef {
  return {
    opType: "BatchNormalization",
    sinceVersion: v.sinceVersion,
    infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
      rejectTraining(ctx, v);
      const x = required(ctx, inputs, 0);
      checkParams(ctx, v, x, [1, 2, 3, 4].map((i) => required(ctx, inputs, i)));
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
    run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
      rejectTraining(ctx, v);
      const x = required(ctx, inputs, 0);
      const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => required(ctx, inputs, i)) as [Tensor, Tensor, Tensor, Tensor];
      const want = checkParams(ctx, v, x, [scale, bias, mean, variance]);
      const eps = ctx.attrs.float("epsilon", 1e-5);
      // per parameter position: y = (x - mean) * a + B
      const p = sizeOf(want);
      const a = new Float64Array(p);
      for (let i = 0; i < p; i++) a[i] = scale.data[i]! / Math.sqrt(variance.data[i]! + eps);
      // parameters cover axis 1 (inner = spatial size) or axes 1.. (inner = 1)
      const inner = want.length === 1 ? sizeOf(x.shape.slice(2)) : 1;
      const out = new Float64Array(x.data.length);
      for (let i = 0; i < out.length; i++) {
        const k = Math.floor(i / inner) % p;
        out[i] = storeAs(x.dtype, (x.data[i]! - mean.data[k]!) * a[k]! + bias.data[k]!);
      }
      return [tensor(x.dtype, x.shape, out)];
    },
  };
}

/** opset 1-6: `is_test` selects inference; `spatial` attribute. */
export const BatchNormalization_1: OpDef = makeBatchNorm({ sinceVersion: 1, training: "is_test", spatialAttr: true, mixedTypes: false });
/** opset 7-8: training is requesting the extra outputs; `spatial` attribute. */
export const BatchNormalization_7: OpDef = makeBatchNorm({ sinceVersion: 7, training: "extra_outputs", spatialAttr: true, mixedTypes: false });
/** opset 9-13: as 7 without `spatial` (always per channel). */
export const BatchNormalization_9: OpDef = makeBatchNorm({ sinceVersion: 9, training: "extra_outputs", spatialAttr: false, mixedTypes: false });
/** opset 14: `training_mode` attribute. */
export const BatchNormalization_14: OpDef = makeBatchNorm({ sinceVersion: 14, training: "training_mode", spatialAttr: false, mixedTypes: false });
/** opset 15 onward: scale/B and mean/var may have other float types than X. */
export const BatchNormalization_15: OpDef = makeBatchNorm({ sinceVersion: 15, training: "training_mode", spatialAttr: false, mixedTypes: true });
