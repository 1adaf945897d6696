/**
 * The blocked matmul (compiler/ops/util/gemm.ts) behind Conv, MatMul and Gemm must give exactly
 * what the plain loops gave (./reference/, the pre-issue-17 implementations): same values to the
 * bit, on seeded random shapes and attributes.
 */
import { describe, expect, it } from "vitest";
import { type DType, type Tensor } from "../../../compiler/ir/tensor.js";
import { Conv_1 } from "../../../compiler/ops/conv.js";
import { Gemm_11 } from "../../../compiler/ops/gemm.js";
import { MatMul_1 } from "../../../compiler/ops/matmul.js";
import type { OpDef } from "../../../compiler/ops/op.js";
import type { AttrInput } from "../../../compiler/onnx/build.js";
import { Conv_1 as RefConv } from "./reference/conv.js";
import { Gemm_11 as RefGemm } from "./reference/gemm.js";
import { MatMul_1 as RefMatMul } from "./reference/matmul.js";
import { evalPrim } from "../../../compiler/quant/semantics.js";
import { broadcastIndex, broadcastShapes } from "../../../compiler/ops/util/broadcast.js";
import { broadcastMap2 } from "../../../compiler/ops/util/elementwise.js";
import { ctxFor, randomTensor, rng } from "./helpers.js";

function sameBits(got: Tensor, want: Tensor, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype, what).toBe(want.dtype);
  let bad = -1;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) {
      bad = i;
      break;
    }
  }
  expect(bad, `${what}: first difference at ${bad}: ${got.data[bad]} vs ${want.data[bad]}`).toBe(-1);
}

function both(fast: OpDef, ref: OpDef, op: string, inputs: (Tensor | undefined)[], attrs: Record<string, AttrInput>, what: string): void {
  const ctx = ctxFor(op, attrs);
  sameBits(fast.run(inputs, ctx)[0]!, ref.run(inputs, ctx)[0]!, what);
}

describe("fast Conv equals the direct loop", () => {
  it("on random shapes, groups, strides, dilations, pads and auto_pad (1D, 2D, 3D)", () => {
    const r = rng(0x17c0);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let t = 0; t < 60; t++) {
      const rank = pick([1, 2, 2, 2, 3]);
      const group = pick([1, 1, 2, 3]);
      const cpg = pick([1, 2, 3, 5]);
      const mpg = pick([1, 2, 4, 5, 7]);
      const kernel = Array.from({ length: rank }, () => pick([1, 2, 3]));
      const dil = Array.from({ length: rank }, () => pick([1, 1, 2]));
      const strides = Array.from({ length: rank }, () => pick([1, 1, 2, 3]));
      const spatial = kernel.map((k, i) => (k - 1) * dil[i]! + 1 + Math.floor(r() * (rank === 3 ? 4 : 9)));
      const autoPad = pick(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]);
      const attrs: Record<string, AttrInput> = { group, strides, dilations: dil, kernel_shape: kernel };
      if (autoPad === "NOTSET") attrs.pads = [...kernel, ...kernel].map(() => pick([0, 0, 1, 2]));
      else attrs.auto_pad = autoPad;
      const dtype: DType = pick(["float32", "float64"]);
      const batch = pick([1, 2]);
      const x = randomTensor(r, [batch, cpg * group, ...spatial], -1, 1, dtype);
      const w = randomTensor(r, [mpg * group, cpg, ...kernel], -1, 1, dtype);
      const b = r() < 0.7 ? randomTensor(r, [mpg * group], -1, 1, dtype) : undefined;
      both(Conv_1, RefConv, "Conv", [x, w, b], attrs, `case ${t}: x [${x.shape}] w [${w.shape}] ${JSON.stringify(attrs)}`);
    }
  });

  it("on a layer wide enough for several blocks (reduction > 256, outputs > 128)", () => {
    const r = rng(0x17c1);
    const x = randomTensor(r, [1, 40, 13, 13]);
    const w = randomTensor(r, [9, 40, 3, 3]);
    both(Conv_1, RefConv, "Conv", [x, w, randomTensor(r, [9])], { pads: [1, 1, 1, 1] }, "40->9 3x3");
  });

  it("keeps the sign of zero: a -0 bias with zero inputs, 1x1 and 3x3, padded or not", () => {
    for (const k of [1, 3]) {
      const x = { dtype: "float32" as const, shape: [1, 4, 3, 3], data: new Float64Array(36).fill(-0) };
      const w = randomTensor(rng(k), [4, 4, k, k]);
      const b = { dtype: "float32" as const, shape: [4], data: new Float64Array(4).fill(-0) };
      for (const pads of [[0, 0, 0, 0], [1, 1, 1, 1]]) {
        const ctx = ctxFor("Conv", { pads });
        const got = Conv_1.run([x, w, b], ctx)[0]!.data;
        const want = RefConv.run([x, w, b], ctx)[0]!.data;
        expect(Array.from(got, (v) => Object.is(v, -0))).toEqual(Array.from(want, (v) => Object.is(v, -0)));
      }
    }
  });

  it("with an infinite weight next to padding (0 * inf must not appear)", () => {
    const r = rng(0x17c2);
    const x = randomTensor(r, [1, 2, 5, 5]);
    const w = randomTensor(r, [3, 2, 3, 3]);
    (w.data as Float64Array)[0] = Infinity;
    both(Conv_1, RefConv, "Conv", [x, w, undefined], { pads: [1, 1, 1, 1] }, "inf weight");
  });
});

describe("fast MatMul and Gemm equal the plain loops", () => {
  it("MatMul on random shapes (1-D operands, broadcast batches, shared right operand)", () => {
    const r = rng(0x17d0);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const shapes: [number[], number[]][] = [];
    for (let t = 0; t < 40; t++) {
      const m = pick([1, 3, 4, 7, 17]);
      const k = pick([1, 5, 8, 33, 300]);
      const n = pick([1, 2, 4, 9, 130]);
      const kind = pick(["2d", "1da", "1db", "batch", "shared", "bcast"]);
      if (kind === "2d") shapes.push([[m, k], [k, n]]);
      else if (kind === "1da") shapes.push([[k], [k, n]]);
      else if (kind === "1db") shapes.push([[m, k], [k]]);
      else if (kind === "batch") shapes.push([[3, m, k], [3, k, n]]);
      else if (kind === "shared") shapes.push([[2, 3, m, k], [k, n]]);
      else shapes.push([[2, 1, m, k], [3, k, n]]);
    }
    shapes.forEach(([a, b], t) => {
      both(MatMul_1, RefMatMul, "MatMul", [randomTensor(r, a, -2, 2), randomTensor(r, b, -2, 2)], {}, `case ${t}: [${a}] x [${b}]`);
    });
  });

  it("Gemm with transposes, alpha, beta and broadcast C", () => {
    const r = rng(0x17d1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let t = 0; t < 30; t++) {
      const [m, k, n] = [pick([1, 2, 5, 6]), pick([1, 3, 7, 260]), pick([1, 4, 9, 131])];
      const transA = pick([0, 1]);
      const transB = pick([0, 1]);
      const a = randomTensor(r, transA ? [k, m] : [m, k]);
      const b = randomTensor(r, transB ? [n, k] : [k, n]);
      const c = pick([undefined, [n], [m, 1], [m, n], [1]]);
      const attrs = { transA, transB, alpha: pick([1, 0.5, -1.25]), beta: pick([1, 2.5]) };
      both(Gemm_11, RefGemm, "Gemm", [a, b, c ? randomTensor(r, c) : undefined], attrs, `case ${t}: ${JSON.stringify(attrs)} m${m} k${k} n${n}`);
    }
  });
});

describe("the integer matmul primitive on the blocked kernel", () => {
  it("equals the plain i-k-j loop exactly (batches, shared right operand, zeros)", () => {
    const r = rng(0x17e0);
    for (const [batch, bBatch, m, k, n] of [[1, 1, 5, 7, 3], [3, 1, 4, 300, 9], [2, 2, 6, 33, 130], [1, 1, 1, 1, 1]] as const) {
      const ints = (len: number) => Float64Array.from({ length: len }, () => (r() < 0.3 ? 0 : Math.round((r() * 2 - 1) * 2 ** 20)));
      const a = ints(batch * m * k);
      const b = ints(bBatch * k * n);
      const got = evalPrim({ op: "matmul", a: "a", b: "b", out: "o", batch, bBatch, m, k, n }, new Map([["a", a], ["b", b]]));
      const want = new Float64Array(batch * m * n);
      for (let t = 0; t < batch; t++)
        for (let i = 0; i < m; i++)
          for (let kk = 0; kk < k; kk++)
            for (let j = 0; j < n; j++) want[(t * m + i) * n + j]! += a[(t * m + i) * k + kk]! * b[((bBatch === 1 ? 0 : t) * k + kk) * n + j]!;
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});

describe("row-wise broadcasting", () => {
  it("equals the per-element index map on random broadcast shapes", () => {
    const r = rng(0x17f0);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let t = 0; t < 80; t++) {
      const out = Array.from({ length: pick([0, 1, 2, 3, 4]) }, () => pick([1, 2, 3, 5]));
      const operand = () => out.slice(out.length - pick(Array.from({ length: out.length + 1 }, (_, i) => i))).map((d) => (r() < 0.4 ? 1 : d));
      const [sa, sb] = [operand(), operand()];
      const outShape = broadcastShapes(sa, sb)!;
      const a = randomTensor(r, sa);
      const b = randomTensor(r, sb);
      const f = (x: number, y: number) => x * 3 - y;
      const got = broadcastMap2(a, b, outShape, "float32", f);
      const ia = broadcastIndex(sa, outShape);
      const ib = broadcastIndex(sb, outShape);
      const want = Array.from(ia, (_, i) => Math.fround(f(a.data[ia[i]!]!, b.data[ib[i]!]!)));
      expect(got.shape, `[${sa}] + [${sb}]`).toEqual(outShape);
      expect(Array.from(got.data), `[${sa}] + [${sb}]`).toEqual(want);
    }
  });
});
