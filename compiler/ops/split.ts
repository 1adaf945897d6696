/**
 * Split: cuts a tensor along `axis` into consecutive parts. Sizes come from the `split` attribute
 * (before 13), the `split` input (from 13), equal parts for the number of outputs, or from opset 18
 * `num_outputs` (the last part may be smaller).
 */
import { type InputInfo, type OpContext, type OpDef, normaliseAxis, required, shapeError } from "./op.js";
import { applyIndexMap, sliceMap } from "./util/index-map.js";
import { asInfos, optionalIntsInput } from "./util/shape-args.js";

type SplitSizes = (inputs: (InputInfo | undefined)[], ctx: OpContext, dim: number) => number[] | undefined;

function plan(inputs: (InputInfo | undefined)[], ctx: OpContext, sizesOf: SplitSizes, numOutputsAttr: boolean): { axis: number; sizes: number[] } {
  const x = required(ctx, inputs, 0);
  const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), x.shape.length);
  const dim = x.shape[axis]!;
  const outputs = ctx.node.outputs.length;
  let sizes = sizesOf(inputs, ctx, dim);
  if (sizes === undefined && numOutputsAttr && ctx.attrs.has("num_outputs")) {
    const n = ctx.attrs.int("num_outputs");
    if (n !== outputs) throw shapeError(ctx, "num_outputs does not match the node's outputs", String(outputs), String(n));
    const chunk = Math.ceil(dim / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  }
  if (sizes === undefined) {
    if (dim % outputs !== 0) throw shapeError(ctx, `axis ${axis} of size ${dim} does not split evenly into ${outputs} parts`, `a multiple of ${outputs}`, String(dim));
    sizes = new Array<number>(outputs).fill(dim / outputs);
  }
  if (sizes.length !== outputs) throw shapeError(ctx, "split has another length than the node has outputs", String(outputs), String(sizes.length));
  if (sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== dim) {
    throw shapeError(ctx, `split sizes [${sizes.join(", ")}] do not add up to axis ${axis} of size ${dim}`, String(dim), String(sizes.reduce((a, b) => a + b, 0)));
  }
  return { axis, sizes };
}

function splitOp(since: number, sizesOf: SplitSizes, numOutputsAttr = false): OpDef {
  return {
    opType: "Split",
    sinceVersion: since,
    infer(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const { axis, sizes } = plan(inputs, ctx, sizesOf, numOutputsAttr);
      return sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, a) => (a === axis ? s : d)) }));
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const { axis, sizes } = plan(asInfos(inputs), ctx, sizesOf, numOutputsAttr);
      let offset = 0;
      return sizes.map((s) => {
        const starts = x.shape.map((_, a) => (a === axis ? offset : 0));
        const shape = x.shape.map((d, a) => (a === axis ? s : d));
        offset += s;
        return applyIndexMap(x.dtype, sliceMap(x.shape, starts, x.shape.map(() => 1), shape), x.data);
      });
    },
  };
}

const attrSizes: SplitSizes = (_inputs, ctx) => (ctx.attrs.has("split") ? ctx.attrs.ints("split") : undefined);
const inputSizes: SplitSizes = (inputs, ctx) => optionalIntsInput(ctx, inputs, 1, "split");

/** Split-1: sizes from the `split` attribute or the optional second input. */
export const Split_1: OpDef = splitOp(1, (inputs, ctx, dim) => attrSizes(inputs, ctx, dim) ?? inputSizes(inputs, ctx, dim));
/** Split-2/11: `split` attribute (negative axis from 11). */
export const Split_2: OpDef = splitOp(2, attrSizes);
/** Split-13: `split` input. */
export const Split_13: OpDef = splitOp(13, inputSizes);
/** Split-18: `split` input or `num_outputs`. */
export const Split_18: OpDef = splitOp(18, inputSizes, true);
