/**
 * A fast generator for prepared powers of tau whose generator knows the secrets τ, α, β: either
 * drawn from the OS's cryptographic RNG and forgotten (`fastRandomPtau`, zkc's default: a
 * single-party local ceremony, see docs/trust.md) or derived from a public seed
 * (`fastDevPtau`: insecure, anyone can recompute the secrets and forge proofs; tests only).
 *
 * snarkjs's own path (new accumulator, beacon, preparePhase2) spends almost all of its time in
 * preparePhase2, which turns τ^i·G into Lagrange-basis points with group FFTs per domain size.
 * Knowing τ, α and β we can instead run those FFTs on scalars (`Fr.ifft`, the same code and
 * conventions as the group FFT, so by linearity the result is identical) and do one fixed-base
 * multiplication per output point. Geometric sections (τ^i·G) use `batchApplyKey`.
 *
 * The file has the layout preparePhase2 writes (sections 1–7 and 12–15) with an empty
 * contributions list, so `snarkjs powersoftau verify` does not accept it; zKey.newZKey, prove and
 * verify do. Speed comes from knowing the secrets, not from where they come from: both
 * generators run the same code.
 */
import { randomBytes } from "node:crypto";
import * as snarkjs from "snarkjs";
import { fieldMod, fieldMul } from "./field.js";
import { sha256Hex } from "./formats.js";

/** ffjavascript's curve object (untyped). */
type Curve = any;

const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

class Out {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.push(b);
  }
  u64(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.push(b);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function section(out: Out, type: number, parts: Uint8Array[]): void {
  out.u32(type);
  out.u64(parts.reduce((s, p) => s + p.length, 0));
  for (const p of parts) out.push(p);
}

/** The three phase-1 secrets. */
interface Phase1Secrets {
  tau: bigint;
  alpha: bigint;
  beta: bigint;
}

/** Secret scalar for `label`, derived from the public seed (never 0). */
function secret(seed: string, label: string): bigint {
  return fieldMod(BigInt("0x" + sha256Hex(seed, "/", label))) || 1n;
}

/** A uniformly random nonzero scalar: 64 bytes from the CSPRNG reduced mod r (bias < 2^-250). */
function randomScalar(): bigint {
  for (;;) {
    const s = fieldMod(BigInt("0x" + randomBytes(64).toString("hex")));
    if (s !== 0n) return s;
  }
}

/** n copies of the group generator (affine, LEM) — input for batchApplyKey. */
function generators(G: Curve, n: number): Uint8Array {
  const one: Uint8Array = G.oneAffine;
  const buff = new Uint8Array(n * one.length);
  for (let i = 0; i < n; i++) buff.set(one, i * one.length);
  return buff;
}

/** first·inc^i·G for i < n, as affine LEM points. */
async function geometric(G: Curve, n: number, first: bigint, inc: bigint): Promise<Uint8Array> {
  return new Uint8Array(await G.batchApplyKey(generators(G, n), first, inc));
}

/**
 * Lagrange-basis points for the domain of size 2^q: G.ifft of [first·τ^i·G], computed as the
 * scalar ifft of [first·τ^i] followed by one generator multiplication per entry. `zeroLast`
 * replaces the last input by 0 (snarkjs pads tauG1, which has 2^(p+1) - 1 points, that way).
 */
async function lagrange(curve: Curve, G: Curve, q: number, first: bigint, tau: bigint, zeroLast: boolean): Promise<Uint8Array> {
  const Fr = curve.Fr;
  const n = 2 ** q;
  const scalars = new Uint8Array(n * Fr.n8);
  let s = fieldMod(first);
  for (let i = 0; i < n; i++) {
    scalars.set(Fr.e(zeroLast && i === n - 1 ? 0n : s), i * Fr.n8);
    s = fieldMul(s, tau);
  }
  const evals: Uint8Array = await Fr.ifft(scalars);
  const sG = G.F.n8 * 2;
  const out = new Uint8Array(n * sG);
  for (let i = 0; i < n; i++) {
    const p = G.timesFr(G.oneAffine, evals.slice(i * Fr.n8, (i + 1) * Fr.n8));
    G.toRprLEM(out, i * sG, p);
  }
  return out;
}

/**
 * INSECURE: a prepared ptau of the given power whose secrets are derived from the public `seed`,
 * deterministic and byte-reproducible. Anyone who knows the seed can forge proofs against keys
 * built on it: only for fast deterministic tests (`insecureSeededSetup`).
 * @param onSection called with a fraction in [0, 1] as sections complete
 */
export async function fastDevPtau(power: number, seed: string, onSection?: (fraction: number) => void): Promise<Uint8Array> {
  return fastPtau(power, { tau: secret(seed, "tau"), alpha: secret(seed, "alpha"), beta: secret(seed, "beta") }, onSection);
}

/**
 * A prepared ptau of the given power from fresh CSPRNG secrets that are never stored, logged or
 * returned (they become unreachable when this call returns): a one-party ceremony, trusted by
 * whoever trusts the machine that ran it. Every call gives a different file.
 */
export async function fastRandomPtau(power: number, onSection?: (fraction: number) => void): Promise<Uint8Array> {
  return fastPtau(power, { tau: randomScalar(), alpha: randomScalar(), beta: randomScalar() }, onSection);
}

async function fastPtau(power: number, secrets: Phase1Secrets, onSection?: (fraction: number) => void): Promise<Uint8Array> {
  const curve: Curve = await snarkjs.curves.getCurveFromName("bn128");
  const { G1, G2 } = curve;
  const { tau, alpha, beta } = secrets;
  const n = 2 ** power;

  const out = new Out();
  for (const c of "ptau") out.push(new Uint8Array([c.charCodeAt(0)]));
  out.u32(1); // version
  out.u32(11); // sections 1-7, 12-15

  const header = new Out();
  header.u32(32);
  const q = new Uint8Array(32);
  let x = BN254_Q;
  for (let i = 0; i < 32; i++, x >>= 8n) q[i] = Number(x & 0xffn);
  header.push(q);
  header.u32(power);
  header.u32(power); // ceremony power
  section(out, 1, [header.bytes()]);

  section(out, 2, [await geometric(G1, 2 * n - 1, 1n, tau)]);
  section(out, 3, [await geometric(G2, n, 1n, tau)]);
  section(out, 4, [await geometric(G1, n, alpha, tau)]);
  section(out, 5, [await geometric(G1, n, beta, tau)]);
  section(out, 6, [await geometric(G2, 1, beta, 1n)]);
  const noContributions = new Out();
  noContributions.u32(0);
  section(out, 7, [noContributions.bytes()]);
  onSection?.(0.1);

  const plan: [number, Curve, bigint, number][] = [
    [12, G1, 1n, power + 1],
    [13, G2, 1n, power],
    [14, G1, alpha, power],
    [15, G1, beta, power],
  ];
  for (const [id, G, first, maxQ] of plan) {
    const parts: Uint8Array[] = [];
    for (let qq = 0; qq <= maxQ; qq++) parts.push(await lagrange(curve, G, qq, first, tau, id === 12 && qq === power + 1));
    section(out, id, parts);
    onSection?.(0.1 + (0.9 * (id - 11)) / 4);
  }
  return out.bytes();
}
