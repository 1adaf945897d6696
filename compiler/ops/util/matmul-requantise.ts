/**
 * Requantisation shared by QLinearMatMul and QLinearConv: an exact integer accumulator times a
 * float multiplier (input scale * weight scale / output scale, formed in float32 as ONNX's
 * reference does), rounded half to even, plus the output zero point, saturated to the output type.
 */
import type { DType } from "../../ir/tensor.js";

const RANGES: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
};

/** Round half to even (numpy's round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; step back when that lands on an odd number
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The saturation range of a quantised dtype, or undefined for a dtype QLinear ops do not output. */
export function quantRange(dtype: DType): [number, number] | undefined {
  return RANGES[dtype];
}

/** float32 multiplier inScale * wScale / outScale. */
export function requantMultiplier(inScale: number, wScale: number, outScale: number): number {
  return Math.fround(Math.fround(inScale * wScale) / outScale);
}

/** round(acc * multiplier) + zeroPoint, clamped to [lo, hi]. */
export function requantise(acc: number, multiplier: number, zeroPoint: number, lo: number, hi: number): number {
  const v = roundHalfEven(acc * multiplier) + zeroPoint;
  return v < lo ? lo : v > hi ? hi : v;
}
