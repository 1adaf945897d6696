/**
 * Tensor comparison for oracle tests: shape and dtype must match; floats within
 * |got - expected| <= atol + rtol * |expected| (NaN equals NaN, infinities must match exactly);
 * integers and bools exactly.
 */
import { type Tensor, isFloat, shapeToString } from "../../compiler/ir/tensor.js";

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The tolerance the ONNX conformance cases are checked with in float mode. */
export const CONFORMANCE_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-5 };

/** Values compared elementwise; `undefined` when they agree, else a reason naming the first mismatch. */
export function compareValues(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  exact: boolean,
  tol: Tolerance,
): string | undefined {
  if (got.length !== expected.length) return `${got.length} values, expected ${expected.length}`;
  let bad = 0;
  let first = -1;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    let ok: boolean;
    if (Number.isNaN(e) || Number.isNaN(g)) ok = Number.isNaN(e) && Number.isNaN(g);
    else if (exact || !Number.isFinite(e) || !Number.isFinite(g)) ok = g === e;
    else {
      const err = Math.abs(g - e);
      ok = err <= tol.atol + tol.rtol * Math.abs(e);
      if (!ok) worst = Math.max(worst, err);
    }
    if (!ok) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad === 0) return undefined;
  const detail = exact ? "" : `, max abs error ${worst.toPrecision(3)}`;
  return `${bad}/${expected.length} values differ (first at ${first}: got ${got[first]}, expected ${expected[first]}${detail})`;
}

/** Compares two tensors: dtype, shape, then values (exact for integer and bool dtypes). */
export function compareTensors(got: Tensor, expected: Tensor, tol: Tolerance = CONFORMANCE_TOLERANCE): string | undefined {
  if (got.dtype !== expected.dtype) return `dtype ${got.dtype}, expected ${expected.dtype}`;
  if (got.shape.length !== expected.shape.length || got.shape.some((d, i) => d !== expected.shape[i])) {
    return `shape ${shapeToString(got.shape)}, expected ${shapeToString(expected.shape)}`;
  }
  return compareValues(got.data, expected.data, !isFloat(expected.dtype), tol);
}
