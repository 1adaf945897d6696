/**
 * Sliding-window geometry shared by Conv, ConvTranspose's shape rule, MaxPool and AveragePool:
 * output size, padding (explicit or auto_pad), strides, dilations and ceil_mode, and the index
 * map from output positions to the input positions each window reads.
 *
 * The float reference semantics of those ops read their inputs through `windowIndexMap`, so a
 * later lowering (im2col as wiring) that uses the same map agrees with them by construction.
 */
import { ZkcError } from "../../errors.js";
import { sizeOf, stridesOf } from "../../ir/tensor.js";
import type { OpContext } from "../op.js";

export type AutoPad = "NOTSET" | "SAME_UPPER" | "SAME_LOWER" | "VALID";

/** Geometry of a sliding window over the spatial axes (everything after N and C). */
export interface ConvGeometry {
  /** spatial input dims */
  readonly inShape: readonly number[];
  readonly kernelShape: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** padding before each spatial axis (resolved, also for auto_pad) */
  readonly padsBegin: readonly number[];
  /** padding after each spatial axis (resolved, also for auto_pad) */
  readonly padsEnd: readonly number[];
  /** spatial output dims */
  readonly outShape: readonly number[];
}

/** Window attributes as written on the node (before auto_pad is resolved). */
export interface WindowAttrs {
  kernelShape: number[];
  strides: number[];
  dilations: number[];
  /** ONNX layout: [x1_begin, x2_begin, ..., x1_end, x2_end, ...] */
  pads: number[];
  autoPad: AutoPad;
  ceilMode: boolean;
}

/** An ATTRIBUTE error naming the node, for malformed window attributes. */
export function attributeError(ctx: OpContext, reason: string, expected?: string, got?: string): ZkcError {
  return new ZkcError("ATTRIBUTE", reason, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    expected,
    got,
    hint: "check the exporter's output against the ONNX operator specification",
  });
}

/**
 * Reads kernel_shape, strides, dilations, pads, auto_pad and ceil_mode from the node, with
 * ONNX defaults, and checks their lengths against the number of spatial axes.
 * `kernelFromWeights` is Conv's fallback when kernel_shape is omitted (the weight's spatial dims).
 * @throws ZkcError ATTRIBUTE for wrong lengths, non-positive values or an unknown auto_pad
 */
export function readWindowAttrs(ctx: OpContext, spatialRank: number, kernelFromWeights?: readonly number[]): WindowAttrs {
  const a = ctx.attrs;
  let kernelShape: number[];
  if (a.has("kernel_shape")) kernelShape = a.ints("kernel_shape");
  else if (kernelFromWeights) kernelShape = [...kernelFromWeights];
  else kernelShape = a.ints("kernel_shape"); // throws "missing required attribute"
  const ones = new Array<number>(spatialRank).fill(1);
  const strides = a.ints("strides", ones);
  const dilations = a.ints("dilations", ones);
  const pads = a.ints("pads", new Array<number>(2 * spatialRank).fill(0));
  const autoPad = a.string("auto_pad", "NOTSET");
  const ceilMode = a.int("ceil_mode", 0) !== 0;

  const checkLen = (name: string, v: number[], n: number) => {
    if (v.length !== n) {
      throw attributeError(ctx, `attribute "${name}" has ${v.length} values for ${spatialRank} spatial axes`, String(n), String(v.length));
    }
  };
  checkLen("kernel_shape", kernelShape, spatialRank);
  checkLen("strides", strides, spatialRank);
  checkLen("dilations", dilations, spatialRank);
  checkLen("pads", pads, 2 * spatialRank);
  const checkPositive = (name: string, v: number[]) => {
    if (v.some((x) => !Number.isInteger(x) || x < 1)) throw attributeError(ctx, `attribute "${name}" must be positive integers`, ">= 1", `[${v.join(", ")}]`);
  };
  checkPositive("kernel_shape", kernelShape);
  checkPositive("strides", strides);
  checkPositive("dilations", dilations);
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw attributeError(ctx, `attribute "pads" must be non-negative integers`, ">= 0", `[${pads.join(", ")}]`);
  }
  if (autoPad !== "NOTSET" && autoPad !== "SAME_UPPER" && autoPad !== "SAME_LOWER" && autoPad !== "VALID") {
    throw attributeError(ctx, `attribute "auto_pad" has an unknown value`, "NOTSET, SAME_UPPER, SAME_LOWER or VALID", `"${autoPad}"`);
  }
  if (autoPad !== "NOTSET" && pads.some((p) => p !== 0)) {
    throw attributeError(ctx, `explicit "pads" cannot be combined with auto_pad=${autoPad}`, "pads all zero or auto_pad=NOTSET", `[${pads.join(", ")}]`);
  }
  return { kernelShape, strides, dilations, pads, autoPad, ceilMode };
}

/**
 * Resolves the window geometry for spatial input dims `inShape` (ONNX rules: explicit pads with
 * floor or ceil rounding, where in ceil mode a window may not start in the end padding; SAME_*
 * gives ceil(in / stride) outputs with the odd pad at the end (UPPER) or the start (LOWER);
 * VALID pads nothing).
 * @throws ZkcError SHAPE when the (padded) input is smaller than the dilated kernel
 */
export function convGeometry(ctx: OpContext, inShape: readonly number[], attrs: WindowAttrs): ConvGeometry {
  const r = inShape.length;
  const padsBegin = new Array<number>(r);
  const padsEnd = new Array<number>(r);
  const outShape = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const n = inShape[i]!;
    const s = attrs.strides[i]!;
    const extent = (attrs.kernelShape[i]! - 1) * attrs.dilations[i]! + 1;
    let out: number;
    let pb = 0;
    let pe = 0;
    switch (attrs.autoPad) {
      case "SAME_UPPER":
      case "SAME_LOWER": {
        out = Math.ceil(n / s);
        const total = Math.max(0, (out - 1) * s + extent - n);
        const small = Math.floor(total / 2);
        pb = attrs.autoPad === "SAME_UPPER" ? small : total - small;
        pe = total - pb;
        break;
      }
      case "VALID":
        out = Math.ceil((n - extent + 1) / s);
        break;
      default: {
        pb = attrs.pads[i]!;
        pe = attrs.pads[i + r]!;
        const span = n + pb + pe - extent;
        out = (attrs.ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
        // ceil mode: the last window must start inside the input or the begin padding
        if (attrs.ceilMode && out > 0 && (out - 1) * s >= n + pb) out--;
      }
    }
    if (!(out >= 1) || n + pb + pe < extent) {
      throw new ZkcError("SHAPE", `spatial axis ${i}: input of size ${n} (padded ${pb}+${pe}) is smaller than the dilated kernel (${extent})`, {
        file: ctx.source,
        node: ctx.node.name,
        op: ctx.node.opType,
        expected: `padded size >= ${extent}`,
        got: String(n + pb + pe),
        hint: "the model's shapes are inconsistent; re-export it or fix the input shape",
      });
    }
    padsBegin[i] = pb;
    padsEnd[i] = pe;
    outShape[i] = out;
  }
  return {
    inShape: [...inShape],
    kernelShape: [...attrs.kernelShape],
    strides: [...attrs.strides],
    dilations: [...attrs.dilations],
    padsBegin,
    padsEnd,
    outShape,
  };
}

/**
 * The input positions one window reads: for output position `outPos` (spatial coordinates), one
 * entry per kernel position in row-major kernel order, holding the flat (row-major) spatial input
 * index, or -1 where the window lies in padding (or beyond it, in ceil mode).
 */
export function windowInputs(geom: ConvGeometry, outPos: readonly number[]): Int32Array {
  const outFlat = flatIndex(outPos, geom.outShape);
  const k = sizeOf(geom.kernelShape);
  return windowIndexMap(geom, outFlat, outFlat + 1).subarray(0, k);
}

/**
 * The index map for all (or a range of) output positions: entry `o * K + k` is the flat spatial
 * input index read by kernel position k of flat output position o (K = kernel size), or -1 for
 * padding. This is the wiring of im2col.
 */
export function windowIndexMap(geom: ConvGeometry, fromOut = 0, toOut = sizeOf(geom.outShape)): Int32Array {
  const r = geom.inShape.length;
  const kSize = sizeOf(geom.kernelShape);
  const inStrides = stridesOf(geom.inShape);
  const map = new Int32Array((toOut - fromOut) * kSize);
  // per axis, per (output coordinate, kernel coordinate): input coordinate or -1, flattened later
  const axisCoord: Int32Array[] = [];
  for (let a = 0; a < r; a++) {
    const out = geom.outShape[a]!;
    const ks = geom.kernelShape[a]!;
    const t = new Int32Array(out * ks);
    for (let o = 0; o < out; o++) {
      for (let kk = 0; kk < ks; kk++) {
        const x = o * geom.strides[a]! - geom.padsBegin[a]! + kk * geom.dilations[a]!;
        t[o * ks + kk] = x >= 0 && x < geom.inShape[a]! ? x : -1;
      }
    }
    axisCoord.push(t);
  }
  // kernel coordinates of every kernel position, and the output coordinates of `fromOut`
  const kCoord = new Int32Array(kSize * r);
  const kStrides = stridesOf(geom.kernelShape);
  for (let k = 0; k < kSize; k++) {
    let krem = k;
    for (let a = 0; a < r; a++) {
      const c = Math.floor(krem / kStrides[a]!);
      krem -= c * kStrides[a]!;
      kCoord[k * r + a] = c;
    }
  }
  const outStrides = stridesOf(geom.outShape);
  const oc = new Int32Array(r);
  let rem = fromOut;
  for (let a = 0; a < r; a++) {
    oc[a] = Math.floor(rem / outStrides[a]!);
    rem -= oc[a]! * outStrides[a]!;
  }
  let p = 0;
  for (let o = fromOut; o < toOut; o++) {
    for (let k = 0; k < kSize; k++) {
      let flat = 0;
      for (let a = 0; a < r; a++) {
        const x = axisCoord[a]![oc[a]! * geom.kernelShape[a]! + kCoord[k * r + a]!]!;
        if (x < 0) {
          flat = -1;
          break;
        }
        flat += x * inStrides[a]!;
      }
      map[p++] = flat;
    }
    // next output position (row-major odometer)
    for (let a = r - 1; a >= 0; a--) {
      if (++oc[a]! < geom.outShape[a]!) break;
      oc[a] = 0;
    }
  }
  return map;
}

/**
 * For each flat output position, how many kernel positions lie inside the explicitly padded
 * input (input plus pads, not the extra overhang ceil mode may add). This is AveragePool's
 * divisor when count_include_pad=1.
 */
export function paddedWindowCounts(geom: ConvGeometry): Int32Array {
  const r = geom.inShape.length;
  // per axis and output coordinate: kernel taps inside [-padBegin, in + padEnd)
  const perAxis: Int32Array[] = [];
  for (let a = 0; a < r; a++) {
    const out = geom.outShape[a]!;
    const t = new Int32Array(out);
    for (let o = 0; o < out; o++) {
      let c = 0;
      for (let kk = 0; kk < geom.kernelShape[a]!; kk++) {
        const x = o * geom.strides[a]! - geom.padsBegin[a]! + kk * geom.dilations[a]!;
        if (x >= -geom.padsBegin[a]! && x < geom.inShape[a]! + geom.padsEnd[a]!) c++;
      }
      t[o] = c;
    }
    perAxis.push(t);
  }
  const n = sizeOf(geom.outShape);
  const outStrides = stridesOf(geom.outShape);
  const counts = new Int32Array(n);
  for (let o = 0; o < n; o++) {
    let rem = o;
    let c = 1;
    for (let a = 0; a < r; a++) {
      const oa = Math.floor(rem / outStrides[a]!);
      rem -= oa * outStrides[a]!;
      c *= perAxis[a]![oa]!;
    }
    counts[o] = c;
  }
  return counts;
}

function flatIndex(pos: readonly number[], shape: readonly number[]): number {
  if (pos.length !== shape.length) throw new RangeError(`windowInputs: position has ${pos.length} coordinates for rank ${shape.length}`);
  let flat = 0;
  for (let a = 0; a < shape.length; a++) {
    const p = pos[a]!;
    if (!Number.isInteger(p) || p < 0 || p >= shape[a]!) throw new RangeError(`windowInputs: coordinate ${p} out of range [0, ${shape[a]}) on axis ${a}`);
    flat = flat * shape[a]! + p;
  }
  return flat;
}

const MAP_CACHE = new Map<string, Int32Array>();
const MAP_CACHE_LIMIT = 64;

/**
 * `windowIndexMap(geom)` for all outputs, memoised by geometry (a model runs the same few
 * geometries over and over). The returned array is shared: callers must not modify it.
 */
export function cachedWindowIndexMap(geom: ConvGeometry): Int32Array {
  const key = [geom.inShape, geom.kernelShape, geom.strides, geom.dilations, geom.padsBegin, geom.outShape].map((v) => v.join(",")).join("|");
  let map = MAP_CACHE.get(key);
  if (!map) {
    map = windowIndexMap(geom);
    // drop the oldest entry beyond the limit (Map keeps insertion order)
    if (MAP_CACHE.size >= MAP_CACHE_LIMIT) MAP_CACHE.delete(MAP_CACHE.keys().next().value!);
    MAP_CACHE.set(key, map);
  }
  return map;
}
