/**
 * The exact integer semantics of every primitive: the single definition that the witness
 * generator runs, the backends prove and the accuracy report measures. Values are integers held
 * in Float64Array; static bounds (SAFE_MAX_ABS) keep every intermediate below 2^53, so float64
 * arithmetic here is exact.
 */
import { ZkcError, internal } from "../errors.js";
import type { Prim } from "./prim.js";
import { gemmAccumulate, stridedPackB } from "../ops/util/gemm.js";

/** floor((x + 2^(shift-1)) / 2^shift): divide by 2^shift, rounding half up. */
export function rescaleValue(x: number, shift: number): number {
  if (shift === 0) return x;
  const d = 2 ** shift;
  return Math.floor((x + d / 2) / d);
}

/** floor(num * 2^shift / den) for den > 0, exact for |num * 2^shift| < 2^53. */
export function divideValue(num: number, den: number, shift: number): number {
  const a = num * 2 ** shift;
  let q = Math.floor(a / den);
  // the quotient of two doubles may round across an integer: correct by at most one step each way
  while (q * den > a) q--;
  while ((q + 1) * den <= a) q++;
  return q;
}

/** Runs one primitive: reads its inputs from `env`, returns the output vector. */
export function evalPrim(p: Prim, env: ReadonlyMap<string, Float64Array>): Float64Array {
  const get = (name: string): Float64Array => env.get(name) ?? internal(`primitive ${p.op}: value "${name}" is missing`);
  switch (p.op) {
    case "matmul": {
      const a = get(p.a);
      const b = get(p.b);
      const { batch, bBatch, m, k, n } = p;
      const out = new Float64Array(batch * m * n);
      // integer sums below 2^53 are exact in any order, so the blocked float matmul serves;
      // a shared right operand makes the batches one tall product
      const mm = (oOff: number, aOff: number, bOff: number, rows: number) => {
        if (rows < 8) {
          // a few rows (a batch-1 dense layer): packing B would copy more than the product reads;
          // row by row over B's rows, which streams B once per row
          for (let i = 0; i < rows; i++) {
            const o = oOff + i * n;
            for (let kk = 0; kk < k; kk++) {
              const x = a[aOff + i * k + kk]!;
              if (x === 0) continue;
              const bRow = bOff + kk * n;
              for (let j = 0; j < n; j++) out[o + j] += x * b[bRow + j]!;
            }
          }
          return;
        }
        gemmAccumulate(out, oOff, n, { data: a, off: aOff, rowStride: k, colStride: 1 }, stridedPackB({ data: b, off: bOff, rowStride: n, colStride: 1 }), rows, n, k);
      };
      if (bBatch === 1) mm(0, 0, 0, batch * m);
      else for (let t = 0; t < batch; t++) mm(t * m * n, t * m * k, t * k * n, m);
      return out;
    }
    case "add":
    case "sub":
    case "mul":
    case "max": {
      const a = get(p.a);
      const b = get(p.b);
      const out = new Float64Array(a.length);
      if (p.op === "add") for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
      else if (p.op === "sub") for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
      else if (p.op === "mul") for (let i = 0; i < a.length; i++) out[i] = a[i]! * b[i]!;
      else for (let i = 0; i < a.length; i++) out[i] = Math.max(a[i]!, b[i]!);
      return out;
    }
    case "scale": {
      const x = get(p.in);
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[i]! * p.factor;
      return out;
    }
    case "gather": {
      const srcs = p.sources.map(get);
      const out = new Float64Array(p.idx.length);
      if (!p.src) {
        // one source (im2col, reshapes): no per-element source lookup
        const src = srcs[0]!;
        const idx = p.idx;
        for (let i = 0; i < out.length; i++) {
          const j = idx[i]!;
          if (j >= 0) out[i] = src[j]!;
        }
        return out;
      }
      for (let i = 0; i < out.length; i++) {
        const j = p.idx[i]!;
        if (j >= 0) out[i] = srcs[p.src ? p.src[i]! : 0]![j]!;
      }
      return out;
    }
    case "reduceSum": {
      const x = get(p.in);
      const { outer, reduce, inner } = p;
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let r = 0; r < reduce; r++) {
          const base = (o * reduce + r) * inner;
          for (let i = 0; i < inner; i++) out[o * inner + i]! += x[base + i]!;
        }
      return out;
    }
    case "rescale": {
      const x = get(p.in);
      const out = new Float64Array(x.length);
      if (p.shift === 0) out.set(x);
      else {
        // rescaleValue with its constants hoisted out of the loop
        const d = 2 ** p.shift;
        const h = d / 2;
        for (let i = 0; i < x.length; i++) out[i] = Math.floor((x[i]! + h) / d);
      }
      return out;
    }
    case "lookup": {
      const x = get(p.in);
      const { lo, values } = p.table;
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const j = x[i]! - lo;
        if (j < 0 || j >= values.length) {
          internal(`lookup ${p.table.id}: input ${x[i]} outside the table domain [${lo}, ${lo + values.length - 1}]`);
        }
        out[i] = values[j]!;
      }
      return out;
    }
    case "clamp": {
      const x = get(p.in);
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = Math.min(Math.max(x[i]!, p.lo), p.hi);
      return out;
    }
    case "divide": {
      const num = get(p.num);
      const den = get(p.den);
      const out = new Float64Array(num.length);
      for (let i = 0; i < num.length; i++) {
        if (!(den[i]! > 0)) {
          // the plain division is chosen only for a divisor positive on every calibration sample
          throw new ZkcError("INPUT", `the divisor is ${den[i]} at position ${i}, but this division was compiled for a positive divisor (it was positive on every calibration sample)`, {
            hint: "compile again with calibration inputs for which the divisor can be zero or negative (--calibrate): zkc then proves the division for any sign",
          });
        }
        out[i] = divideValue(num[i]!, den[i]!, p.shift);
      }
      return out;
    }
    case "argmax": {
      const x = get(p.in);
      const { outer, reduce, inner } = p;
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          let best = 0;
          let bestV = x[o * reduce * inner + i]!;
          for (let r = 1; r < reduce; r++) {
            const v = x[(o * reduce + r) * inner + i]!;
            if (v > bestV) {
              bestV = v;
              best = r;
            }
          }
          out[o * inner + i] = best;
        }
      return out;
    }
  }
}
