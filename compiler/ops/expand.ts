/** Expand: broadcasts the input against a (compile-time) shape, numpy-style in both directions. */
import { shapeToString } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, required, shapeError } from "./op.js";
import { broadcastIndex, broadcastShapes } from "./util/broadcast.js";
import { applyIndexMap } from "./util/index-map.js";
import { asInfos, requiredIntsInput } from "./util/shape-args.js";

function outShape(inputs: (InputInfo | undefined)[], ctx: OpContext): number[] {
  const x = required(ctx, inputs, 0);
  const target = requiredIntsInput(ctx, inputs, 1, "the target shape");
  const out = broadcastShapes(x.shape, target);
  if (!out) throw shapeError(ctx, `cannot broadcast ${shapeToString(x.shape)} to ${shapeToString(target)}`, "numpy-broadcastable shapes", `${shapeToString(x.shape)} and ${shapeToString(target)}`);
  return out;
}

export const Expand_8: OpDef = {
  opType: "Expand",
  sinceVersion: 8,
  infer(inputs, ctx) {
    return [{ dtype: required(ctx, inputs, 0).dtype, shape: outShape(inputs, ctx) }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const shape = outShape(asInfos(inputs), ctx);
    return [applyIndexMap(x.dtype, { shape, src: broadcastIndex(x.shape, shape) }, x.data)];
  },
};
