/**
 * Lowerings of the linear-algebra ops. Products accumulate at the sum of the operand scales, the
 * bias is added at that scale (exact), and one rescale brings the result back to the activation
 * scale. Convolution is im2col: a gather through the shared window index map (the same map the
 * float semantics read through) followed by a matmul with the weights.
 */
import { type Tensor, sizeOf } from "../../ir/tensor.js";
import { type ConvPlan, convPlan } from "../../ops/conv.js";
import { convTransposePlan, convTransposeScatterMap } from "../../ops/conv-transpose.js";
import { matmulPlan } from "../../ops/matmul.js";
import { cachedWindowIndexMap } from "../../ops/util/conv-geometry.js";
import type { ProgramBuilder } from "../builder.js";
import type { QTensor } from "../prim.js";
import { type Lower, broadcastTo, constantAs, notQuantisable, reshape } from "./common.js";

/** Transposes a constant 2-D matrix [r, c] -> [c, r], scaling by `factor`. */
function transposed(c: Tensor, rows: number, cols: number, trans: boolean, factor: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[i * cols + j] = factor * (trans ? c.data[j * rows + i]! : c.data[i * cols + j]!);
  return out;
}

/** Transpose of a [r, c] tensor by gather. */
function transposeT(q: ProgramBuilder, x: QTensor, r: number, c: number): QTensor {
  const idx = new Int32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) idx[j * r + i] = i * c + j;
  return q.gather([x], [c, r], idx);
}

export const lowerMatMul: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const [A, B] = [inputs[0]!, inputs[1]!];
  const plan = matmulPlan(ctx, A.shape, B.shape);
  const batch = sizeOf(plan.batchShape);
  const { m, k, n } = plan;
  const aFull = [...plan.batchShape, m, k];
  const bBatchN = sizeOf(plan.bBatch);
  const bFull = bBatchN === 1 ? [1, k, n] : [...plan.batchShape, k, n];
  const p = "weight" as const;
  const a = A.constant ? constantAs(q, A.constant, aFull, p, A.name) : broadcastTo(q, reshape(q, A.value(), A.shape.length === 1 ? [1, k] : A.shape), aFull);
  let b: QTensor;
  if (B.constant) b = constantAs(q, B.constant, bFull, p, B.name);
  else b = broadcastTo(q, reshape(q, B.value(), B.shape.length === 1 ? [k, 1] : B.shape), bFull);
  const out = q.matmul(a, b, { batch, bBatch: bBatchN === 1 ? 1 : batch, m, k, n }, plan.outShape);
  return [q.toScale(out, q.config.activationScale)];
};

/** Gemm: Y = alpha * A' B' + beta * C with A' = A or A^T, B' = B or B^T. */
export const lowerGemm: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const [A, B, C] = [inputs[0]!, inputs[1]!, inputs[2]];
  const transA = ctx.attrs.int("transA", 0) !== 0;
  const transB = ctx.attrs.int("transB", 0) !== 0;
  const alpha = ctx.attrs.float("alpha", 1);
  const beta = ctx.attrs.float("beta", 1);
  const [M, K] = transA ? [A.shape[1]!, A.shape[0]!] : [A.shape[0]!, A.shape[1]!];
  const N = transB ? B.shape[0]! : B.shape[1]!;
  const p = "weight" as const;
  let a: QTensor;
  if (A.constant) a = q.param(A.name, [M, K], transposed(A.constant, M, K, transA, 1), p);
  else a = transA ? transposeT(q, A.value(), K, M) : A.value();
  let b: QTensor;
  let alphaLeft = alpha;
  if (B.constant) {
    b = q.param(B.name, [K, N], transposed(B.constant, K, N, transB, alpha), p);
    alphaLeft = 1;
  } else b = transB ? transposeT(q, B.value(), N, K) : B.value();
  if (alphaLeft !== 1) throw notQuantisable(ctx, "Gemm with alpha != 1 needs a constant B");
  let y = q.matmul(a, b, { batch: 1, bBatch: 1, m: M, k: K, n: N }, [M, N]);
  if (C && beta !== 0) {
    if (C.constant) {
      const scaled = { ...C.constant, data: C.constant.data.map((v) => v * beta) };
      y = q.addT(y, constantAs(q, scaled, [M, N], y.scale, C.name));
    } else {
      if (beta !== 1) throw notQuantisable(ctx, "Gemm with beta != 1 needs a constant C");
      y = q.addT(y, broadcastTo(q, C.value(), [M, N]));
    }
  }
  return [q.toScale(y, q.config.activationScale)];
};

/** Flat index into W of the weight from input channel c (of group g) through tap kk to output channel j (of group g). */
type WeightAt = (g: number, c: number, kk: number, j: number) => number;

/**
 * A convolution as im2col + matmul. Per group g: patches [N*G, OHW, Cg*K] x W_g^T [G, Cg*K, Mg],
 * bias at the product scale, one rescale, then a gather to the ONNX layout [N, M, out spatial...].
 * `win[o*K + kk]` is the input spatial position tap kk of output position o reads, or -1 (zero).
 */
function patchMatmul(ctx: Parameters<Lower>[1], x: QTensor, W: Tensor, wName: string, B: { constant?: Tensor; name: string } | undefined, plan: ConvPlan, win: Int32Array, weightAt: WeightAt): QTensor {
  const { q } = ctx;
  const { geom, batch: N, inChannels: C, outChannels: M, group: G } = plan;
  const K = sizeOf(geom.kernelShape);
  const HW = sizeOf(geom.inShape);
  const OHW = sizeOf(geom.outShape);
  const Cg = C / G;
  const Mg = M / G;

  // patches[(n*G + g), o, c*K + kk] = x[n, g*Cg + c, win[o*K + kk]]
  const CK = Cg * K;
  const idx = new Int32Array(N * G * OHW * CK);
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++)
      for (let o = 0; o < OHW; o++)
        for (let c = 0; c < Cg; c++)
          for (let kk = 0; kk < K; kk++) {
            const sp = win[o * K + kk]!;
            idx[((n * G + g) * OHW + o) * CK + c * K + kk] = sp < 0 ? -1 : (n * C + g * Cg + c) * HW + sp;
          }
  const patches = q.gather([x], [N * G, OHW, CK], idx);

  // weights^T per group: wt[g, c*K + kk, j]; repeated per sample when N > 1
  const wb = N > 1 && G > 1 ? N * G : G;
  const wt = new Float64Array(wb * CK * Mg);
  for (let t = 0; t < wb; t++) {
    const g = t % G;
    for (let c = 0; c < Cg; c++)
      for (let kk = 0; kk < K; kk++) for (let j = 0; j < Mg; j++) wt[(t * CK + c * K + kk) * Mg + j] = W.data[weightAt(g, c, kk, j)]!;
  }
  const w = q.param(wName, [wb, CK, Mg], wt, "weight");
  const batchN = N * G;
  let y = q.matmul(patches, w, { batch: batchN, bBatch: wb === 1 ? 1 : batchN, m: OHW, k: CK, n: Mg }, [batchN, OHW, Mg]);
  if (B?.constant) {
    const bias = new Float64Array(batchN * OHW * Mg);
    for (let t = 0; t < batchN; t++) {
      const g = t % G;
      for (let o = 0; o < OHW; o++) for (let j = 0; j < Mg; j++) bias[(t * OHW + o) * Mg + j] = B.constant.data[g * Mg + j]!;
    }
    y = q.addT(y, q.param(B.name, [batchN, OHW, Mg], bias, y.scale));
  }
  y = q.toScale(y, q.config.activationScale);
  // to ONNX layout: out[n, g*Mg + j, o] = y[(n*G + g), o, j]
  const back = new Int32Array(N * M * OHW);
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++)
      for (let j = 0; j < Mg; j++)
        for (let o = 0; o < OHW; o++) back[(n * M + g * Mg + j) * OHW + o] = ((n * G + g) * OHW + o) * Mg + j;
  return q.gather([y], plan.outShape, back);
}

/**
 * A Conv-like op: constant weights and bias, its plan, the window map of its geometry and where
 * its weight layout keeps each weight (from the plan's per-group channel counts and taps).
 */
function convLowering(
  opType: string,
  planOf: (ctx: Parameters<Lower>[1], x: number[], w: number[], b?: number[]) => ConvPlan,
  windowOf: (plan: ConvPlan) => Int32Array,
  weightAt: (s: { Cg: number; Mg: number; K: number }) => WeightAt,
): Lower {
  return (inputs, ctx) => {
    const [X, W, B] = [inputs[0]!, inputs[1]!, inputs[2]];
    if (!W.constant) throw notQuantisable(ctx, `${opType} needs constant weights`);
    if (B && !B.constant) throw notQuantisable(ctx, `${opType} needs a constant bias`);
    const plan = planOf(ctx, X.shape, W.shape, B?.shape);
    const sizes = { Cg: plan.inChannels / plan.group, Mg: plan.outChannels / plan.group, K: sizeOf(plan.geom.kernelShape) };
    return [patchMatmul(ctx, X.value(), W.constant, W.name, B, plan, windowOf(plan), weightAt(sizes))];
  };
}

/** Conv: patches through the window map, W [M, C/G, k...]. */
export const lowerConv = convLowering("Conv", convPlan, (p) => cachedWindowIndexMap(p.geom), ({ Cg, Mg, K }) => (g, c, kk, j) => ((g * Mg + j) * Cg + c) * K + kk);

/**
 * ConvTranspose: the same patches and matmul, through the inverse of its scatter map (output
 * position o, tap kk read the one input position i with o = i*stride - pad + kk*dilation, if any),
 * W [C, M/G, k...].
 */
export const lowerConvTranspose = convLowering(
  "ConvTranspose",
  convTransposePlan,
  ({ geom }) => {
    const K = sizeOf(geom.kernelShape);
    const HW = sizeOf(geom.inShape);
    const scatter = convTransposeScatterMap(geom);
    const win = new Int32Array(sizeOf(geom.outShape) * K).fill(-1);
    for (let i = 0; i < HW; i++)
      for (let kk = 0; kk < K; kk++) {
        const o = scatter[i * K + kk]!;
        if (o >= 0) win[o * K + kk] = i;
      }
    return win;
  },
  ({ Cg, Mg, K }) => (g, c, kk, j) => ((g * Cg + c) * Mg + j) * K + kk,
);

/** BatchNormalization (inference): y = x * a_c + b_c per channel, folded from the statistics. */
export const lowerBatchNorm: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const [X, S, Bi, Mu, V] = inputs;
  if (![S, Bi, Mu, V].every((t) => t?.constant)) throw notQuantisable(ctx, "BatchNormalization needs constant scale, bias, mean and variance");
  const eps = ctx.attrs.float("epsilon", 1e-5);
  const x = X!.value();
  const shape = x.shape;
  const C = shape[1] ?? 1;
  const inner = sizeOf(shape.slice(2));
  const n = sizeOf(shape);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / inner) % C;
    const ac = S!.constant!.data[c]! / Math.sqrt(V!.constant!.data[c]! + eps);
    a[i] = ac;
    b[i] = Bi!.constant!.data[c]! - Mu!.constant!.data[c]! * ac;
  }
  const y = q.mulT(x, q.param(`${ctx.node.name}.a`, shape, a, "weight"));
  const z = q.addT(y, q.param(`${ctx.node.name}.b`, shape, b, y.scale));
  return [q.toScale(z, q.config.activationScale)];
};
