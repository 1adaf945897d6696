/**
 * The one place that imports onnx-proto. It is CommonJS with a default export only, and its int64
 * fields decode to `Long` objects, so this module also owns the Long -> number conversion.
 */
import pkg from "onnx-proto";

export const onnx = pkg.onnx;
export type { onnx as OnnxTypes } from "onnx-proto";

/** What onnx-proto hands back for an int64 field: a number or a Long (structurally typed). */
export type LongLike = number | { toNumber(): number };

/** An int64/uint64 field as a JS number (exact up to 2^53; INT64_MAX becomes 2^63, which is fine for clamps). */
export function toNumber(v: LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}
