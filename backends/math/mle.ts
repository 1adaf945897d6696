/**
 * Multilinear extensions (MLEs) over Fr.
 *
 * **Variable order.** A table of length 2^n defines f(x_0, ..., x_{n-1}) = table[i] where
 * i = sum_j x_j * 2^(n-1-j): **variable 0 is the most significant bit of the index**, so a point
 * reads like the index written in binary, big-endian. Folding (binding) variable 0 pairs the two
 * halves of the table: f'(x_1..) = lo + r*(hi - lo) with lo = table[0..2^(n-1)), hi = the rest.
 * Sumcheck binds variables in the same order (0 first).
 *
 * **Tensors** (row-major, shape [d_0, ..., d_{k-1}]): each axis is zero-padded to a power of two,
 * the padded tensor is laid out row-major, and its MLE has the variables of axis 0 first (MSB
 * first within an axis), then axis 1, and so on. So a point is the concatenation of per-axis
 * points, and element [i_0, ..., i_{k-1}] sits at the vertex whose axis-a bits spell i_a.
 */
import { FR_MODULUS, FrVector, innerProduct, vecScale, vecSub, writeMont } from "./field.js";
import { kernels } from "./kernels.js";

/** ceil(log2(n)) for n >= 1 (0 for n = 1). */
export function log2Ceil(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`log2Ceil: expected a positive integer, got ${n}`);
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

/** Number of variables of a table, which must have a power-of-two length. */
export function numVarsOf(table: FrVector): number {
  const n = log2Ceil(Math.max(1, table.length));
  if (2 ** n !== table.length) {
    throw new RangeError(`MLE: expected a table of power-of-two length, got ${table.length}`);
  }
  return n;
}

function checkPoint(point: readonly bigint[], n: number, where: string): void {
  if (point.length !== n) throw new RangeError(`${where}: expected a point with ${n} coordinates, got ${point.length}`);
  for (const c of point) {
    if (typeof c !== "bigint" || c < 0n || c >= FR_MODULUS) {
      throw new RangeError(`${where}: expected canonical field coordinates, got ${String(c)}`);
    }
  }
}

/**
 * eq(r, x) for every x in {0,1}^n, in table order: entry i is prod_j (r_j x_j + (1-r_j)(1-x_j))
 * with x_j the bit of i of weight 2^(n-1-j). Sum of the entries is 1.
 */
export function eqTable(point: readonly bigint[]): FrVector {
  checkPoint(point, point.length, "eqTable");
  let table = FrVector.filled(1, 1n);
  // Add variables from the last to the first: each new one becomes the top bit ([lo | hi]).
  for (let j = point.length - 1; j >= 0; j--) {
    const hi = vecScale(table, point[j]!);
    const lo = vecSub(table, hi);
    const next = new FrVector(table.length * 2);
    next.limbs.set(lo.limbs, 0);
    next.limbs.set(hi.limbs, lo.limbs.length);
    table = next;
  }
  return table;
}

/** eq(a, b) = prod_j (a_j b_j + (1-a_j)(1-b_j)) for two points of equal length. */
export function eqEval(a: readonly bigint[], b: readonly bigint[]): bigint {
  if (a.length !== b.length) throw new RangeError(`eqEval: expected points of equal length, got ${a.length} and ${b.length}`);
  let acc = 1n;
  for (let j = 0; j < a.length; j++) {
    const t = (a[j]! * b[j]! + (1n - a[j]!) * (1n - b[j]!)) % FR_MODULUS;
    acc = (acc * (t < 0n ? t + FR_MODULUS : t)) % FR_MODULUS;
  }
  return acc;
}

const CHUNK = 4096;

/**
 * Bind variable 0 (the top index bit) to r: result[i] = t[i] + r*(t[i+h] - t[i]), h = length/2.
 * @returns a new table of half the length
 */
export function foldFirst(table: FrVector, r: bigint): FrVector {
  const n = numVarsOf(table);
  if (n === 0) throw new RangeError("foldFirst: expected a table with at least one variable, got a constant");
  checkPoint([r], 1, "foldFirst");
  const half = table.length / 2;
  const out = new FrVector(half);
  const k = kernels();
  const [lo, hi, res, rOff] = [0, CHUNK, 2 * CHUNK, 3 * CHUNK];
  writeMont(k.heap, rOff * 8, r);
  for (let s = 0; s < half; s += CHUNK) {
    const m = Math.min(CHUNK, half - s);
    k.heap.set(table.limbs.subarray(s * 8, (s + m) * 8), lo * 8);
    k.heap.set(table.limbs.subarray((half + s) * 8, (half + s + m) * 8), hi * 8);
    k.fold(res, lo, hi, rOff, m);
    out.limbs.set(k.heap.subarray(res * 8, (res + m) * 8), s * 8);
  }
  return out;
}

/** f(point) for the MLE of `table` (by folding variable 0, then 1, ...: 2^n products). */
export function evaluateMle(table: FrVector, point: readonly bigint[]): bigint {
  const n = numVarsOf(table);
  checkPoint(point, n, "evaluateMle");
  let t = table;
  for (let j = 0; j < n; j++) t = foldFirst(t, point[j]!);
  return t.get(0);
}

/** Evaluate as the inner product with eq(point, .): same value, used to cross-check. */
export function evaluateMleByEq(table: FrVector, point: readonly bigint[]): bigint {
  checkPoint(point, numVarsOf(table), "evaluateMleByEq");
  return innerProduct(table, eqTable(point));
}

/** Layout of a tensor's MLE: padded shape and variables per axis (axis 0 first). */
export interface TensorMleLayout {
  /** each axis rounded up to a power of two */
  paddedShape: number[];
  /** log2 of each padded axis: the number of point coordinates that axis takes */
  axisVars: number[];
  /** total number of variables */
  numVars: number;
}

/** The MLE layout of a row-major tensor of the given shape. */
export function tensorMleLayout(shape: readonly number[]): TensorMleLayout {
  const axisVars = shape.map((d) => {
    if (!Number.isSafeInteger(d) || d < 1) throw new RangeError(`tensorMleLayout: expected positive dimensions, got [${shape.join(", ")}]`);
    return log2Ceil(d);
  });
  return { paddedShape: axisVars.map((v) => 2 ** v), axisVars, numVars: axisVars.reduce((a, b) => a + b, 0) };
}

/**
 * Zero-pad a row-major tensor (given as a vector of prod(shape) elements) on every axis to a power
 * of two; the result is the MLE table described at the top of this module.
 */
export function padTensor(values: FrVector, shape: readonly number[]): FrVector {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new RangeError(`padTensor: expected ${size} values for shape [${shape.join(", ")}], got ${values.length}`);
  }
  const { paddedShape } = tensorMleLayout(shape);
  if (paddedShape.every((d, a) => d === shape[a])) return values.clone();
  const out = new FrVector(paddedShape.reduce((a, b) => a * b, 1));
  const rank = shape.length;
  if (rank === 0) return values.clone();
  // copy row by row along the last axis
  const rowLen = shape[rank - 1]!;
  const rows = size / rowLen;
  const idx = new Array<number>(rank - 1).fill(0);
  for (let row = 0; row < rows; row++) {
    let dst = 0;
    for (let a = 0; a < rank - 1; a++) dst = dst * paddedShape[a]! + idx[a]!;
    dst *= paddedShape[rank - 1]!;
    out.limbs.set(values.limbs.subarray(row * rowLen * 8, (row + 1) * rowLen * 8), dst * 8);
    for (let a = rank - 2; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** The tensor's MLE (layout above) at `point` (length = tensorMleLayout(shape).numVars). */
export function evaluateTensorMle(values: FrVector, shape: readonly number[], point: readonly bigint[]): bigint {
  return evaluateMle(padTensor(values, shape), point);
}

/** Split a tensor point into per-axis points (axis 0 first). */
export function splitTensorPoint(shape: readonly number[], point: readonly bigint[]): bigint[][] {
  const { axisVars, numVars } = tensorMleLayout(shape);
  checkPoint(point, numVars, "splitTensorPoint");
  const out: bigint[][] = [];
  let at = 0;
  for (const v of axisVars) {
    out.push(point.slice(at, at + v));
    at += v;
  }
  return out;
}
