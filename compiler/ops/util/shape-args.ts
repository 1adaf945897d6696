/** Reading shape-like arguments (axes, pads, target shapes) that ops take as attributes or inputs. */
import type { Tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, constantInput, required, shapeError } from "../op.js";

/** The values of a 1-D integer tensor as numbers. */
export function intList(t: Tensor): number[] {
  return Array.from(t.data);
}

/**
 * An integer-list argument from input `i` (when present) with its value required at compile time;
 * `undefined` when the optional input is omitted.
 */
export function optionalIntsInput(ctx: OpContext, inputs: (InputInfo | undefined)[], i: number, what: string): number[] | undefined {
  if (inputs[i] === undefined) return undefined;
  const t = constantInput(ctx, inputs, i, what);
  if (t.shape.length > 1) throw shapeError(ctx, `${what} must be a 1-D tensor`, "rank 0 or 1", `rank ${t.shape.length}`);
  if (t.dtype !== "int64" && t.dtype !== "int32") throw shapeError(ctx, `${what} must be an integer tensor`, "int64 or int32", t.dtype);
  return intList(t);
}

/** Like `optionalIntsInput`, for a required input. */
export function requiredIntsInput(ctx: OpContext, inputs: (InputInfo | undefined)[], i: number, what: string): number[] {
  required(ctx, inputs, i);
  return optionalIntsInput(ctx, inputs, i, what)!;
}

/** Resolves a list of axes against a rank, rejecting duplicates. */
export function normaliseAxes(ctx: OpContext, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    const n = a < 0 ? a + rank : a;
    if (!Number.isInteger(n) || n < 0 || n >= rank) {
      throw shapeError(ctx, `axis ${a} is out of range for rank ${rank}`, `-${rank} <= axis < ${rank}`, String(a));
    }
    return n;
  });
  if (new Set(out).size !== out.length) throw shapeError(ctx, `axes contain a duplicate`, "distinct axes", `[${axes.join(", ")}]`);
  return out;
}

/** The tensors of a run call as InputInfos with constants, so `run` can reuse `infer`'s argument parsing. */
export function asInfos(inputs: (Tensor | undefined)[]): (InputInfo | undefined)[] {
  return inputs.map((t) => (t === undefined ? undefined : { dtype: t.dtype, shape: [...t.shape], constant: t }));
}
