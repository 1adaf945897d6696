/** Numpy-style multidirectional broadcasting, shared by element-wise ops and MatMul batch dims. */
import { sizeOf, stridesOf } from "../../ir/tensor.js";

/** The broadcast shape, or null when the shapes are incompatible. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) return null;
    }
  }
  return out;
}

/**
 * For each flat index of `outShape`, the flat index into a tensor of `inShape` broadcast to it.
 * Returned as an Int32Array so hot loops index without recomputing strides.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  // stride of each output axis in the input (0 where broadcast)
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = rank - inShape.length + i;
    eff[o] = inShape[i] === 1 ? 0 : inStrides[i]!;
  }
  const counter = new Array<number>(rank).fill(0);
  let cur = 0;
  for (let k = 0; k < n; k++) {
    idx[k] = cur;
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      cur += eff[a]!;
      if (counter[a]! < outShape[a]!) break;
      cur -= eff[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  return idx;
}
