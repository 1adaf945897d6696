/**
 * Blocked float64 matrix multiply for the float interpreter: C[i, j] += Σ_kk A[i, kk] · B[kk, j]
 * over packed panels with a 4x4 register tile. MatMul, Gemm and Conv (im2col) run on it.
 *
 * Results are bit-identical to the plain loops the ops had before (test/ops/nn/fast-kernels.test.ts
 * keeps those as the oracle): every output element still adds its products one at a time in
 * increasing kk order, starting from C's value. Blocking changes only which elements are worked
 * on together, never the order of any element's own additions. With `segment = S > 0`, products
 * are summed per run of S consecutive kk from 0 and each run's sum is then added to C: Conv's
 * reference adds one partial sum per input channel (S = kernel size).
 */

/** Fills `buf` with B[k0 .. k0+kc) x [j0 .. j0+nc) in 4-column panels: buf[(p·kc + kk)·4 + q] = B[k0+kk, j0+4p+q], 0 past nc. */
export type PackB = (buf: Float64Array, k0: number, kc: number, j0: number, nc: number) => void;

/** A as strided storage: A[i, kk] = data[off + i·rowStride + kk·colStride]. */
export interface StridedMatrix {
  data: Float64Array;
  off: number;
  rowStride: number;
  colStride: number;
}

const MR = 4;
const NR = 4;
/** reduction block: A and B panels of KC x 4 doubles (8 KiB each) stay in L1 */
const KC = 256;
/** column block: a KC x NC block of B (256 KiB) stays in L2 */
const NC = 128;

/** Packs B from strided storage (B[kk, j] = data[off + kk·rowStride + j·colStride]). */
export function stridedPackB(b: StridedMatrix): PackB {
  const { data, off, rowStride, colStride } = b;
  return (buf, k0, kc, j0, nc) => {
    const panels = Math.ceil(nc / NR);
    for (let p = 0; p < panels; p++) {
      const w = Math.min(NR, nc - p * NR);
      let dst = p * kc * NR;
      for (let kk = 0; kk < kc; kk++, dst += NR) {
        const src = off + (k0 + kk) * rowStride + (j0 + p * NR) * colStride;
        for (let q = 0; q < w; q++) buf[dst + q] = data[src + q * colStride]!;
        for (let q = w; q < NR; q++) buf[dst + q] = 0;
      }
    }
  };
}

function packA(buf: Float64Array, a: StridedMatrix, m: number, k0: number, kc: number): void {
  const { data, off, rowStride, colStride } = a;
  const panels = Math.ceil(m / MR);
  for (let p = 0; p < panels; p++) {
    const h = Math.min(MR, m - p * MR);
    let dst = p * kc * MR;
    for (let kk = 0; kk < kc; kk++, dst += MR) {
      const src = off + (p * MR) * rowStride + (k0 + kk) * colStride;
      for (let q = 0; q < h; q++) buf[dst + q] = data[src + q * rowStride]!;
      for (let q = h; q < MR; q++) buf[dst + q] = 0;
    }
  }
}

/**
 * C[i, j] (stored at c[cOff + i·ldc + j]) += A·B for i < m, j < n over the reduction length k.
 * `segment` 0 adds each product to C directly (MatMul, Gemm); S > 0 sums runs of S first (Conv).
 */
export function gemmAccumulate(c: Float64Array, cOff: number, ldc: number, a: StridedMatrix, packB: PackB, m: number, n: number, k: number, segment = 0): void {
  if (m === 0 || n === 0 || k === 0) return;
  // a KC block must hold whole segments, so a segment's partial sum never spans two blocks
  const kcMax = segment > 0 ? segment * Math.max(1, Math.floor(KC / segment)) : KC;
  const aPanels = Math.ceil(m / MR);
  const ap = new Float64Array(aPanels * kcMax * MR);
  const bp = new Float64Array(Math.ceil(Math.min(n, NC) / NR) * kcMax * NR);
  const tile = new Float64Array(MR * NR);
  for (let k0 = 0; k0 < k; k0 += kcMax) {
    const kc = Math.min(kcMax, k - k0);
    packA(ap, a, m, k0, kc);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = Math.min(NC, n - j0);
      packB(bp, k0, kc, j0, nc);
      const bPanels = Math.ceil(nc / NR);
      for (let ip = 0; ip < aPanels; ip++) {
        const i = ip * MR;
        const h = Math.min(MR, m - i);
        for (let jp = 0; jp < bPanels; jp++) {
          const j = j0 + jp * NR;
          const w = Math.min(NR, n - j);
          // load the C tile (lanes past the edges stay 0 and are not stored)
          for (let q = 0; q < MR * NR; q++) tile[q] = 0;
          for (let r = 0; r < h; r++) for (let s = 0; s < w; s++) tile[r * NR + s] = c[cOff + (i + r) * ldc + j + s]!;
          if (segment > 0) kernelSegmented(tile, ap, ip * kc * MR, bp, jp * kc * NR, kc, segment);
          else kernel(tile, ap, ip * kc * MR, bp, jp * kc * NR, kc);
          for (let r = 0; r < h; r++) for (let s = 0; s < w; s++) c[cOff + (i + r) * ldc + j + s] = tile[r * NR + s]!;
        }
      }
    }
  }
}

/** tile += Σ_kk a[:, kk] ⊗ b[kk, :], one product at a time per element. */
function kernel(t: Float64Array, a: Float64Array, ao: number, b: Float64Array, bo: number, kc: number): void {
  let c00 = t[0]!, c01 = t[1]!, c02 = t[2]!, c03 = t[3]!;
  let c10 = t[4]!, c11 = t[5]!, c12 = t[6]!, c13 = t[7]!;
  let c20 = t[8]!, c21 = t[9]!, c22 = t[10]!, c23 = t[11]!;
  let c30 = t[12]!, c31 = t[13]!, c32 = t[14]!, c33 = t[15]!;
  for (let kk = 0; kk < kc; kk++, ao += 4, bo += 4) {
    const a0 = a[ao]!, a1 = a[ao + 1]!, a2 = a[ao + 2]!, a3 = a[ao + 3]!;
    const b0 = b[bo]!, b1 = b[bo + 1]!, b2 = b[bo + 2]!, b3 = b[bo + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
}

/**
 * tile += Σ_runs (Σ_{kk in run} a[:, kk] ⊗ b[kk, :]), runs of `seg` consecutive kk; kc is a
 * multiple of seg. Only the run's partial sums live in locals (16 doubles): the running totals
 * stay in `t`, since 32 live accumulators would spill inside the inner loop.
 */
function kernelSegmented(t: Float64Array, a: Float64Array, ao: number, b: Float64Array, bo: number, kc: number, seg: number): void {
  for (let s0 = 0; s0 < kc; s0 += seg) {
    let p00 = 0, p01 = 0, p02 = 0, p03 = 0;
    let p10 = 0, p11 = 0, p12 = 0, p13 = 0;
    let p20 = 0, p21 = 0, p22 = 0, p23 = 0;
    let p30 = 0, p31 = 0, p32 = 0, p33 = 0;
    for (let kk = 0; kk < seg; kk++, ao += 4, bo += 4) {
      const a0 = a[ao]!, a1 = a[ao + 1]!, a2 = a[ao + 2]!, a3 = a[ao + 3]!;
      const b0 = b[bo]!, b1 = b[bo + 1]!, b2 = b[bo + 2]!, b3 = b[bo + 3]!;
      p00 += a0 * b0; p01 += a0 * b1; p02 += a0 * b2; p03 += a0 * b3;
      p10 += a1 * b0; p11 += a1 * b1; p12 += a1 * b2; p13 += a1 * b3;
      p20 += a2 * b0; p21 += a2 * b1; p22 += a2 * b2; p23 += a2 * b3;
      p30 += a3 * b0; p31 += a3 * b1; p32 += a3 * b2; p33 += a3 * b3;
    }
    t[0]! += p00; t[1]! += p01; t[2]! += p02; t[3]! += p03;
    t[4]! += p10; t[5]! += p11; t[6]! += p12; t[7]! += p13;
    t[8]! += p20; t[9]! += p21; t[10]! += p22; t[11]! += p23;
    t[12]! += p30; t[13]! += p31; t[14]! += p32; t[15]! += p33;
  }
}
