// The plain-loop implementation this op had before the blocked matmul (issue 17), kept as the
// oracle of test/ops/nn/fast-kernels.test.ts. Do not optimise it.
/**
 * MatMul (opset 1, 9, 13: same semantics, only the type list grew): numpy matmul. 1-D operands
 * are promoted (A: [K] -> [1, K], B: [K] -> [K, 1]) and the added axis removed from the result;
 * batch dims broadcast numpy-style.
 */
import { type Tensor, shapeToString, sizeOf, storeAs, tensor } from "../../../../compiler/ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, shapeError } from "../../../../compiler/ops/op.js";
import { broadcastIndex, broadcastShapes } from "../../../../compiler/ops/util/broadcast.js";

/** Resolved MatMul problem: batch shape, per-operand batch shapes, M, K, N and the output shape. */
export interface MatMulPlan {
  batchShape: number[];
  aBatch: number[];
  bBatch: number[];
  m: number;
  k: number;
  n: number;
  outShape: number[];
}

/**
 * Shapes of a numpy matmul of `a` by `b`.
 * @throws ZkcError SHAPE on a scalar operand, an inner-dimension mismatch or unbroadcastable batch dims
 */
export function matmulPlan(ctx: OpContext, a: readonly number[], b: readonly number[]): MatMulPlan {
  if (a.length === 0 || b.length === 0) {
    throw shapeError(ctx, "MatMul operands must have rank >= 1", "rank >= 1", `${shapeToString(a)} x ${shapeToString(b)}`);
  }
  const a2 = a.length === 1 ? [1, a[0]!] : [...a];
  const b2 = b.length === 1 ? [b[0]!, 1] : [...b];
  const m = a2[a2.length - 2]!;
  const k = a2[a2.length - 1]!;
  const kb = b2[b2.length - 2]!;
  const n = b2[b2.length - 1]!;
  if (k !== kb) {
    throw shapeError(ctx, "MatMul inner dimensions differ", `A [..., M, K] x B [..., K, N] with equal K`, `${shapeToString(a)} x ${shapeToString(b)}`);
  }
  const aBatch = a2.slice(0, -2);
  const bBatch = b2.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch);
  if (!batchShape) {
    throw shapeError(ctx, "MatMul batch dimensions do not broadcast", "numpy-broadcastable batch dims", `${shapeToString(a)} x ${shapeToString(b)}`);
  }
  const outShape = [...batchShape];
  if (a.length > 1) outShape.push(m);
  if (b.length > 1) outShape.push(n);
  return { batchShape, aBatch, bBatch, m, k, n, outShape };
}

/**
 * out[b] = A[b] (M x K) times B[b] (K x N), row-major, accumulated in float64; `out` must be zeroed.
 * Shared by MatMul and Gemm-like callers that already have flat buffers.
 */
export function matmulInto(
  out: Float64Array,
  outOff: number,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
): void {
  // i-k-j order: the inner loop walks rows of B and of the output contiguously
  for (let i = 0; i < m; i++) {
    const oRow = outOff + i * n;
    const aRow = aOff + i * k;
    for (let kk = 0; kk < k; kk++) {
      const av = a[aRow + kk]!;
      const bRow = bOff + kk * n;
      for (let j = 0; j < n; j++) out[oRow + j]! += av * b[bRow + j]!;
    }
  }
}

function inferMatMul(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
  const a = required(ctx, inputs, 0);
  const b = required(ctx, inputs, 1);
  if (a.dtype !== b.dtype) throw shapeError(ctx, "MatMul operands have different dtypes", a.dtype, b.dtype);
  return [{ dtype: a.dtype, shape: matmulPlan(ctx, a.shape, b.shape).outShape }];
}

function runMatMul(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
  const a = required(ctx, inputs, 0);
  const b = required(ctx, inputs, 1);
  const p = matmulPlan(ctx, a.shape, b.shape);
  const batches = sizeOf(p.batchShape);
  const aIdx = broadcastIndex(p.aBatch, p.batchShape);
  const bIdx = broadcastIndex(p.bBatch, p.batchShape);
  const mk = p.m * p.k;
  const kn = p.k * p.n;
  const mn = p.m * p.n;
  const out = new Float64Array(batches * mn);
  for (let t = 0; t < batches; t++) matmulInto(out, t * mn, a.data, aIdx[t]! * mk, b.data, bIdx[t]! * kn, p.m, p.k, p.n);
  if (a.dtype !== "float64") for (let i = 0; i < out.length; i++) out[i] = storeAs(a.dtype, out[i]!);
  return [tensor(a.dtype, p.outShape, out)];
}

/** MatMul, opset 1 onward. */
export const MatMul_1: OpDef = { opType: "MatMul", sinceVersion: 1, infer: inferMatMul, run: runMatMul };
