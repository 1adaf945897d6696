/** Shape rule shared by MaxPool and AveragePool: X [N, C, spatial...] through a window geometry. */
import { shapeToString } from "../../ir/tensor.js";
import { type OpContext, shapeError } from "../op.js";
import { type ConvGeometry, convGeometry, readWindowAttrs } from "./conv-geometry.js";

/** Pooling geometry plus the output shape [N, C, out spatial...]. */
export interface PoolPlan {
  geom: ConvGeometry;
  /** N * C: pooling treats every (batch, channel) plane alike */
  planes: number;
  outShape: number[];
}

/**
 * Resolves a pooling window over `x`.
 * @throws ZkcError SHAPE for rank < 3 or a window larger than the padded input; ATTRIBUTE for malformed attributes
 */
export function poolPlan(ctx: OpContext, x: readonly number[]): PoolPlan {
  if (x.length < 3) throw shapeError(ctx, `${ctx.node.opType} input must be [N, C, spatial...]`, "rank >= 3", shapeToString(x));
  const attrs = readWindowAttrs(ctx, x.length - 2);
  const geom = convGeometry(ctx, x.slice(2), attrs);
  return { geom, planes: x[0]! * x[1]!, outShape: [x[0]!, x[1]!, ...geom.outShape] };
}
