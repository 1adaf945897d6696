/**
 * Gemm: Y = alpha * A' * B' + beta * C, with A' = transA ? A^T : A (M x K), B' = transB ? B^T : B
 * (K x N). Versions differ in how C may be shaped: opset 1-6 broadcast it only with
 * `broadcast=1`, opset 7 always broadcasts it unidirectionally to [M, N], opset 11 makes it optional.
 */
import { type Tensor, shapeToString, storeAs, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "./op.js";
import { broadcastIndex } from "./util/broadcast.js";
import { gemmAccumulate, stridedPackB } from "./util/gemm.js";

interface GemmShape {
  m: number;
  k: number;
  n: number;
}

function gemmShape(ctx: OpContext, a: readonly number[], b: readonly number[]): GemmShape {
  const transA = ctx.attrs.int("transA", 0) !== 0;
  const transB = ctx.attrs.int("transB", 0) !== 0;
  if (a.length !== 2 || b.length !== 2) {
    throw shapeError(ctx, "Gemm operands A and B must be matrices", "rank 2 and rank 2", `${shapeToString(a)} and ${shapeToString(b)}`);
  }
  const [m, k] = transA ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [kb, n] = transB ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (k !== kb) {
    throw shapeError(
      ctx,
      `Gemm inner dimensions differ (transA=${Number(transA)}, transB=${Number(transB)})`,
      "equal K in A' (M x K) and B' (K x N)",
      `A ${shapeToString(a)}, B ${shapeToString(b)}`,
    );
  }
  return { m, k, n };
}

/** C must broadcast unidirectionally to [M, N] (numpy rules, C's dims 1 or equal). */
function checkC(ctx: OpContext, c: readonly number[], s: GemmShape, exact: boolean): void {
  const target = [s.m, s.n];
  const ok = exact
    ? c.length === 2 && c[0] === s.m && c[1] === s.n
    : c.length <= 2 && c.every((d, i) => d === 1 || d === target[2 - c.length + i]);
  if (!ok) {
    throw shapeError(
      ctx,
      exact ? "Gemm input C must have shape [M, N] when broadcast=0" : "Gemm input C does not broadcast to [M, N]",
      exact ? shapeToString(target) : `a shape broadcastable to ${shapeToString(target)}`,
      shapeToString(c),
    );
  }
}

function makeGemm(sinceVersion: number, cOptional: boolean, broadcastAttr: boolean): OpDef {
  const exactC = (ctx: OpContext) => broadcastAttr && ctx.attrs.int("broadcast", 0) === 0;
  return {
    opType: "Gemm",
    sinceVersion,
    infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
      const a = required(ctx, inputs, 0);
      const b = required(ctx, inputs, 1);
      const c = cOptional ? inputs[2] : required(ctx, inputs, 2);
      const s = gemmShape(ctx, a.shape, b.shape);
      if (c) checkC(ctx, c.shape, s, exactC(ctx));
      return [{ dtype: a.dtype, shape: [s.m, s.n] }];
    },
    run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
      const a = required(ctx, inputs, 0);
      const b = required(ctx, inputs, 1);
      const c = cOptional ? inputs[2] : required(ctx, inputs, 2);
      const s = gemmShape(ctx, a.shape, b.shape);
      const transA = ctx.attrs.int("transA", 0) !== 0;
      const transB = ctx.attrs.int("transB", 0) !== 0;
      const alpha = ctx.attrs.float("alpha", 1);
      const beta = ctx.attrs.float("beta", 1);
      const { m, k, n } = s;
      // element (i, kk) of A' and (kk, j) of B' via strides, so transposes cost no copy
      const aRowStride = transA ? 1 : k;
      const aColStride = transA ? m : 1;
      const bRowStride = transB ? 1 : n;
      const bColStride = transB ? k : 1;
      const out = new Float64Array(m * n);
      // the blocked matmul adds each element's products in kk order from 0, as the plain loops did
      gemmAccumulate(
        out,
        0,
        n,
        { data: a.data, off: 0, rowStride: aRowStride, colStride: aColStride },
        stridedPackB({ data: b.data, off: 0, rowStride: bRowStride, colStride: bColStride }),
        m,
        n,
        k,
      );
      if (alpha !== 1) for (let i = 0; i < out.length; i++) out[i]! *= alpha;
      if (c) {
        checkC(ctx, c.shape, s, exactC(ctx));
        const cIdx = broadcastIndex(c.shape, [m, n]);
        for (let i = 0; i < out.length; i++) out[i]! += beta * c.data[cIdx[i]!]!;
      }
      if (a.dtype !== "float64") for (let i = 0; i < out.length; i++) out[i] = storeAs(a.dtype, out[i]!);
      return [tensor(a.dtype, [m, n], out)];
    },
  };
}

/** Gemm opset 1-6: C required; it broadcasts only with attribute broadcast=1. */
export const Gemm_1: OpDef = makeGemm(1, false, true);
/** Gemm opset 7-10: C required, always unidirectionally broadcast to [M, N]. */
export const Gemm_7: OpDef = makeGemm(7, false, false);
/** Gemm opset 11 onward: C optional. */
export const Gemm_11: OpDef = makeGemm(11, true, false);
