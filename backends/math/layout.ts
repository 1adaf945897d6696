/**
 * Tensor layouts for GKR claims (the convention of `backends/math/mle.ts`, restated):
 * a tensor of shape [d_0, ..., d_{k-1}] is zero-padded on every axis to a power of two, laid out
 * row-major, and its MLE takes the variables of axis 0 first, MSB first within an axis. A claim
 * "T(r) = v" is always about T in *its own* shape's layout (the QTensor shape).
 *
 * Two shapes of the same element count may or may not give the same MLE table. They do exactly
 * when their *canonical forms* agree: drop size-1 axes, then merge every axis whose size is a power
 * of two into the axis before it ([3, 4] pads to [4, 4] and is laid out like [12] padded to 16,
 * whereas [2, 3] pads to [2, 4] and differs from [6] padded to 8). Layers use this to decide when a
 * reshape is free and when a claim must be moved between layouts by an index-map sumcheck.
 *
 * Also here: integers (Float64Array of exact integers, negative v -> r - |v|) to padded field
 * tables, padded positions of flat indices, and the MLE of the "real entries" indicator.
 */
import { FR_MODULUS, Fr, FrVector, readMont, vecScale } from "./field.js";
import { DOT_SMALL_MAX_TERMS, kernels } from "./kernels.js";
import { eqTable, evaluateMle, padTensor, splitTensorPoint, tensorMleLayout } from "./mle.js";

/** (r + 1) / 2: the point coordinate at which a multilinear f gives the average of f(0) and f(1). */
export const HALF: bigint = (FR_MODULUS + 1n) / 2n;

/** Product of the dimensions (1 for a scalar). */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Number of MLE variables of a tensor of this shape. */
export function numVarsOfShape(shape: readonly number[]): number {
  return tensorMleLayout(shape).numVars;
}

const isPow2 = (d: number): boolean => d > 0 && (d & (d - 1)) === 0;

/** The canonical form described in the module header (equal forms <=> equal MLE tables). */
export function canonicalLayout(shape: readonly number[]): number[] {
  const out: number[] = [];
  for (const d of shape) {
    if (d === 1) continue;
    if (out.length > 0 && isPow2(d)) out[out.length - 1]! *= d;
    else out.push(d);
  }
  return out;
}

/** True when tensors of these shapes have identical MLE tables for the same row-major data. */
export function sameLayout(a: readonly number[], b: readonly number[]): boolean {
  if (sizeOfShape(a) !== sizeOfShape(b)) return false;
  const ca = canonicalLayout(a);
  const cb = canonicalLayout(b);
  return ca.length === cb.length && ca.every((d, i) => d === cb[i]);
}

/**
 * Padded position (index into the MLE table) of every flat row-major index of `shape`.
 * @throws RangeError when the padded table would not fit 2^31 entries
 */
export function paddedPositions(shape: readonly number[]): Int32Array {
  const { paddedShape, numVars } = tensorMleLayout(shape);
  if (numVars > 30) throw new RangeError(`paddedPositions: a table of 2^${numVars} entries is too large`);
  const n = sizeOfShape(shape);
  const out = new Int32Array(n);
  const rank = shape.length;
  if (rank === 0) return out;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let a = rank - 1; a >= 0; a--) {
    strides[a] = s;
    s *= paddedShape[a]!;
  }
  const idx = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    out[i] = pos;
    // odometer increment, keeping `pos` in step
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      pos += strides[a]!;
      if (idx[a]! < shape[a]!) break;
      pos -= strides[a]! * shape[a]!;
      idx[a] = 0;
    }
  }
  return out;
}

/**
 * The padded MLE table of a tensor of exact integers (negative v -> r - |v|).
 * @throws RangeError for a non-integer value or a length that does not match the shape
 */
export function integerTable(values: Float64Array, shape: readonly number[]): FrVector {
  return padTensor(FrVector.fromIntegers(values), shape);
}

const paramTableCache = new WeakMap<Float64Array, Map<string, FrVector>>();

/**
 * `integerTable` cached per values array and shape: for public weights, which are fixed for the
 * life of a model (callers must not mutate the array afterwards).
 */
export function cachedIntegerTable(values: Float64Array, shape: readonly number[]): FrVector {
  let byShape = paramTableCache.get(values);
  if (!byShape) {
    byShape = new Map();
    paramTableCache.set(values, byShape);
  }
  const key = shape.join("x");
  let table = byShape.get(key);
  if (!table) {
    table = integerTable(values, shape);
    byShape.set(key, table);
  }
  return table;
}

/** eq over the real entries of a group of axes, row-major: entry (i_0, ..) = prod_a eq(r_a, i_a). */
function eqOverAxes(points: readonly (readonly bigint[])[], dims: readonly number[]): FrVector {
  let cur = FrVector.filled(1, 1n);
  points.forEach((r, a) => {
    const d = dims[a]!;
    const e = eqTable(r).subarray(0, d);
    const next = new FrVector(cur.length * d);
    for (let j = 0; j < cur.length; j++) next.limbs.set(vecScale(e, cur.get(j)).limbs, j * d * 8);
    cur = next;
  });
  return cur;
}

/** Entries below which `evaluateIntegerMle` takes the table path (measured: about break-even). */
const SMALL_TENSOR = 8192;

/** Largest |v| the integer path of `evaluateIntegerMle` takes (offset values below 2^16). */
const SMALL_ABS = 2 ** 15 - 1;

/**
 * The MLE at `point` of the padded tensor of exact integers `values` (row-major, `shape`): the
 * same value as `evaluateMle(integerTable(values, shape), point)`, computed without the padded
 * field table. With the axes split into leading (rows) and trailing (columns, at most 4096
 * entries when the last axis allows) groups, f(r) = sum_i eqRows_i * sum_j eqCols_j * v_ij over
 * the real entries only; the inner sums multiply field elements by small integers
 * (`dotSmallInto`: v + o with o = max |v|, minus o * sum_j eqCols_j). For public weights, the
 * verifier's O(parameters) work. Values beyond ±(2^15 - 1), and tensors of fewer than 8192
 * entries (where the table is cheaper), take the table path.
 * @throws RangeError for a point of the wrong length or a values array of the wrong size
 */
export function evaluateIntegerMle(values: Float64Array, shape: readonly number[], point: readonly bigint[]): bigint {
  const { numVars } = tensorMleLayout(shape);
  if (point.length !== numVars) throw new RangeError(`evaluateIntegerMle: expected a point with ${numVars} coordinates, got ${point.length}`);
  const size = sizeOfShape(shape);
  if (values.length !== size) throw new RangeError(`evaluateIntegerMle: expected ${size} values for shape [${shape.join(", ")}], got ${values.length}`);
  // small tensors: the table is cheaper than this path's fixed cost (eq tables, per-row calls)
  if (size < SMALL_TENSOR) return evaluateMle(integerTable(values, shape), point);
  let maxAbs = 0;
  for (let i = 0; i < size; i++) {
    const v = values[i]!;
    if (!(Math.abs(v) <= SMALL_ABS) || !Number.isInteger(v)) return evaluateMle(integerTable(values, shape), point);
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  if (shape.length === 0) return Fr.fromSigned(values[0]!);
  const perAxis = splitTensorPoint(shape, point);
  let split = shape.length - 1;
  let cols = shape[split]!;
  while (split > 0 && cols * shape[split - 1]! <= DOT_SMALL_MAX_TERMS) cols *= shape[--split]!;
  const rows = size / cols;
  const eqRows = eqOverAxes(perAxis.slice(0, split), shape.slice(0, split)).toBigints();
  const eqCols = eqOverAxes(perAxis.slice(split), shape.slice(split));
  const k = kernels();
  const words = new Int32Array(k.heap.buffer, k.heap.byteOffset, k.heap.length);
  const chunk = Math.min(DOT_SMALL_MAX_TERMS, cols);
  // heap: the columns' eq values of a chunk, the accumulator, the offset integers of one row
  const ACC = chunk;
  const K_WORD = (chunk + 1) * 8;
  const rowSums = new Array<bigint>(rows).fill(0n);
  const offset = BigInt(maxAbs);
  for (let c0 = 0; c0 < cols; c0 += chunk) {
    const m = Math.min(chunk, cols - c0);
    k.heap.set(eqCols.limbs.subarray(c0 * 8, (c0 + m) * 8), 0);
    k.heap.fill(0, ACC * 8, ACC * 8 + 8);
    k.sumInto(ACC, 0, m);
    const shift = (offset * readMont(k.heap, ACC * 8)) % FR_MODULUS; // o * sum of this chunk's eq values
    for (let i = 0; i < rows; i++) {
      const at = i * cols + c0;
      for (let j = 0; j < m; j++) words[K_WORD + j] = values[at + j]! + maxAbs;
      k.heap.fill(0, ACC * 8, ACC * 8 + 8);
      k.dotSmallInto(ACC, 0, K_WORD, m);
      rowSums[i] = rowSums[i]! + readMont(k.heap, ACC * 8) - shift;
    }
  }
  let acc = 0n;
  for (let i = 0; i < rows; i++) acc += eqRows[i]! * (((rowSums[i]! % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
  return acc % FR_MODULUS;
}

/**
 * MLE at `point` of the tensor that is 1 on every real entry of `shape` and 0 on padding:
 * prod over axes of sum_{i < d_a} eq(r_a, i). O(sum of dims) scalar work. (Plug-in layers need it
 * for constants such as the rounding offset of a rescale.)
 */
export function indicatorMle(shape: readonly number[], point: readonly bigint[]): bigint {
  const { axisVars, numVars } = tensorMleLayout(shape);
  if (point.length !== numVars) throw new RangeError(`indicatorMle: expected ${numVars} coordinates, got ${point.length}`);
  let acc = 1n;
  let at = 0;
  shape.forEach((d, a) => {
    const v = axisVars[a]!;
    acc = Fr.mul(acc, prefixEqSum(point.slice(at, at + v), d));
    at += v;
  });
  return acc;
}

/** sum_{i < d} eq(r, i) for the v = |r| variable point r (MSB first), by walking the bits of d. */
function prefixEqSum(r: readonly bigint[], d: number): bigint {
  const v = r.length;
  if (d >= 2 ** v) return 1n;
  // i < d: for each set bit j of d (MSB first), count the i that agree with d above j and have 0 at j.
  let acc = 0n;
  let prefix = 1n; // eq of the bits above the current one with d's bits
  for (let j = 0; j < v; j++) {
    const bit = Math.floor(d / 2 ** (v - 1 - j)) % 2;
    const rj = r[j]!;
    if (bit === 1) {
      acc = Fr.add(acc, Fr.mul(prefix, Fr.sub(1n, rj))); // i has 0 here, anything below
      prefix = Fr.mul(prefix, rj);
    } else {
      prefix = Fr.mul(prefix, Fr.sub(1n, rj));
    }
  }
  return acc;
}
