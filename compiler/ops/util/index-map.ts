/**
 * Data movement as index maps: for each flat index of an output, the flat index of the input
 * element it copies (or -1 for a fill value, as in Pad's constant mode). Transpose, Slice, Gather,
 * Pad, Tile, Expand and Concat are all "out[i] = in[src[i]]"; expressing them this way gives one
 * float kernel here and one thing for quantised lowering to prove (a permutation/selection).
 */
import { type DType, type Tensor, sizeOf, stridesOf } from "../../ir/tensor.js";

/** `src[i]` is the source flat index of output element i, or -1 for the fill value. */
export interface IndexMap {
  shape: number[];
  src: Int32Array;
}

/**
 * Builds a map whose source index is a sum of per-output-axis offsets: `tables[a][c]` is what
 * coordinate c of output axis a adds (or -1: that output element takes the fill value). Covers
 * every map where each output axis moves independently (transpose, slice, pad, tile, broadcast,
 * and gather with the indices' axes merged into one table).
 */
export function separableMap(shape: readonly number[], tables: readonly (Int32Array | number[])[]): IndexMap {
  // grow the map axis by axis: a prefix of axes at a time, outermost first
  let cur = new Int32Array(1);
  for (let a = 0; a < tables.length; a++) {
    const t = tables[a]!;
    const next = new Int32Array(cur.length * t.length);
    let k = 0;
    for (let p = 0; p < cur.length; p++) {
      const base = cur[p]!;
      for (let c = 0; c < t.length; c++) {
        const off = t[c]!;
        next[k++] = base < 0 || off < 0 ? -1 : base + off;
      }
    }
    cur = next;
  }
  return { shape: [...shape], src: cur };
}

/** out = in transposed by `perm` (output axis a is input axis perm[a]). */
export function transposeMap(inShape: readonly number[], perm: readonly number[]): IndexMap {
  const strides = stridesOf(inShape);
  const shape = perm.map((p) => inShape[p]!);
  return separableMap(
    shape,
    perm.map((p) => Int32Array.from({ length: inShape[p]! }, (_, c) => c * strides[p]!)),
  );
}

/** Per-axis strided selection: output coordinate c of axis a reads input coordinate starts[a] + c * steps[a]. */
export function sliceMap(inShape: readonly number[], starts: readonly number[], steps: readonly number[], outShape: readonly number[]): IndexMap {
  const strides = stridesOf(inShape);
  return separableMap(
    outShape,
    outShape.map((n, a) => Int32Array.from({ length: n }, (_, c) => (starts[a]! + c * steps[a]!) * strides[a]!)),
  );
}

export type PadMode = "constant" | "reflect" | "edge" | "wrap";

/** Padding (negative pads crop): output coordinate c of axis a reads input coordinate c - begins[a], mapped by mode. */
export function padMap(inShape: readonly number[], begins: readonly number[], outShape: readonly number[], mode: PadMode): IndexMap {
  const strides = stridesOf(inShape);
  return separableMap(
    outShape,
    outShape.map((n, a) => {
      const dim = inShape[a]!;
      return Int32Array.from({ length: n }, (_, c) => {
        let i = c - begins[a]!;
        if (i < 0 || i >= dim) {
          if (mode === "constant" || dim === 0) return -1;
          if (mode === "edge") i = i < 0 ? 0 : dim - 1;
          else if (mode === "wrap") i = ((i % dim) + dim) % dim;
          else if (dim === 1) i = 0;
          else {
            // reflect without repeating the edge, folding as often as needed
            const period = 2 * (dim - 1);
            i = ((i % period) + period) % period;
            if (i >= dim) i = period - i;
          }
        }
        return i * strides[a]!;
      });
    }),
  );
}

/** Tiling: output coordinate c of axis a reads input coordinate c mod inShape[a]. */
export function tileMap(inShape: readonly number[], repeats: readonly number[]): IndexMap {
  const strides = stridesOf(inShape);
  const shape = inShape.map((d, a) => d * repeats[a]!);
  return separableMap(
    shape,
    shape.map((n, a) => Int32Array.from({ length: n }, (_, c) => (c % inShape[a]!) * strides[a]!)),
  );
}

/**
 * Gather along `axis` with already-normalised (non-negative, in range) indices: the output is
 * data[:axis] + indices.shape + data[axis+1:]; the indices' axes form one merged table.
 */
export function gatherMap(inShape: readonly number[], axis: number, indices: ArrayLike<number>, indicesShape: readonly number[]): IndexMap {
  const strides = stridesOf(inShape);
  const shape = [...inShape.slice(0, axis), ...indicesShape, ...inShape.slice(axis + 1)];
  const tables: Int32Array[] = [];
  for (let a = 0; a < axis; a++) tables.push(Int32Array.from({ length: inShape[a]! }, (_, c) => c * strides[a]!));
  tables.push(Int32Array.from({ length: indices.length }, (_, k) => indices[k]! * strides[axis]!));
  for (let a = axis + 1; a < inShape.length; a++) tables.push(Int32Array.from({ length: inShape[a]! }, (_, c) => c * strides[a]!));
  const m = separableMap(shape, tables);
  return m;
}

/**
 * Concatenation along `axis`: the source index points into the inputs' flat data laid end to
 * end (input k starts at the sum of the sizes of inputs 0..k-1).
 */
export function concatMap(shapes: readonly (readonly number[])[], axis: number): IndexMap {
  const shape = [...shapes[0]!];
  shape[axis] = shapes.reduce((s, x) => s + x[axis]!, 0);
  const outer = sizeOf(shape.slice(0, axis));
  const src = new Int32Array(sizeOf(shape));
  const bases: number[] = [];
  let base = 0;
  for (const s of shapes) {
    bases.push(base);
    base += sizeOf(s);
  }
  let k = 0;
  for (let o = 0; o < outer; o++) {
    shapes.forEach((s, i) => {
      const block = sizeOf(s.slice(axis)); // contiguous run of input i per outer index
      const start = bases[i]! + o * block;
      for (let j = 0; j < block; j++) src[k++] = start + j;
    });
  }
  return { shape, src };
}

/** Applies a map: out[i] = data[src[i]], or `fill` where src[i] is -1. */
export function applyIndexMap(dtype: DType, map: IndexMap, data: Float64Array, fill = 0): Tensor {
  const out = new Float64Array(map.src.length);
  for (let i = 0; i < out.length; i++) {
    const s = map.src[i]!;
    out[i] = s < 0 ? fill : data[s]!;
  }
  return { dtype, shape: map.shape, data: out };
}

/** The flat data of several tensors laid end to end (the source space of `concatMap`). */
export function concatData(parts: readonly Tensor[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, t) => s + t.data.length, 0));
  let off = 0;
  for (const t of parts) {
    out.set(t.data, off);
    off += t.data.length;
  }
  return out;
}
