/**
 * ConvTranspose (opset 1 and 11 share semantics): the gradient of Conv with respect to its input.
 * X [N, C, d...], W [C, M/group, k...], optional B [M]. Each input position scatters
 * x * w into output position i * stride - pad_begin + k * dilation.
 *
 * Output size: stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pads, unless
 * output_shape is given (or auto_pad is SAME_*, which asks for in * stride); then the total
 * padding follows from it and is split with the odd unit at the start, except for SAME_UPPER,
 * which puts it at the end (the ONNX spec's rule).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { type ConvGeometry, attributeError, readWindowAttrs, windowIndexMap } from "./util/conv-geometry.js";

/** Geometry of a transposed convolution: `inShape` is X's spatial dims, `outShape` Y's. */
export interface ConvTransposePlan {
  geom: ConvGeometry;
  batch: number;
  inChannels: number;
  outChannels: number;
  group: number;
  outShape: number[];
}

/**
 * Checks shapes and resolves the output size and pads.
 * @throws ZkcError SHAPE on channel/group/bias mismatches or a non-positive output size; ATTRIBUTE on malformed attributes
 */
export function convTransposePlan(ctx: OpContext, x: readonly number[], w: readonly number[], bias?: readonly number[]): ConvTransposePlan {
  if (x.length < 3) throw shapeError(ctx, "ConvTranspose input X must be [N, C, spatial...]", "rank >= 3", shapeToString(x));
  if (w.length !== x.length) throw shapeError(ctx, "ConvTranspose weight W must have the same rank as X", `rank ${x.length} ([C, M/group, k...])`, shapeToString(w));
  const group = ctx.attrs.int("group", 1);
  if (!Number.isInteger(group) || group < 1) throw attributeError(ctx, "ConvTranspose attribute group must be a positive integer", ">= 1", String(group));
  const [batch, inChannels] = [x[0]!, x[1]!];
  if (w[0] !== inChannels) {
    throw shapeError(ctx, "ConvTranspose weight's first dim must equal the input channels", `W.shape[0] = C = ${inChannels}`, `W ${shapeToString(w)}`);
  }
  if (inChannels % group !== 0) throw shapeError(ctx, "ConvTranspose input channels must be divisible by group", `a multiple of ${group}`, String(inChannels));
  const outChannels = w[1]! * group;
  if (bias && (bias.length !== 1 || bias[0] !== outChannels)) {
    throw shapeError(ctx, "ConvTranspose bias B must have one value per output channel", shapeToString([outChannels]), shapeToString(bias));
  }
  const r = x.length - 2;
  const wSpatial = w.slice(2);
  const attrs = readWindowAttrs(ctx, r, wSpatial);
  if (attrs.kernelShape.some((k, i) => k !== wSpatial[i])) {
    throw shapeError(ctx, "ConvTranspose attribute kernel_shape disagrees with the weight's spatial dims", shapeToString(wSpatial), shapeToString(attrs.kernelShape));
  }
  const outputPadding = ctx.attrs.ints("output_padding", new Array<number>(r).fill(0));
  if (outputPadding.length !== r) throw attributeError(ctx, "attribute \"output_padding\" needs one value per spatial axis", String(r), String(outputPadding.length));
  let outputShape = ctx.attrs.has("output_shape") ? ctx.attrs.ints("output_shape") : undefined;
  // output_shape may include N and C
  if (outputShape && outputShape.length === r + 2) outputShape = outputShape.slice(2);
  if (outputShape && outputShape.length !== r) throw attributeError(ctx, "attribute \"output_shape\" needs one value per spatial axis", String(r), String(outputShape.length));
  const inShape = x.slice(2);
  if (!outputShape && (attrs.autoPad === "SAME_UPPER" || attrs.autoPad === "SAME_LOWER")) {
    outputShape = inShape.map((d, i) => d * attrs.strides[i]!);
  }
  const padsBegin = new Array<number>(r);
  const padsEnd = new Array<number>(r);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const full = attrs.strides[i]! * (inShape[i]! - 1) + outputPadding[i]! + (attrs.kernelShape[i]! - 1) * attrs.dilations[i]! + 1;
    if (outputShape) {
      const total = full - outputShape[i]!;
      const half = Math.floor(total / 2);
      padsBegin[i] = attrs.autoPad === "SAME_UPPER" ? half : total - half;
      padsEnd[i] = total - padsBegin[i]!;
      out[i] = outputShape[i]!;
    } else if (attrs.autoPad === "VALID") {
      padsBegin[i] = 0;
      padsEnd[i] = 0;
      out[i] = full;
    } else {
      padsBegin[i] = attrs.pads[i]!;
      padsEnd[i] = attrs.pads[i + r]!;
      out[i] = full - padsBegin[i]! - padsEnd[i]!;
    }
    if (!(out[i]! >= 1)) {
      throw shapeError(ctx, `ConvTranspose output size on spatial axis ${i} is not positive`, ">= 1", String(out[i]));
    }
  }
  const geom: ConvGeometry = { inShape, kernelShape: attrs.kernelShape, strides: attrs.strides, dilations: attrs.dilations, padsBegin, padsEnd, outShape: out };
  return { geom, batch, inChannels, outChannels, group, outShape: [batch, outChannels, ...out] };
}

/**
 * The scatter map of a transposed convolution: entry `i * K + k` is the flat output position that
 * input position i sends kernel tap k to, or -1 when it falls outside the output (cropped by pads).
 * It is the window map of the conv with input and output roles exchanged (o = i*s - p + k*d).
 */
export function convTransposeScatterMap(geom: ConvGeometry): Int32Array {
  return windowIndexMap({ ...geom, inShape: geom.outShape, outShape: geom.inShape });
}

export const ConvTranspose_1: OpDef = {
  opType: "ConvTranspose",
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    const w = required(ctx, inputs, 1);
    return [{ dtype: x.dtype, shape: convTransposePlan(ctx, x.shape, w.shape, inputs[2]?.shape).outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const w = required(ctx, inputs, 1);
    const b = inputs[2];
    const p = convTransposePlan(ctx, x.shape, w.shape, b?.shape);
    const map = convTransposeScatterMap(p.geom);
    const kSize = sizeOf(p.geom.kernelShape);
    const inSize = sizeOf(p.geom.inShape);
    const outSize = sizeOf(p.geom.outShape);
    const cPerGroup = p.inChannels / p.group;
    const mPerGroup = p.outChannels / p.group;
    const out = new Float64Array(sizeOf(p.outShape));
    for (let n = 0; n < p.batch; n++) {
      for (let oc = 0; oc < p.outChannels; oc++) {
        const g = Math.floor(oc / mPerGroup);
        const m = oc - g * mPerGroup;
        const outBase = (n * p.outChannels + oc) * outSize;
        if (b) for (let o = 0; o < outSize; o++) out[outBase + o] = b.data[oc]!;
        for (let ic = g * cPerGroup; ic < (g + 1) * cPerGroup; ic++) {
          const inBase = (n * p.inChannels + ic) * inSize;
          const wBase = (ic * mPerGroup + m) * kSize;
          for (let i = 0; i < inSize; i++) {
            const xv = x.data[inBase + i]!;
            const mBase = i * kSize;
            for (let k = 0; k < kSize; k++) {
              const o = map[mBase + k]!;
              if (o >= 0) out[outBase + o]! += xv * w.data[wBase + k]!;
            }
          }
        }
      }
    }
    if (x.dtype !== "float64") for (let i = 0; i < out.length; i++) out[i] = storeAs(x.dtype, out[i]!);
    return [tensor(x.dtype, p.outShape, out)];
  },
};
