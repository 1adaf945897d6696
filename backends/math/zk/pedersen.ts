/**
 * Hiding Pedersen commitments over BN254 G1 (perfectly hiding, binding under discrete log).
 *
 *   scalar:  Com(v; r)    = v·g + r·H
 *   vector:  Com(x⃗; r)    = sum_j x_j·G_j + r·H
 *
 * g, H and the G_j are hash-to-curve points (commit/generators.ts) of distinct families, so nobody
 * knows a discrete-log relation between them: H is generator 0 of "zkc/zk/v1/blinding", g is
 * generator 0 of "zkc/zk/v1/value", and G_j are the Hyrax column generators (the family of
 * commit/hyrax.ts, so a Hyrax row commitment and the dot-product protocol use the same G_j).
 * With r uniform, Com(v; r) is a uniform group element whatever v is: that is the hiding.
 *
 * Blinding factors come from a `BlindingRng`: `cryptoBlindingRng()` (crypto.getRandomValues, the
 * only one for real proofs) or `seededBlindingRng(seed)` (deterministic, for tests and benchmarks).
 *
 * Verifiers do not compute group elements one by one: they collect equations
 * sum_i scalars[i]·points[i] = 0 (`MsmCheck`, as in hyrax.ts) and check them all in one MSM
 * (`verifyMsmChecks`). A `LinComb` is a point given as such a combination (a commitment the
 * verifier derives homomorphically, e.g. sum_i L_i·C_i), added into a check without evaluating it.
 */
import { FR_MODULUS, Fr } from "../field.js";
import { sha256 } from "../sha256.js";
import type { Transcript } from "../transcript.js";
import { COMPRESSED_POINT_BYTES, G1, compressPoint, decompressPoint, isG1Point, type G1Point } from "../commit/curve.js";
import { generators, hashToG1 } from "../commit/generators.js";
import { HYRAX_LABEL, type MsmCheck } from "../commit/hyrax.js";

/** Family of the blinding generator H. */
export const BLINDING_LABEL = "zkc/zk/v1/blinding";
/** Family of the value generator g of scalar commitments. */
export const VALUE_LABEL = "zkc/zk/v1/value";

/**
 * The prover multiplies the same few bases over and over (every scalar commitment is v·g + r·H), so
 * they get noble's wNAF window tables on first use by a prover: window 8 for g and H (about 50 ms
 * once each, multiplications about 2.3x faster than window 4, 5x faster than none), window 4 for
 * the short-vector generators. Verifiers only put these points into MSMs and never pay for tables.
 */
const prepared = new WeakSet<G1Point>();
function fixedBase(p: G1Point, window: number): G1Point {
  if (!prepared.has(p)) {
    p.precompute(window, false);
    prepared.add(p);
  }
  return p;
}

let cachedH: G1Point | undefined;
let cachedG: G1Point | undefined;

/** H: the blinding generator. */
export function blindingGenerator(): G1Point {
  cachedH ??= hashToG1(BLINDING_LABEL, 0);
  return cachedH;
}

/** g: the value generator of scalar commitments. */
export function valueGenerator(): G1Point {
  cachedG ??= hashToG1(VALUE_LABEL, 0);
  return cachedG;
}

/** G_0..G_{n-1}: the vector generators (the Hyrax column generators). */
export function vectorGenerators(n: number): readonly G1Point[] {
  return generators(HYRAX_LABEL, n);
}

/** r·H on the prover's side (the table-backed multiplication). */
export function blindingTimes(r: bigint): G1Point {
  return scalePoint(fixedBase(blindingGenerator(), 8), r);
}

/** A committed value and its blinding factor (what the prover keeps). */
export interface Opening {
  value: bigint;
  blinding: bigint;
}

/** A source of uniform blinding factors in Fr. */
export interface BlindingRng {
  /** A uniform element of Fr. */
  scalar(): bigint;
}

/**
 * Blinding factors from the platform CSPRNG (crypto.getRandomValues, in Node and browsers):
 * 64 random bytes reduced mod r (statistical distance from uniform < 2^-258).
 * @throws Error when the platform has no crypto.getRandomValues
 */
export function cryptoBlindingRng(): BlindingRng {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c?.getRandomValues) throw new Error("cryptoBlindingRng: this platform has no crypto.getRandomValues; zero-knowledge proving needs a CSPRNG");
  return {
    scalar: () => Fr.fromBytesWide(c.getRandomValues!(new Uint8Array(64))),
  };
}

/**
 * Deterministic blinding factors from a seed (SHA-256 in counter mode). **Tests and benchmarks
 * only**: anyone who knows the seed can open every commitment.
 */
export function seededBlindingRng(seed: string): BlindingRng {
  const base = new TextEncoder().encode(`zkc/zk/seeded-blinding/v1/${seed}`);
  let counter = 0;
  const block = (c: number, half: number): Uint8Array => {
    const msg = new Uint8Array(base.length + 5);
    msg.set(base, 0);
    new DataView(msg.buffer).setUint32(base.length, c, true);
    msg[base.length + 4] = half;
    return sha256(msg);
  };
  return {
    scalar: () => {
      const wide = new Uint8Array(64);
      wide.set(block(counter, 0), 0);
      wide.set(block(counter, 1), 32);
      counter++;
      return Fr.fromBytesWide(wide);
    },
  };
}

/** s·P for a canonical scalar (noble rejects 0 as a multiplier). */
export function scalePoint(p: G1Point, s: bigint): G1Point {
  return s === 0n || p.is0() ? G1.ZERO : p.multiply(s);
}

/**
 * sum_i scalars[i]·points[i], synchronously, one multiplication per term: for the short sums of
 * the Σ-protocols and round polynomials (long ones go to an `MsmEngine`).
 */
export function msmSync(points: readonly G1Point[], scalars: readonly bigint[]): G1Point {
  if (points.length !== scalars.length) throw new RangeError(`msmSync: expected one scalar per point, got ${scalars.length} for ${points.length}`);
  let acc = G1.ZERO;
  for (let i = 0; i < points.length; i++) acc = acc.add(scalePoint(points[i]!, scalars[i]!));
  return acc;
}

/** Com(v; r) = v·g + r·H (the prover's side: table-backed multiplications). */
export function commitScalar(value: bigint, blinding: bigint): G1Point {
  return scalePoint(fixedBase(valueGenerator(), 8), value).add(blindingTimes(blinding));
}

/** Vectors up to this length get window tables for their generators (longer ones go to an MSM engine). */
const FIXED_BASE_VECTOR = 8;

/** Com(x⃗; r) = sum_j x_j·G_j + r·H (synchronous; for short vectors). */
export function commitVector(values: readonly bigint[], blinding: bigint): G1Point {
  const gens = vectorGenerators(values.length);
  if (gens.length <= FIXED_BASE_VECTOR) gens.forEach((g) => fixedBase(g, 4));
  return msmSync(gens, values).add(blindingTimes(blinding));
}

/** A fresh opening of `value` with a blinding factor from `rng`, and its commitment. */
export function commitFresh(value: bigint, rng: BlindingRng): { commitment: G1Point; opening: Opening } {
  const opening = { value, blinding: rng.scalar() };
  return { commitment: commitScalar(opening.value, opening.blinding), opening };
}

/** The commitment of a public value: Com(v; 0) = v·g, which both sides compute (no table: verifiers use it too). */
export function publicCommitment(value: bigint): G1Point {
  return scalePoint(valueGenerator(), value);
}

/** Absorb points (compressed, 32 bytes each) as one message. */
export function absorbPoints(transcript: Transcript, label: string, points: readonly G1Point[]): void {
  const bytes = new Uint8Array(points.length * COMPRESSED_POINT_BYTES);
  points.forEach((p, i) => compressPoint(p, bytes, i * COMPRESSED_POINT_BYTES));
  transcript.absorbBytes(label, bytes);
}

// ---------------------------------------------------------------------------------------------
// Linear combinations of points and deferred group equations (verifier side)

/** The point sum_i scalars[i]·points[i], kept unevaluated. */
export interface LinComb {
  points: G1Point[];
  scalars: bigint[];
}

/**
 * Builds one equation sum = 0 term by term. Terms on the same point object (the generators, a
 * round commitment that two checks share) are merged, so the final MSM has one entry per point.
 */
export class CheckBuilder {
  private readonly points: G1Point[] = [];
  private readonly scalars: bigint[] = [];
  private readonly index = new Map<G1Point, number>();

  /** Add s·P. */
  add(p: G1Point, s: bigint): this {
    const v = ((s % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;
    const at = this.index.get(p);
    if (at !== undefined) {
      this.scalars[at] = Fr.add(this.scalars[at]!, v);
      return this;
    }
    this.index.set(p, this.points.length);
    this.points.push(p);
    this.scalars.push(v);
    return this;
  }

  /** Add s·(combination). */
  addComb(c: LinComb, s = 1n): this {
    c.points.forEach((p, i) => this.add(p, Fr.mul(s, c.scalars[i]!)));
    return this;
  }

  /** Add s·C for a point or a combination. */
  addAny(c: G1Point | LinComb, s: bigint): this {
    return "points" in c && Array.isArray(c.points) ? this.addComb(c, s) : this.add(c as G1Point, s);
  }

  /** Subtract s·P. */
  sub(p: G1Point, s: bigint): this {
    return this.add(p, Fr.neg(((s % FR_MODULUS) + FR_MODULUS) % FR_MODULUS));
  }

  build(): MsmCheck {
    return { points: this.points, scalars: this.scalars };
  }
}

// ---------------------------------------------------------------------------------------------
// Reading untrusted proof data

/** Thrown inside the readers below; verifiers turn it into {ok: false, reason}. */
export class ProofShapeError extends Error {}

/** A point of a proof: a G1 point object, or its 32-byte compressed encoding (a proof tree from `toProofTree`). */
export function readPoint(x: unknown, what: string): G1Point {
  if (x instanceof Uint8Array) {
    const p = x.length === COMPRESSED_POINT_BYTES ? decompressPoint(x) : null;
    if (!p) throw new ProofShapeError(`${what} is not a compressed G1 point`);
    return p;
  }
  if (!isG1Point(x)) throw new ProofShapeError(`${what} is not a valid G1 point`);
  return x;
}

/**
 * A proof with every point replaced by its 32-byte compressed encoding: a value tree of objects,
 * arrays, field elements and byte strings, as proof files carry (runtime/link/binary.ts). Every
 * verifier here accepts this form as well as the prover's objects.
 */
export function toProofTree(proof: unknown): unknown {
  if (proof instanceof G1) return compressPoint(proof as G1Point);
  if (Array.isArray(proof)) return proof.map(toProofTree);
  if (typeof proof === "object" && proof !== null && !(proof instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(proof).map(([k, v]) => [k, toProofTree(v)]));
  }
  return proof;
}

export function readScalar(x: unknown, what: string): bigint {
  if (!Fr.isValid(x as bigint)) throw new ProofShapeError(`${what} is not a canonical field element`);
  return x as bigint;
}

export function readScalars(x: unknown, len: number, what: string): bigint[] {
  if (!Array.isArray(x) || x.length !== len) throw new ProofShapeError(`${what}: expected ${len} field elements, got ${Array.isArray(x) ? x.length : typeof x}`);
  return x.map((v, i) => readScalar(v, `${what}[${i}]`));
}

export function readRecord(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw new ProofShapeError(`${what} is not an object`);
  return x as Record<string, unknown>;
}

/** Run a verifier body; shape errors (and any unexpected throw) become {ok: false, reason}. */
export function guarded<R extends { ok: boolean }>(body: () => R): R | { ok: false; reason: string } {
  try {
    return body();
  } catch (e) {
    if (e instanceof ProofShapeError) return { ok: false, reason: e.message };
    return { ok: false, reason: `malformed proof (${e instanceof Error ? e.message : String(e)})` };
  }
}

// ---------------------------------------------------------------------------------------------
// Proof bytes (sizes, and the hiding tests: every element a proof carries, in a canonical form)

/** Appends proof elements as bytes: points compressed (32 bytes), scalars 32-byte little-endian. */
export class ProofBytesWriter {
  private readonly parts: Uint8Array[] = [];

  point(p: G1Point): this {
    this.parts.push(compressPoint(p));
    return this;
  }

  points(ps: readonly G1Point[]): this {
    ps.forEach((p) => this.point(p));
    return this;
  }

  scalar(s: bigint): this {
    this.parts.push(Fr.toBytes(s));
    return this;
  }

  scalars(ss: readonly bigint[]): this {
    ss.forEach((s) => this.scalar(s));
    return this;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
