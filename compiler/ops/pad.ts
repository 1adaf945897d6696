/**
 * Pad: grows (or, with negative pads, crops) each axis. Modes: constant (fill value), reflect
 * (mirror without repeating the edge), edge (repeat the edge), wrap (opset 19, cyclic).
 * Pad-2 takes pads/value as attributes; from 11 they are inputs; from 18 an optional axes input
 * limits which axes the pads refer to. Runs as an index map (-1 = the fill value).
 */
import { storeAs } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, constantInput, required, shapeError, unsupported } from "./op.js";
import { type PadMode, applyIndexMap, padMap } from "./util/index-map.js";
import { asInfos, normaliseAxes, optionalIntsInput, requiredIntsInput } from "./util/shape-args.js";

interface PadPlan {
  begins: number[];
  outShape: number[];
  mode: PadMode;
  value: number;
}

type PadArgs = (inputs: (InputInfo | undefined)[], ctx: OpContext) => { pads: number[]; value: number; axes?: number[] };

function plan(inputs: (InputInfo | undefined)[], ctx: OpContext, argsOf: PadArgs, modes: readonly PadMode[]): PadPlan {
  const x = required(ctx, inputs, 0);
  const rank = x.shape.length;
  const mode = ctx.attrs.string("mode", "constant") as PadMode;
  if (!modes.includes(mode)) throw unsupported(ctx, `pad mode "${mode}" is not supported at this opset`, `supported modes: ${modes.join(", ")}`);
  const { pads, value, axes } = argsOf(inputs, ctx);
  const padAxes = axes === undefined ? Array.from({ length: rank }, (_, i) => i) : normaliseAxes(ctx, axes, rank);
  const k = padAxes.length;
  if (pads.length !== 2 * k) throw shapeError(ctx, `pads must have 2 entries per padded axis`, String(2 * k), String(pads.length));
  const begins = new Array<number>(rank).fill(0);
  const outShape = [...x.shape];
  padAxes.forEach((a, i) => {
    begins[a] = pads[i]!;
    outShape[a] = x.shape[a]! + pads[i]! + pads[i + k]!;
    if (outShape[a]! < 0) throw shapeError(ctx, `pads crop axis ${a} below size 0`, ">= 0", String(outShape[a]));
    if (mode !== "constant" && x.shape[a] === 0 && outShape[a]! > 0) throw shapeError(ctx, `cannot ${mode}-pad the empty axis ${a}`);
  });
  return { begins, outShape, mode, value: storeAs(x.dtype, value) };
}

function padOp(since: number, argsOf: PadArgs, modes: readonly PadMode[]): OpDef {
  return {
    opType: "Pad",
    sinceVersion: since,
    infer(inputs, ctx) {
      return [{ dtype: required(ctx, inputs, 0).dtype, shape: plan(inputs, ctx, argsOf, modes).outShape }];
    },
    run(inputs, ctx) {
      const x = required(ctx, inputs, 0);
      const p = plan(asInfos(inputs), ctx, argsOf, modes);
      return [applyIndexMap(x.dtype, padMap(x.shape, p.begins, p.outShape, p.mode), x.data, p.value)];
    },
  };
}

const inputArgs: PadArgs = (inputs, ctx) => ({
  pads: requiredIntsInput(ctx, inputs, 1, "pads"),
  value: inputs[2] ? (constantInput(ctx, inputs, 2, "constant_value").data[0] ?? 0) : 0,
  axes: optionalIntsInput(ctx, inputs, 3, "axes"),
});

const CLASSIC: readonly PadMode[] = ["constant", "reflect", "edge"];

/** Pad-2: pads and value attributes. */
export const Pad_2: OpDef = padOp(2, (_inputs, ctx) => ({ pads: ctx.attrs.ints("pads"), value: ctx.attrs.float("value", 0) }), CLASSIC);
/** Pad-11/13: pads and constant_value inputs. */
export const Pad_11: OpDef = padOp(11, (inputs, ctx) => ({ ...inputArgs(inputs, ctx), axes: undefined }), CLASSIC);
/** Pad-18: optional axes input. */
export const Pad_18: OpDef = padOp(18, inputArgs, CLASSIC);
/** Pad-19: wrap mode. */
export const Pad_19: OpDef = padOp(19, inputArgs, [...CLASSIC, "wrap"]);
