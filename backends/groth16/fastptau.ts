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
 * The file has the layout preparePhase2 writes (sections 1–7 and 12–15) and records the one
 * contribution the way `snarkjs powersoftau contribute` does on a new accumulator: the
 * proof-of-knowledge keys for τ, α, β bound to the first challenge hash, the response hash and
 * the next challenge hash, so `snarkjs powersoftau verify` accepts it. Speed comes from knowing
 * the secrets, not from where they come from: both generators run the same code.
 */
import { randomBytes } from "node:crypto";
import { blake2b } from "@noble/hashes/blake2.js";
import { ChaCha } from "ffjavascript";
import * as snarkjs from "snarkjs";
import { ZkcError } from "../../compiler/errors.js";
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

/** The three phase-1 secrets, and the base scalars of their proof-of-knowledge keys. */
interface Phase1Secrets {
  tau: bigint;
  alpha: bigint;
  beta: bigint;
  /** s with g1_s = s·G1 in the key of τ, α, β (snarkjs draws a random point; any nonzero s does) */
  keyBase: [bigint, bigint, bigint];
  /** the contributor's name written in the contributions section */
  name: string;
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
  const keyBase: [bigint, bigint, bigint] = [secret(seed, "tau key"), secret(seed, "alpha key"), secret(seed, "beta key")];
  return fastPtau(power, { tau: secret(seed, "tau"), alpha: secret(seed, "alpha"), beta: secret(seed, "beta"), keyBase, name: "zkc INSECURE seeded development setup" }, onSection);
}

/**
 * A prepared ptau of the given power from fresh CSPRNG secrets that are never stored, logged or
 * returned (they become unreachable when this call returns): a one-party ceremony, trusted by
 * whoever trusts the machine that ran it. Every call gives a different file.
 */
export async function fastRandomPtau(power: number, onSection?: (fraction: number) => void): Promise<Uint8Array> {
  const keyBase: [bigint, bigint, bigint] = [randomScalar(), randomScalar(), randomScalar()];
  return fastPtau(power, { tau: randomScalar(), alpha: randomScalar(), beta: randomScalar(), keyBase, name: "zkc local one-party setup" }, onSection);
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

  const phase1: [Curve, Uint8Array][] = [
    [G1, await geometric(G1, 2 * n - 1, 1n, tau)],
    [G2, await geometric(G2, n, 1n, tau)],
    [G1, await geometric(G1, n, alpha, tau)],
    [G1, await geometric(G1, n, beta, tau)],
    [G2, await geometric(G2, 1, beta, 1n)],
  ];
  phase1.forEach(([, bytes], i) => section(out, 2 + i, [bytes]));
  section(out, 7, [await contributions(curve, power, secrets, phase1)]);
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

// ---- the contributions section (what `snarkjs powersoftau verify` checks) ----

const newBlake2b = () => blake2b.create({ dkLen: 64 });
type Blake2b = ReturnType<typeof newBlake2b>;
/** Bytes per hash update: the sections of a large power are hundreds of MB. */
const HASH_CHUNK = 1 << 24;

function hashInChunks(h: Blake2b, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; at += HASH_CHUNK) h.update(bytes.subarray(at, at + HASH_CHUNK));
}

/** `count` copies of `block` into `h`, a few thousand at a time. */
function hashRepeated(h: Blake2b, block: Uint8Array, count: number): void {
  const perUpdate = Math.max(1, Math.min(count, Math.floor(HASH_CHUNK / block.length)));
  const many = new Uint8Array(perUpdate * block.length);
  for (let i = 0; i < perUpdate; i++) many.set(block, i * block.length);
  let left = count;
  for (; left >= perUpdate; left -= perUpdate) h.update(many);
  if (left > 0) h.update(many.subarray(0, left * block.length));
}

/** A point as uncompressed big-endian coordinates (the form the ptau hashes use). */
function uncompressed(G: Curve, p: Uint8Array): Uint8Array {
  const buff = new Uint8Array(G.F.n8 * 2);
  G.toRprUncompressed(buff, 0, p);
  return buff;
}

/** The challenge hash of a new accumulator of `power` (every section holds the generators). */
function firstChallengeHash(curve: Curve, power: number): Uint8Array {
  const { G1, G2 } = curve;
  const g1 = uncompressed(G1, G1.g);
  const g2 = uncompressed(G2, G2.g);
  const h = newBlake2b();
  h.update(newBlake2b().digest());
  hashRepeated(h, g1, 2 ** (power + 1) - 1);
  hashRepeated(h, g2, 2 ** power);
  hashRepeated(h, g1, 2 ** power);
  hashRepeated(h, g1, 2 ** power);
  h.update(g2);
  return h.digest();
}

/**
 * The unfinished response hash as snarkjs stores it in a contribution (its misc.toPartialHash):
 * blake2b's 128-byte block buffer, the eight 64-bit chaining words as sixteen little-endian u32
 * halves, then the bytes hashed before the buffer and the bytes in it, each as two u32 halves.
 * That is noble-hashes' internal state; the verify test fails if its layout ever changes.
 */
function partialHash(h: Blake2b): Uint8Array {
  const state = h as unknown as { buffer?: Uint8Array; pos?: number; length?: number; get?: () => number[] };
  const words = typeof state.get === "function" ? state.get.call(h) : undefined;
  if (!(state.buffer instanceof Uint8Array) || state.buffer.length !== 128 || words?.length !== 16 || typeof state.pos !== "number" || typeof state.length !== "number") {
    throw new ZkcError("INTERNAL", "this version of @noble/hashes keeps its blake2b state differently: cannot record the ptau response hash", {
      hint: "install the @noble/hashes version in zkc's package.json",
    });
  }
  const out = new Uint8Array(216);
  const view = new DataView(out.buffer);
  out.set(state.buffer, 0);
  words.forEach((w, i) => view.setUint32(128 + 4 * i, w >>> 0, true));
  const before = state.length - state.pos;
  view.setUint32(192, before % 2 ** 32, true);
  view.setUint32(196, Math.floor(before / 2 ** 32), true);
  view.setUint32(200, state.pos, true);
  return out;
}

/** g2_sp of a proof-of-knowledge key: a G2 point from ChaCha seeded by a hash of the key's G1 half. */
function keyG2Base(curve: Curve, personalisation: number, challenge: Uint8Array, g1s: Uint8Array, g1sx: Uint8Array): Uint8Array {
  const h = newBlake2b();
  h.update(new Uint8Array([personalisation]));
  h.update(challenge);
  h.update(uncompressed(curve.G1, g1s));
  h.update(uncompressed(curve.G1, g1sx));
  const digest = h.digest();
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const rng = new ChaCha(Array.from({ length: 8 }, (_, i) => view.getUint32(4 * i)));
  return curve.G2.fromRng(rng);
}

/**
 * The contributions section with the one contribution that took the new accumulator to these
 * sections: its first points, the keys proving knowledge of τ, α, β (g1_s, x·g1_s, x·g2_sp with
 * g2_sp hashed from the first challenge), the partial response hash, the next challenge hash.
 */
async function contributions(curve: Curve, power: number, secrets: Phase1Secrets, phase1: [Curve, Uint8Array][]): Promise<Uint8Array> {
  const { G1, G2, Fr } = curve;
  const challenge = firstChallengeHash(curve, power);
  const keys = [secrets.tau, secrets.alpha, secrets.beta].map((x, personalisation) => {
    const s = secrets.keyBase[personalisation]!;
    const g1s = G1.toAffine(G1.timesFr(G1.g, Fr.e(s)));
    const g1sx = G1.toAffine(G1.timesFr(G1.g, Fr.e(fieldMul(s, x))));
    const g2spx = G2.toAffine(G2.timesFr(keyG2Base(curve, personalisation, challenge, g1s, g1sx), Fr.e(x)));
    return { g1s, g1sx, g2spx };
  });
  const keyPoints: [Curve, Uint8Array][] = [...keys.flatMap((k) => [[G1, k.g1s] as [Curve, Uint8Array], [G1, k.g1sx] as [Curve, Uint8Array]]), ...keys.map((k) => [G2, k.g2spx] as [Curve, Uint8Array])];

  // response hash: challenge, the new sections compressed, the public key uncompressed
  const response = newBlake2b();
  response.update(challenge);
  for (const [G, bytes] of phase1) hashInChunks(response, new Uint8Array(await G.batchLEMtoC(bytes)));
  const partial = partialHash(response);
  for (const [G, p] of keyPoints) response.update(uncompressed(G, p));
  const responseHash = response.digest();
  // next challenge: the response hash and the new sections uncompressed
  const next = newBlake2b();
  next.update(responseHash);
  for (const [G, bytes] of phase1) hashInChunks(next, new Uint8Array(await G.batchLEMtoU(bytes)));
  const nextChallenge = next.digest();

  const lem = (G: Curve, p: Uint8Array) => {
    const buff = new Uint8Array(G.F.n8 * 2);
    G.toRprLEM(buff, 0, p);
    return buff;
  };
  const [tauG1, tauG2, alphaTauG1, betaTauG1, betaG2] = phase1.map(([, bytes]) => bytes);
  const out = new Out();
  out.u32(1); // one contribution
  out.push(tauG1!.slice(64, 128)); // τ·G1
  out.push(tauG2!.slice(128, 256)); // τ·G2
  out.push(alphaTauG1!.slice(0, 64)); // α·G1
  out.push(betaTauG1!.slice(0, 64)); // β·G1
  out.push(betaG2!.slice(0, 128)); // β·G2
  for (const [G, p] of keyPoints) out.push(lem(G, p));
  out.push(partial);
  out.push(nextChallenge);
  out.u32(0); // type: contribution (1 would be a beacon)
  const name = new TextEncoder().encode(secrets.name).slice(0, 64);
  out.u32(2 + name.length);
  out.push(new Uint8Array([1, name.length])); // parameter 1: name
  out.push(name);
  return out.bytes();
}
