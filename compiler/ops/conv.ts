/**
 * Conv (opset 1 and 11 share semantics; 11 only relaxed the docs): N-d convolution (1D, 2D, 3D,
 * ...) with pads, strides, dilations, groups (depthwise included), auto_pad and optional bias.
 * Windows are read through the shared conv geometry index map (the im2col wiring), and the sums
 * run on the blocked matmul (util/gemm.ts).
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { type ConvGeometry, attributeError, cachedWindowIndexMap, convGeometry, readWindowAttrs } from "./util/conv-geometry.js";
import { type PackB, gemmAccumulate } from "./util/gemm.js";

/** Everything Conv's shape rule resolves: geometry, channels, groups and the output shape. */
export interface ConvPlan {
  geom: ConvGeometry;
  batch: number;
  inChannels: number;
  outChannels: number;
  group: number;
  outShape: number[];
}

/**
 * Checks X [N, C, d1..dn], W [M, C/group, k1..kn] and bias [M] and resolves the geometry.
 * @throws ZkcError SHAPE on rank, channel or group mismatches; ATTRIBUTE on malformed attributes
 */
export function convPlan(ctx: OpContext, x: readonly number[], w: readonly number[], bias?: readonly number[]): ConvPlan {
  if (x.length < 3) throw shapeError(ctx, "Conv input X must be [N, C, spatial...]", "rank >= 3", shapeToString(x));
  if (w.length !== x.length) {
    throw shapeError(ctx, "Conv weight W must have the same rank as X", `rank ${x.length} ([M, C/group, k...])`, shapeToString(w));
  }
  const group = ctx.attrs.int("group", 1);
  if (!Number.isInteger(group) || group < 1) throw attributeError(ctx, "Conv attribute group must be a positive integer", ">= 1", String(group));
  const [batch, inChannels] = [x[0]!, x[1]!];
  const outChannels = w[0]!;
  if (inChannels !== w[1]! * group) {
    throw shapeError(
      ctx,
      "Conv input channels do not match weight channels times group",
      `C = W.shape[1] * group = ${w[1]} * ${group} = ${w[1]! * group}`,
      `C = ${inChannels} (X ${shapeToString(x)}, W ${shapeToString(w)})`,
    );
  }
  if (outChannels % group !== 0) {
    throw shapeError(ctx, "Conv output channels (W.shape[0]) must be divisible by group", `a multiple of ${group}`, String(outChannels));
  }
  if (bias && (bias.length !== 1 || bias[0] !== outChannels)) {
    throw shapeError(ctx, "Conv bias B must be a vector with one value per output channel", shapeToString([outChannels]), shapeToString(bias));
  }
  const wSpatial = w.slice(2);
  const attrs = readWindowAttrs(ctx, x.length - 2, wSpatial);
  if (attrs.kernelShape.some((k, i) => k !== wSpatial[i])) {
    throw shapeError(ctx, "Conv attribute kernel_shape disagrees with the weight's spatial dims", shapeToString(wSpatial), shapeToString(attrs.kernelShape));
  }
  const geom = convGeometry(ctx, x.slice(2), attrs);
  return { geom, batch, inChannels, outChannels, group, outShape: [batch, outChannels, ...geom.outShape] };
}

function inferConv(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
  const x = required(ctx, inputs, 0);
  const w = required(ctx, inputs, 1);
  return [{ dtype: x.dtype, shape: convPlan(ctx, x.shape, w.shape, inputs[2]?.shape).outShape }];
}

function runConv(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
  const x = required(ctx, inputs, 0);
  const w = required(ctx, inputs, 1);
  const b = inputs[2];
  const p = convPlan(ctx, x.shape, w.shape, b?.shape);
  const map = cachedWindowIndexMap(p.geom);
  const out = new Float64Array(sizeOf(p.outShape));
  // im2col reads padding as 0 where the direct loop skips it: the same sums unless a weight is
  // infinite or NaN (0 * inf is NaN), which the direct loop keeps exact
  // (and with fewer than 4 output channels per group, depthwise above all, the 4-row register
  // tile would mostly multiply zeros: the direct loop is faster there)
  if (p.outChannels / p.group < 4 || (hasPadding(map) && !allFinite(w.data))) convDirect(out, x.data, w.data, b?.data, p, map);
  else convIm2col(out, x.data, w.data, b?.data, p, map);
  if (x.dtype !== "float64") for (let i = 0; i < out.length; i++) out[i] = storeAs(x.dtype, out[i]!);
  return [tensor(x.dtype, p.outShape, out)];
}

function hasPadding(map: Int32Array): boolean {
  for (let i = 0; i < map.length; i++) if (map[i]! < 0) return true;
  return false;
}

function allFinite(d: Float64Array): boolean {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return false;
  return true;
}

/**
 * Per batch and group: out[g] = bias + W[g] (M/group x C/group·K) times the im2col matrix
 * (C/group·K x outputs), gathered panel by panel through the window index map, never whole.
 * The blocked matmul adds one partial sum per input channel, as convDirect does.
 */
function convIm2col(out: Float64Array, xd: Float64Array, wd: Float64Array, bd: Float64Array | undefined, p: ConvPlan, map: Int32Array): void {
  const kSize = sizeOf(p.geom.kernelShape);
  const inSize = sizeOf(p.geom.inShape);
  const outSize = sizeOf(p.geom.outShape);
  const cPerGroup = p.inChannels / p.group;
  const mPerGroup = p.outChannels / p.group;
  const r = cPerGroup * kSize;
  for (let n = 0; n < p.batch; n++) {
    for (let g = 0; g < p.group; g++) {
      const cOff = (n * p.outChannels + g * mPerGroup) * outSize;
      // `+ 0` turns a -0 bias into +0, as the direct loop's first `+= acc` does: with one tap per
      // channel (1x1) the products can then go to the sums directly (segment 0) with the same result
      for (let m = 0; m < mPerGroup; m++) out.fill((bd ? bd[g * mPerGroup + m]! : 0) + 0, cOff + m * outSize, cOff + (m + 1) * outSize);
      const xBase = (n * p.inChannels + g * cPerGroup) * inSize;
      const packB: PackB = (buf, k0, kc, j0, nc) => {
        const panels = Math.ceil(nc / 4);
        for (let pp = 0; pp < panels; pp++) {
          const jBase = j0 + pp * 4;
          const wdt = Math.min(4, nc - pp * 4);
          let dst = pp * kc * 4;
          let ic = Math.floor(k0 / kSize);
          let kp = k0 - ic * kSize;
          for (let kk = 0; kk < kc; kk++, dst += 4) {
            const src = xBase + ic * inSize;
            for (let q = 0; q < 4; q++) {
              const idx = q < wdt ? map[(jBase + q) * kSize + kp]! : -1;
              buf[dst + q] = idx >= 0 ? xd[src + idx]! : 0;
            }
            if (++kp === kSize) (kp = 0), ic++;
          }
        }
      };
      gemmAccumulate(out, cOff, outSize, { data: wd, off: g * mPerGroup * r, rowStride: r, colStride: 1 }, packB, mPerGroup, outSize, r, kSize > 1 ? kSize : 0);
    }
  }
}

/** The direct loop: bias, then per input channel a window sum that skips padding. */
function convDirect(out: Float64Array, xd: Float64Array, wd: Float64Array, bd: Float64Array | undefined, p: ConvPlan, map: Int32Array): void {
  const kSize = sizeOf(p.geom.kernelShape);
  const inSize = sizeOf(p.geom.inShape);
  const outSize = sizeOf(p.geom.outShape);
  const cPerGroup = p.inChannels / p.group;
  const mPerGroup = p.outChannels / p.group;
  for (let n = 0; n < p.batch; n++) {
    for (let oc = 0; oc < p.outChannels; oc++) {
      const g = Math.floor(oc / mPerGroup);
      const outBase = (n * p.outChannels + oc) * outSize;
      const bias = bd ? bd[oc]! : 0;
      for (let o = 0; o < outSize; o++) out[outBase + o] = bias;
      for (let ic = 0; ic < cPerGroup; ic++) {
        const inBase = (n * p.inChannels + g * cPerGroup + ic) * inSize;
        const wBase = (oc * cPerGroup + ic) * kSize;
        for (let o = 0; o < outSize; o++) {
          let acc = 0;
          const mBase = o * kSize;
          for (let k = 0; k < kSize; k++) {
            const idx = map[mBase + k]!;
            if (idx >= 0) acc += xd[inBase + idx]! * wd[wBase + k]!;
          }
          out[outBase + o]! += acc;
        }
      }
    }
  }
}

/** Conv, opset 1 onward. */
export const Conv_1: OpDef = { opType: "Conv", sinceVersion: 1, infer: inferConv, run: runConv };
