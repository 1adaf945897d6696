/**
 * Σ-protocols on Pedersen commitments (pedersen.ts), made non-interactive with Fiat–Shamir on the
 * caller's transcript. Each is a three-move protocol: the prover absorbs its first message, draws
 * the challenge c, and answers; the verifier re-derives c and checks group equations, which it
 * returns as `MsmCheck`s (sum = 0) for one batched MSM (`verifyMsmChecks`).
 *
 * **Statements are the caller's to absorb**: every commitment of a statement must already be in
 * the transcript (or be determined by it, like sum_i L_i·C_i of absorbed rows at an absorbed
 * point) before a prover or verifier here is called. The protocols absorb their own messages.
 *
 * Each protocol is honest-verifier zero-knowledge: a simulator picking c and the responses
 * uniformly and solving for the first message produces the same distribution, so the responses
 * carry no information about the witness (docs/zero-knowledge.md).
 *
 *  opening    C = v·g + r·H.             A = a·g + b·H; z1 = a + c·v, z2 = b + c·r.
 *             check z1·g + z2·H = A + c·C.
 *  zero       D commits to 0, i.e. D = k·H for a known k (a Schnorr proof of k).
 *             A = t·H; z = t + c·k. check z·H = A + c·D.
 *  equality   C1, C2 hold the same value: zero for D = C1 - C2, k = r1 - r2.
 *  product    Cz holds x·y for Cx, Cy (Cx = x·g + rx·H, ...).
 *             α = b1·g + b2·H, β = b3·g + b4·H, δ = b1·Cy + b5·H (= Com(b1·y; b1·ry + b5));
 *             z1 = b1 + c·x, z2 = b2 + c·rx, z3 = b3 + c·y, z4 = b4 + c·ry, z5 = b5 + c·(rz - x·ry).
 *             check α + c·Cx = z1·g + z2·H;  β + c·Cy = z3·g + z4·H;  δ + c·Cz = z1·Cy + z5·H.
 *  dot product  Cy holds <x⃗, a⃗> for Cx = Com(x⃗; rx) and a public a⃗ (Hyrax, Wahby et al. 2018, App. A,
 *             the linear-size variant).
 *             δ = Com(d⃗; rδ), β = Com(<a⃗, d⃗>; rβ); z⃗ = c·x⃗ + d⃗, zδ = c·rx + rδ, zβ = c·ry + rβ.
 *             check c·Cx + δ = Com(z⃗; zδ);  c·Cy + β = Com(<z⃗, a⃗>; zβ).
 *
 * Labels: "zk/<protocol>/commit" (first message), "zk/<protocol>/challenge",
 * "zk/<protocol>/response" (responses are absorbed too, so a later challenge depends on them).
 */
import { Fr } from "../field.js";
import type { Transcript } from "../transcript.js";
import type { MsmCheck } from "../commit/hyrax.js";
import type { G1Point } from "../commit/curve.js";
import {
  CheckBuilder,
  ProofBytesWriter,
  absorbPoints,
  blindingGenerator,
  blindingTimes,
  commitScalar,
  commitVector,
  guarded,
  readPoint,
  readRecord,
  readScalar,
  readScalars,
  valueGenerator,
  vectorGenerators,
  type BlindingRng,
  type LinComb,
  type Opening,
} from "./pedersen.js";

/** What a Σ-protocol verifier returns: the group equations left to check, or why it rejects. */
export type SigmaCheck = { ok: true; checks: MsmCheck[] } | { ok: false; reason: string };

const LABELS = {
  opening: "zk/opening",
  equality: "zk/equality",
  product: "zk/product",
  dot: "zk/dot-product",
} as const;

function challengeAfter(transcript: Transcript, label: string, first: readonly G1Point[]): bigint {
  absorbPoints(transcript, `${label}/commit`, first);
  return transcript.challenge(`${label}/challenge`);
}

function absorbResponses(transcript: Transcript, label: string, z: readonly bigint[]): void {
  transcript.absorbFields(`${label}/response`, z);
}

const lin = (a: bigint, c: bigint, w: bigint): bigint => Fr.add(a, Fr.mul(c, w));

// ---------------------------------------------------------------------------------------------
// Knowledge of an opening

export interface OpeningProof {
  A: G1Point;
  z1: bigint;
  z2: bigint;
}

/** Prove knowledge of (v, r) with C = Com(v; r). */
export function proveOpening(opening: Opening, transcript: Transcript, rng: BlindingRng): OpeningProof {
  const a = rng.scalar();
  const b = rng.scalar();
  const A = commitScalar(a, b);
  const c = challengeAfter(transcript, LABELS.opening, [A]);
  const proof = { A, z1: lin(a, c, opening.value), z2: lin(b, c, opening.blinding) };
  absorbResponses(transcript, LABELS.opening, [proof.z1, proof.z2]);
  return proof;
}

/** Check a proof of knowledge of an opening of C (a point or a combination). Never throws. */
export function checkOpening(C: G1Point | LinComb, proof: unknown, transcript: Transcript): SigmaCheck {
  return guarded(() => {
    const p = readRecord(proof, "opening proof");
    const A = readPoint(p.A, "opening proof A");
    const z1 = readScalar(p.z1, "opening proof z1");
    const z2 = readScalar(p.z2, "opening proof z2");
    const c = challengeAfter(transcript, LABELS.opening, [A]);
    absorbResponses(transcript, LABELS.opening, [z1, z2]);
    const eq = new CheckBuilder().add(A, 1n);
    eq.addAny(C, c);
    eq.sub(valueGenerator(), z1).sub(blindingGenerator(), z2);
    return { ok: true as const, checks: [eq.build()] };
  });
}

export function openingProofBytes(p: OpeningProof, w = new ProofBytesWriter()): ProofBytesWriter {
  return w.point(p.A).scalar(p.z1).scalar(p.z2);
}

// ---------------------------------------------------------------------------------------------
// A commitment to zero, and equality of two committed values

export interface EqualityProof {
  A: G1Point;
  z: bigint;
}

/**
 * Prove that D = k·H for the known k, i.e. that D commits to 0 (D a combination of commitments
 * whose values cancel; k the same combination of their blinding factors).
 */
export function proveZero(blinding: bigint, transcript: Transcript, rng: BlindingRng): EqualityProof {
  const t = rng.scalar();
  const A = blindingTimes(t);
  const c = challengeAfter(transcript, LABELS.equality, [A]);
  const z = lin(t, c, blinding);
  absorbResponses(transcript, LABELS.equality, [z]);
  return { A, z };
}

/** Check that D (a point or a combination) commits to 0. Never throws. */
export function checkZero(D: G1Point | LinComb, proof: unknown, transcript: Transcript): SigmaCheck {
  return guarded(() => {
    const p = readRecord(proof, "equality proof");
    const A = readPoint(p.A, "equality proof A");
    const z = readScalar(p.z, "equality proof z");
    const c = challengeAfter(transcript, LABELS.equality, [A]);
    absorbResponses(transcript, LABELS.equality, [z]);
    const eq = new CheckBuilder().add(A, 1n);
    eq.addAny(D, c);
    eq.sub(blindingGenerator(), z);
    return { ok: true as const, checks: [eq.build()] };
  });
}

/** Prove C1 and C2 hold the same value, from their blinding factors (C1 - C2 = (r1 - r2)·H). */
export function proveEquality(blinding1: bigint, blinding2: bigint, transcript: Transcript, rng: BlindingRng): EqualityProof {
  return proveZero(Fr.sub(blinding1, blinding2), transcript, rng);
}

/** Check that C1 and C2 (points or combinations) hold the same value. Never throws. */
export function checkEquality(C1: G1Point | LinComb, C2: G1Point | LinComb, proof: unknown, transcript: Transcript): SigmaCheck {
  const d = new CheckBuilder();
  d.addAny(C1, 1n);
  d.addAny(C2, Fr.neg(1n));
  return checkZero(d.build(), proof, transcript);
}

export function equalityProofBytes(p: EqualityProof, w = new ProofBytesWriter()): ProofBytesWriter {
  return w.point(p.A).scalar(p.z);
}

// ---------------------------------------------------------------------------------------------
// Product

export interface ProductProof {
  alpha: G1Point;
  beta: G1Point;
  delta: G1Point;
  z: [bigint, bigint, bigint, bigint, bigint];
}

/**
 * Prove Cz = Com(x·y; rz) for Cx = Com(x; rx), Cy = Com(y; ry).
 * @throws RangeError when z is not x·y (an honest prover never asks)
 */
export function proveProduct(x: Opening, y: Opening, z: Opening, transcript: Transcript, rng: BlindingRng): ProductProof {
  if (Fr.mul(x.value, y.value) !== z.value) throw new RangeError("proveProduct: the product opening does not hold x·y");
  const b = [rng.scalar(), rng.scalar(), rng.scalar(), rng.scalar(), rng.scalar()] as const;
  const alpha = commitScalar(b[0], b[1]);
  const beta = commitScalar(b[2], b[3]);
  // δ = b1·Cy + b5·H, computed on the fixed bases: b1·(y·g + ry·H) + b5·H = Com(b1·y; b1·ry + b5)
  const delta = commitScalar(Fr.mul(b[0], y.value), Fr.add(Fr.mul(b[0], y.blinding), b[4]));
  const c = challengeAfter(transcript, LABELS.product, [alpha, beta, delta]);
  const zs: ProductProof["z"] = [
    lin(b[0], c, x.value),
    lin(b[1], c, x.blinding),
    lin(b[2], c, y.value),
    lin(b[3], c, y.blinding),
    lin(b[4], c, Fr.sub(z.blinding, Fr.mul(x.value, y.blinding))),
  ];
  absorbResponses(transcript, LABELS.product, zs);
  return { alpha, beta, delta, z: zs };
}

/** Check that Cz holds the product of the values of Cx and Cy. Never throws. */
export function checkProduct(Cx: G1Point, Cy: G1Point, Cz: G1Point, proof: unknown, transcript: Transcript): SigmaCheck {
  return guarded(() => {
    const p = readRecord(proof, "product proof");
    const alpha = readPoint(p.alpha, "product proof alpha");
    const beta = readPoint(p.beta, "product proof beta");
    const delta = readPoint(p.delta, "product proof delta");
    const [z1, z2, z3, z4, z5] = readScalars(p.z, 5, "product proof z") as [bigint, bigint, bigint, bigint, bigint];
    const c = challengeAfter(transcript, LABELS.product, [alpha, beta, delta]);
    absorbResponses(transcript, LABELS.product, [z1, z2, z3, z4, z5]);
    const g = valueGenerator();
    const H = blindingGenerator();
    return {
      ok: true as const,
      checks: [
        new CheckBuilder().add(alpha, 1n).add(Cx, c).sub(g, z1).sub(H, z2).build(),
        new CheckBuilder().add(beta, 1n).add(Cy, c).sub(g, z3).sub(H, z4).build(),
        new CheckBuilder().add(delta, 1n).add(Cz, c).sub(Cy, z1).sub(H, z5).build(),
      ],
    };
  });
}

export function productProofBytes(p: ProductProof, w = new ProofBytesWriter()): ProofBytesWriter {
  return w.point(p.alpha).point(p.beta).point(p.delta).scalars(p.z);
}

// ---------------------------------------------------------------------------------------------
// Dot product with a public vector

export interface DotProductProof {
  delta: G1Point;
  beta: G1Point;
  z: bigint[];
  zDelta: bigint;
  zBeta: bigint;
}

/** The prover's first-move randomness; δ = Com(d⃗; rDelta) may be computed by the caller (e.g. with a fast MSM engine). */
export interface DotProductNonce {
  d: bigint[];
  rDelta: bigint;
  rBeta: bigint;
}

export function dotProductNonce(length: number, rng: BlindingRng): DotProductNonce {
  return { d: Array.from({ length }, () => rng.scalar()), rDelta: rng.scalar(), rBeta: rng.scalar() };
}

function innerProductScalars(x: readonly bigint[], a: readonly bigint[]): bigint {
  let acc = 0n;
  for (let j = 0; j < x.length; j++) acc += x[j]! * a[j]!;
  return acc % Fr.modulus;
}

/**
 * Prove Cy = Com(<x⃗, a⃗>; ry) for Cx = Com(x⃗; rx). `delta` is Com(nonce.d; nonce.rDelta) when the
 * caller computed it; otherwise it is computed here (synchronously: fine for short vectors).
 * @throws RangeError for mismatched lengths or y != <x⃗, a⃗>
 */
export function proveDotProduct(
  x: { values: readonly bigint[]; blinding: bigint },
  y: Opening,
  a: readonly bigint[],
  transcript: Transcript,
  rng: BlindingRng,
  precomputed?: { nonce: DotProductNonce; delta: G1Point },
): DotProductProof {
  if (x.values.length !== a.length) throw new RangeError(`proveDotProduct: expected a public vector of ${x.values.length} entries, got ${a.length}`);
  if (innerProductScalars(x.values, a) !== y.value) throw new RangeError("proveDotProduct: the committed value is not <x, a>");
  const nonce = precomputed?.nonce ?? dotProductNonce(a.length, rng);
  const delta = precomputed?.delta ?? commitVector(nonce.d, nonce.rDelta);
  const beta = commitScalar(innerProductScalars(nonce.d, a), nonce.rBeta);
  const c = challengeAfter(transcript, LABELS.dot, [delta, beta]);
  const z = nonce.d.map((d, j) => lin(d, c, x.values[j]!));
  const zDelta = lin(nonce.rDelta, c, x.blinding);
  const zBeta = lin(nonce.rBeta, c, y.blinding);
  absorbResponses(transcript, LABELS.dot, [...z, zDelta, zBeta]);
  return { delta, beta, z, zDelta, zBeta };
}

/**
 * Check that Cy holds <x⃗, a⃗> for the vector committed in Cx (each a point or a combination the
 * verifier derived). Never throws.
 */
export function checkDotProduct(Cx: G1Point | LinComb, Cy: G1Point | LinComb, a: readonly bigint[], proof: unknown, transcript: Transcript): SigmaCheck {
  return guarded(() => {
    const p = readRecord(proof, "dot-product proof");
    const delta = readPoint(p.delta, "dot-product proof delta");
    const beta = readPoint(p.beta, "dot-product proof beta");
    const z = readScalars(p.z, a.length, "dot-product proof z");
    const zDelta = readScalar(p.zDelta, "dot-product proof zDelta");
    const zBeta = readScalar(p.zBeta, "dot-product proof zBeta");
    const c = challengeAfter(transcript, LABELS.dot, [delta, beta]);
    absorbResponses(transcript, LABELS.dot, [...z, zDelta, zBeta]);
    const G = vectorGenerators(a.length);
    const H = blindingGenerator();
    const vec = new CheckBuilder().add(delta, 1n);
    vec.addAny(Cx, c);
    G.forEach((gj, j) => vec.sub(gj, z[j]!));
    vec.sub(H, zDelta);
    const sc = new CheckBuilder().add(beta, 1n);
    sc.addAny(Cy, c);
    sc.sub(valueGenerator(), innerProductScalars(z, a)).sub(H, zBeta);
    return { ok: true as const, checks: [vec.build(), sc.build()] };
  });
}

export function dotProductProofBytes(p: DotProductProof, w = new ProofBytesWriter()): ProofBytesWriter {
  return w.point(p.delta).point(p.beta).scalars(p.z).scalar(p.zDelta).scalar(p.zBeta);
}
