/**
 * GKR kernel benchmark: prove / verify time and proof size for
 *  1. matmul [256, 256] x [256, 256] (private left operand, public weights), and with both private;
 *  2. a 3x3 convolution 16x32x32 -> 16x32x32 (pad 1) as an im2col gather + matmul;
 *  3. batch proving of a dense layer ([64, 256] x public [256, 256] + bias) for B = 1, 4, 16;
 * and the ratio prove time / integer inference time (evalPrim, the witness generator's semantics).
 * The output claim (the MLE of the output at a transcript point) is timed separately: in a bundle it
 * comes from the next kernel's proof.
 *
 * Run: npx tsx scripts/bench-gkr.ts [--reps N]
 */
import type { Prim } from "../compiler/quant/prim.js";
import { evalPrim } from "../compiler/quant/semantics.js";
import { kernels } from "../backends/math/kernels.js";
import { evaluateMle } from "../backends/math/mle.js";
import { Transcript } from "../backends/math/transcript.js";
import { proveKernel, verifyKernel, type Kernel, type KernelTensor } from "../backends/gkr/kernel.js";
import { proveKernelBatch, verifyKernelBatch } from "../backends/gkr/batch.js";
import { integerTable, numVarsOfShape } from "../backends/math/layout.js";
import { countFieldElements, type Claim } from "../backends/gkr/messages.js";

const repsArg = process.argv.indexOf("--reps");
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 3;

/** Deterministic integers in [-bound, bound] (xorshift). */
function ints(n: number, bound: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  return Float64Array.from({ length: n }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s % (2 * bound + 1)) - bound;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T): { ms: number; result: T } {
  const t0 = performance.now();
  const result = f();
  return { ms: performance.now() - t0, result };
}

interface Case {
  name: string;
  prims: Prim[];
  tensors: Record<string, KernelTensor>;
  inputs: Record<string, Float64Array>;
}

function bench(c: Case): void {
  const kernel: Kernel = { name: c.name, prims: c.prims, tensors: new Map(Object.entries(c.tensors)) };
  const env = new Map<string, Float64Array>(Object.entries(c.inputs));
  for (const [name, t] of Object.entries(c.tensors)) if (t.values) env.set(name, t.values);
  const inferMs: number[] = [];
  for (let r = 0; r < REPS; r++) {
    inferMs.push(
      time(() => {
        for (const p of c.prims) env.set(p.out, evalPrim(p, env));
      }).ms,
    );
  }
  const out = c.prims[c.prims.length - 1]!.out;
  const outShape = c.tensors[out]!.shape;
  const claimT = time(() => {
    const t = new Transcript("zkc/bench");
    const point = t.challenges("bench/point", numVarsOfShape(outShape));
    const claim: Claim = { tensor: out, point, value: evaluateMle(integerTable(env.get(out)!, outShape), point) };
    return claim;
  });
  const claim = claimT.result;
  const proveMs: number[] = [];
  const verifyMs: number[] = [];
  let size = 0;
  for (let r = 0; r < REPS + 1; r++) {
    const p = time(() => proveKernel(kernel, env, [claim], new Transcript("zkc/bench")));
    const v = time(() => verifyKernel(kernel, p.result.proof, [claim], new Transcript("zkc/bench")));
    if (!v.result.ok) throw new Error(`${c.name}: verification failed: ${v.result.reason}`);
    for (const ic of v.result.inputClaims) {
      const shape = c.tensors[ic.tensor]!.shape;
      if (evaluateMle(integerTable(env.get(ic.tensor)!, shape), ic.point) !== ic.value) throw new Error(`${c.name}: input claim on ${ic.tensor} is false`);
    }
    if (r === 0) continue; // warm-up
    proveMs.push(p.ms);
    verifyMs.push(v.ms);
    size = countFieldElements(p.result.proof);
  }
  const inf = median(inferMs);
  const pr = median(proveMs);
  console.log(
    `${c.name.padEnd(44)} infer ${inf.toFixed(1).padStart(7)} ms | output claim ${claimT.ms.toFixed(0).padStart(5)} ms | prove ${pr.toFixed(0).padStart(6)} ms | verify ${median(verifyMs).toFixed(0).padStart(6)} ms | proof ${String(size).padStart(5)} Fr = ${(size * 32 / 1024).toFixed(1)} KiB | prove/infer ${(pr / inf).toFixed(1)}x`,
  );
}

function matmulCase(bothPrivate: boolean): Case {
  const n = 256;
  const w = ints(n * n, 127, 2);
  return {
    name: `matmul 256x256 . 256x256 (${bothPrivate ? "both private" : "public weights"})`,
    prims: [{ op: "matmul", a: "x", b: "w", out: "y", batch: 1, bBatch: 1, m: n, k: n, n }],
    tensors: { x: { shape: [n, n] }, w: bothPrivate ? { shape: [n, n] } : { shape: [n, n], values: w }, y: { shape: [n, n] } },
    inputs: { x: ints(n * n, 127, 1), ...(bothPrivate ? { w } : {}) },
  };
}

function convCase(): Case {
  const C = 16, H = 32, W = 32, F = 16, K = 3;
  const cols = C * K * K;
  // im2col: row (y, x), column (c, ky, kx) reads in[c, y + ky - 1, x + kx - 1], or 0 outside (pad 1)
  const idx = new Int32Array(H * W * cols);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++)
        for (let ky = 0; ky < K; ky++)
          for (let kx = 0; kx < K; kx++) {
            const yy = y + ky - 1;
            const xx = x + kx - 1;
            const o = (y * W + x) * cols + c * K * K + ky * K + kx;
            idx[o] = yy < 0 || yy >= H || xx < 0 || xx >= W ? -1 : c * H * W + yy * W + xx;
          }
  return {
    name: "conv 3x3 16x32x32 -> 16 (im2col gather + matmul)",
    prims: [
      { op: "gather", sources: ["img"], out: "cols", idx },
      { op: "matmul", a: "cols", b: "kern", out: "y", batch: 1, bBatch: 1, m: H * W, k: cols, n: F },
    ],
    tensors: {
      img: { shape: [C, H, W] },
      cols: { shape: [H * W, cols] },
      kern: { shape: [cols, F], values: ints(cols * F, 127, 4) },
      y: { shape: [H * W, F] },
    },
    inputs: { img: ints(C * H * W, 127, 3) },
  };
}

console.log(`field kernels: ${kernels().kind}; reps ${REPS} (median; one warm-up)`);
bench(matmulCase(false));
bench(matmulCase(true));
bench(convCase());

function batchBench(): void {
  const m = 64, k = 256, n = 256;
  const w = ints(k * n, 127, 5);
  const bias = ints(n, 1000, 6);
  const prims: Prim[] = [
    { op: "matmul", a: "x", b: "w", out: "y", batch: 1, bBatch: 1, m, k, n },
    { op: "gather", sources: ["bias"], out: "bb", idx: Int32Array.from({ length: m * n }, (_, i) => i % n) },
    { op: "add", a: "y", b: "bb", out: "z" },
  ];
  const kernel: Kernel = {
    name: "dense",
    prims,
    tensors: new Map<string, KernelTensor>([
      ["x", { shape: [m, k] }], ["w", { shape: [k, n], values: w }], ["bias", { shape: [n], values: bias }],
      ["y", { shape: [m, n] }], ["bb", { shape: [m, n] }], ["z", { shape: [m, n] }],
    ]),
  };
  for (const B of [1, 4, 16]) {
    const list = Array.from({ length: B }, (_, i) => {
      const env = new Map<string, Float64Array>([["x", ints(m * k, 127, 100 + i)], ["w", w], ["bias", bias]]);
      for (const p of prims) env.set(p.out, evalPrim(p, env));
      return env;
    });
    const z = new Float64Array(B * m * n);
    list.forEach((e, i) => z.set(e.get("z")!, i * m * n));
    const t = new Transcript("zkc/bench");
    const point = t.challenges("bench/point", numVarsOfShape([B, m, n]));
    const claim: Claim = { tensor: "z", point, value: evaluateMle(integerTable(z, [B, m, n]), point) };
    const times: number[] = [];
    const vtimes: number[] = [];
    let size = 0;
    for (let r = 0; r < 2; r++) {
      const p = time(() => proveKernelBatch(kernel, list, [claim], new Transcript("zkc/bench")));
      const v = time(() => verifyKernelBatch(kernel, B, p.result.proof, [claim], new Transcript("zkc/bench")));
      if (!v.result.ok) throw new Error(`batch ${B}: ${v.result.reason}`);
      times.push(p.ms);
      vtimes.push(v.ms);
      size = countFieldElements(p.result.proof);
    }
    console.log(`dense [64,256]x[256,256]+bias, batch B = ${String(B).padEnd(3)}          prove ${Math.min(...times).toFixed(0).padStart(6)} ms (${(Math.min(...times) / B).toFixed(1)} ms/input) | verify ${Math.min(...vtimes).toFixed(0).padStart(5)} ms | proof ${String(size).padStart(4)} Fr = ${(size * 32 / 1024).toFixed(1)} KiB`);
  }
}
batchBench();
