/**
 * Field / sumcheck benchmark (`npm run bench:field`). Prints rates next to a plain bigint
 * `(a*b) % r` baseline measured in the same run. Each figure is the best of several repetitions
 * (the machine is shared; the best run is the least disturbed one). Every timed result is checked
 * against bigint arithmetic so a fast wrong kernel cannot report a number.
 *
 * Options: --quick (smaller sizes), --no-bigint-sumcheck (skip the slow bigint sumcheck reference).
 */
import * as snarkjs from "snarkjs";
import { FR_MODULUS as P, Fr, FrVector, batchInvert, innerProduct, readMont, vecAdd, vecAddScaledInts, vecMul, vecMulSmall, vecScaleInts } from "../backends/math/field.js";
import { kernels, useKernels } from "../backends/math/kernels.js";
import { proveSumcheck, verifySumcheck } from "../backends/math/sumcheck.js";
import { Transcript } from "../backends/math/transcript.js";
import { bestMs } from "./best-of.js";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const REPS = quick ? 3 : 5;

/** Deterministic 64-bit LCG -> field elements / small ints. */
function rng(seed: bigint) {
  let s = seed;
  const next = (): bigint => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return s;
  };
  return {
    field: (): bigint => ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) % P,
    int32: (bits: number): number => {
      const v = Number(next() >> 32n) % 2 ** bits;
      return Number(next() & 1n) ? -v : v;
    },
  };
}

const best = bestMs;

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`CHECK FAILED: ${what}`);
    process.exit(1);
  }
}

/** [name, elements per second]; ratios to the baseline are computed when printing. */
const rows: [string, number | null][] = [];
function row(name: string, perSecond: number): void {
  rows.push([name, perSecond]);
}

const N = 1 << 14;
const r = rng(1n);
const aBig = Array.from({ length: N }, r.field);
const bBig = Array.from({ length: N }, r.field);
const ks = Int32Array.from({ length: N }, () => r.int32(16));
const kBig = Array.from(ks, (k) => BigInt(k));

// bigint baselines
// bigint baselines: measured here and again at the end; the better (less disturbed) run counts.
const cBig = new Array<bigint>(N);
const smallBig = new Array<bigint>(N);
function bigintMulMs(): number {
  return best(REPS + 2, () => {
    for (let i = 0; i < N; i++) cBig[i] = (aBig[i]! * bBig[i]!) % P;
  });
}
function bigintSmallMs(): number {
  return best(REPS + 2, () => {
    for (let i = 0; i < N; i++) {
      const v = (aBig[i]! * kBig[i]!) % P;
      smallBig[i] = v < 0n ? v + P : v;
    }
  });
}
let bigMulMs = bigintMulMs();
let bigSmallMs = bigintSmallMs();

for (const kind of ["wasm", "ts"] as const) {
  if (useKernels(kind) !== kind) {
    rows.push([`${kind} kernels`, null]);
    continue;
  }
  const a = FrVector.fromBigints(aBig);
  const b = FrVector.fromBigints(bBig);
  const size = kind === "ts" ? N / 8 : N; // the fallback is slow; a smaller run is enough to rate it
  const as = a.subarray(0, size);
  const bs = b.subarray(0, size);
  let c = vecMul(as, bs);
  const mulMs = best(REPS, () => {
    c = vecMul(as, bs, c);
  });
  check(c.get(size - 1) === cBig[size - 1] && c.get(0) === cBig[0], `${kind} vecMul`);
  row(`${kind} batch vecMul (copy in/out)`, size / (mulMs / 1000));

  // raw kernel rate on the scratch heap (no copies): the ceiling the batch ops approach
  const k = kernels();
  const m = Math.min(size, 4096);
  k.heap.set(as.limbs.subarray(0, m * 8), 0);
  k.heap.set(bs.limbs.subarray(0, m * 8), m * 8);
  const rawMs = best(REPS, () => {
    for (let rep = 0; rep < 4; rep++) k.mul(2 * m, 0, m, m, 1);
  });
  row(`${kind} kernel mul on heap`, (4 * m) / (rawMs / 1000));

  // scalar: one element per call through the kernel (call overhead included)
  const scalarMs = best(REPS, () => {
    for (let i = 0; i < m; i++) k.mul(2 * m + i, i, m + i, 1, 1);
  });
  row(`${kind} kernel mul, one element per call`, m / (scalarMs / 1000));

  const kss = ks.subarray(0, size);
  let sm = vecMulSmall(as, kss);
  const smallMs = best(REPS, () => {
    sm = vecMulSmall(as, kss, sm);
  });
  check(sm.get(size - 1) === smallBig[size - 1] && sm.get(3) === smallBig[3], `${kind} vecMulSmall`);
  row(`${kind} field x small int (vecMulSmall)`, size / (smallMs / 1000));

  const s = aBig[5]!;
  let si = vecScaleInts(s, kss);
  const scaleIntsMs = best(REPS, () => {
    si = vecScaleInts(s, kss);
  });
  check(si.get(7) === Fr.fromSigned(s * kBig[7]!), `${kind} vecScaleInts`);
  row(`${kind} scalar x int vector (vecScaleInts)`, size / (scaleIntsMs / 1000));

  const accum = bs.clone();
  const axpyMs = best(REPS, () => {
    vecAddScaledInts(accum, s, kss);
  });
  // best() ran it REPS times: acc = b + REPS * s * k
  check(accum.get(4) === Fr.add(bBig[4]!, Fr.fromSigned(BigInt(REPS) * s * kBig[4]!)), `${kind} vecAddScaledInts`);
  row(`${kind} acc += s x int vector (vecAddScaledInts)`, size / (axpyMs / 1000));

  const fromMs = best(REPS, () => {
    si = FrVector.fromInt32(kss);
  });
  check(si.get(9) === Fr.fromSigned(kBig[9]!), `${kind} fromInt32`);
  row(`${kind} Int32Array -> FrVector`, size / (fromMs / 1000));

  let ip = 0n;
  const ipMs = best(REPS, () => {
    ip = innerProduct(as, bs);
  });
  let ipBig = 0n;
  for (let i = 0; i < size; i++) ipBig = (ipBig + cBig[i]!) % P;
  check(ip === ipBig, `${kind} innerProduct`);
  row(`${kind} innerProduct (mul+add)`, size / (ipMs / 1000));
}

// ffjavascript's wasm Fr (wasmcurves, what snarkjs uses) against ours on the same vectors. Both
// keep elements as 8 little-endian u32 Montgomery limbs with R = 2^256, so our limbs are copied
// into its wasm memory as they are. ffjavascript has no vector mul/add: its kernels take one
// element per call (frm_mul, frm_add), plus frm_batchInverse over a whole vector. Its wasm
// memory is a fixed small heap, so these run on 2^12 elements (rates are per element).
{
  const N = 4096;
  useKernels("wasm");
  const curve = (await snarkjs.curves.getCurveFromName("bn128", { singleThread: true })) as {
    Fr: { mul(a: Uint8Array, b: Uint8Array): Uint8Array; e(v: bigint): Uint8Array };
    tm: { alloc(bytes: number): number; u8: Uint8Array; instance: { exports: Record<string, (...a: number[]) => void> } };
    terminate(): Promise<void>;
  };
  const ex = curve.tm.instance.exports;
  const a = FrVector.fromBigints(aBig.slice(0, N));
  const b = FrVector.fromBigints(bBig.slice(0, N));
  const pa = curve.tm.alloc(N * 32);
  const pb = curve.tm.alloc(N * 32);
  const pc = curve.tm.alloc(N * 32);
  const mem = () => curve.tm.u8; // re-read: memory growth replaces the buffer
  mem().set(new Uint8Array(a.limbs.buffer, a.limbs.byteOffset, N * 32), pa);
  mem().set(new Uint8Array(b.limbs.buffer, b.limbs.byteOffset, N * 32), pb);
  const resultAt = (i: number) => readMont(new Uint32Array(mem().slice(pc + 32 * i, pc + 32 * i + 32).buffer), 0);

  const ffMulMs = best(REPS, () => {
    for (let i = 0; i < N; i++) ex.frm_mul!(pa + 32 * i, pb + 32 * i, pc + 32 * i);
  });
  check(resultAt(N - 1) === cBig[N - 1] && resultAt(0) === cBig[0], "ffjavascript frm_mul");
  row("ffjavascript frm_mul, one element per call", N / (ffMulMs / 1000));

  const sums = aBig.slice(0, N).map((x, i) => (x + bBig[i]!) % P);
  const ffAddMs = best(REPS, () => {
    for (let i = 0; i < N; i++) ex.frm_add!(pa + 32 * i, pb + 32 * i, pc + 32 * i);
  });
  check(resultAt(7) === sums[7] && resultAt(N - 1) === sums[N - 1], "ffjavascript frm_add");
  row("ffjavascript frm_add, one element per call", N / (ffAddMs / 1000));

  let ours = vecAdd(a, b);
  const oursAddMs = best(REPS, () => {
    ours = vecAdd(a, b, ours);
  });
  check(ours.get(7) === sums[7]! && ours.get(N - 1) === sums[N - 1]!, "vecAdd");
  row("wasm batch vecAdd (copy in/out)", N / (oursAddMs / 1000));

  // the public API: a fresh Uint8Array per operand and result
  const m = N / 4;
  const ea = aBig.slice(0, m).map((v) => curve.Fr.e(v));
  const eb = bBig.slice(0, m).map((v) => curve.Fr.e(v));
  const apiMs = best(REPS, () => {
    for (let i = 0; i < m; i++) curve.Fr.mul(ea[i]!, eb[i]!);
  });
  row("ffjavascript Fr.mul (API, copies per call)", m / (apiMs / 1000));

  // inverses of the whole vector
  const invs = [0, 1, N - 1].map((i) => Fr.inv(aBig[i]!));
  let inv = batchInvert(a);
  const oursInvMs = best(REPS, () => {
    inv = batchInvert(a, inv);
  });
  check([0, 1, N - 1].every((i, j) => inv.get(i) === invs[j]), "batchInvert");
  row("zkc batchInvert (Montgomery's trick)", N / (oursInvMs / 1000));
  const ffInvMs = best(REPS, () => {
    ex.frm_batchInverse!(pa, 32, N, pc, 32);
  });
  check([0, 1, N - 1].every((i, j) => resultAt(i) === invs[j]), "ffjavascript frm_batchInverse");
  row("ffjavascript frm_batchInverse", N / (ffInvMs / 1000));
  const one = 64;
  const scalarInvMs = best(REPS, () => {
    for (let i = 0; i < one; i++) Fr.inv(aBig[i]!);
  });
  row("zkc Fr.inv (bigint, one element)", one / (scalarInvMs / 1000));
  const ffOneInvMs = best(REPS, () => {
    for (let i = 0; i < one; i++) ex.frm_inverse!(pa + 32 * i, pc + 32 * i);
  });
  check(resultAt(1) === invs[1], "ffjavascript frm_inverse");
  row("ffjavascript frm_inverse (one element)", one / (ffOneInvMs / 1000));
  await curve.terminate();
}

// Sumcheck over a product of two 2^n multilinears.
useKernels("wasm");
const logN = quick ? 16 : 20;
const SN = 1 << logN;
const fa = FrVector.fromBigints(Array.from({ length: SN }, r.field));
const fb = FrVector.fromBigints(Array.from({ length: SN }, r.field));
const claim = innerProduct(fa, fb);
const inst = { polys: [fa, fb], terms: [{ coeff: 1n, factors: [0, 1] }] };
const sumcheckRows: string[] = [];
for (const kind of ["wasm", "ts"] as const) {
  if (kind === "ts" && !args.has("--ts-sumcheck")) continue;
  useKernels(kind);
  let out = proveSumcheck(inst, new Transcript("bench"), claim);
  const withClaimMs = best(quick ? 2 : 3, () => {
    out = proveSumcheck(inst, new Transcript("bench"), claim);
  });
  const verdict = verifySumcheck(claim, logN, 2, out.proof, new Transcript("bench"));
  check(verdict.ok && verdict.claimedEval === Fr.mul(out.polyEvals[0]!, out.polyEvals[1]!), "sumcheck verifies");
  const noClaimMs = best(quick ? 2 : 3, () => {
    out = proveSumcheck(inst, new Transcript("bench"));
  });
  check(out.claim === claim, "prover-computed claim");
  const vMs = best(REPS, () => {
    verifySumcheck(claim, logN, 2, out.proof, new Transcript("bench"));
  });
  sumcheckRows.push(
    `${kind}: prove Σ f·g over 2^${logN}: ${withClaimMs.toFixed(0)} ms (claim given), ${noClaimMs.toFixed(0)} ms (prover computes the claim); verify ${vMs.toFixed(1)} ms`,
  );
}

// The GKR shape: sum_x eq(r, x)·A(x)·B(x) (degree 3) over 2^logN.
{
  useKernels("wasm");
  const { eqTable } = await import("../backends/math/mle.js");
  const eq = eqTable(Array.from({ length: logN }, r.field));
  const gkr = { polys: [eq, fa, fb], terms: [{ coeff: 1n, factors: [0, 1, 2] }] };
  let out = proveSumcheck(gkr, new Transcript("bench"));
  const ms = best(quick ? 2 : 3, () => {
    out = proveSumcheck(gkr, new Transcript("bench"), out.claim);
  });
  const v = verifySumcheck(out.claim, logN, 3, out.proof, new Transcript("bench"));
  check(v.ok && v.claimedEval === Fr.mul(Fr.mul(out.polyEvals[0]!, out.polyEvals[1]!), out.polyEvals[2]!), "eq sumcheck verifies");
  sumcheckRows.push(`wasm: prove Σ eq·A·B over 2^${logN} (degree 3, claim given): ${ms.toFixed(0)} ms`);
}

// Reference: the same sumcheck with plain bigint arithmetic (round evaluations at 0 and 2, folds).
if (!args.has("--no-bigint-sumcheck")) {
  const fBig = fa.toBigints();
  const gBig = fb.toBigints();
  const t0 = performance.now();
  let f = fBig;
  let g = gBig;
  const tr = new Transcript("bench-bigint");
  for (let round = 0; round < logN; round++) {
    const half = f.length / 2;
    let e0 = 0n;
    let e2 = 0n;
    for (let i = 0; i < half; i++) {
      e0 += f[i]! * g[i]!;
      e2 += (2n * f[half + i]! - f[i]!) * (2n * g[half + i]! - g[i]!);
    }
    tr.absorbFields("round", [e0 % P, ((e2 % P) + P) % P]);
    const ch = tr.challenge("c");
    const nf = new Array<bigint>(half);
    const ng = new Array<bigint>(half);
    for (let i = 0; i < half; i++) {
      nf[i] = (((f[i]! + ch * (f[half + i]! - f[i]!)) % P) + P) % P;
      ng[i] = (((g[i]! + ch * (g[half + i]! - g[i]!)) % P) + P) % P;
    }
    f = nf;
    g = ng;
  }
  sumcheckRows.push(`bigint reference (lazy reduction): Σ f·g over 2^${logN}: ${(performance.now() - t0).toFixed(0)} ms`);
}

bigMulMs = Math.min(bigMulMs, bigintMulMs());
bigSmallMs = Math.min(bigSmallMs, bigintSmallMs());
const baseline = N / (bigMulMs / 1000);
rows.unshift(["bigint (a*b) % r  [baseline]", baseline], ["bigint (a*k) % r, |k| < 2^16", N / (bigSmallMs / 1000)]);
console.log(`BN254 Fr, one thread, vectors of 2^14 (ts kernels: 2^11); best of ${REPS}; ratio = rate / bigint (a*b) % r`);
const w0 = Math.max(...rows.map((x) => x[0].length));
for (const [name, rate] of rows) {
  const shown = rate === null ? "unavailable" : `${(rate / 1e6).toFixed(2)} M/s`;
  const ratio = rate === null ? "" : `${(rate / baseline).toFixed(1)}x`;
  console.log(`  ${name.padEnd(w0)}  ${shown.padStart(12)}  ${ratio.padStart(7)}`);
}
for (const line of sumcheckRows) console.log(`  ${line}`);
