/**
 * Log-size proof of dot product (Bulletproofs-style folding, as in Hyrax, Wahby et al. 2018, App. A):
 * Cy = Com(<x⃗, a⃗>; ry) for Cx = Com(x⃗; rx) = sum_j x_j·G_j + rx·H, a⃗ public, length n = 2^k.
 * The proof is 2k + 1 points and 2 scalars instead of n + 2 scalars and 2 points (sigma.ts).
 *
 * With w = challenge("zk/dot-log/bind") and u = w·g, P = Cx + w·Cy = <x⃗, G⃗> + <x⃗, a⃗>·u + ρ·H
 * (ρ = rx + w·ry). Each round halves the vectors (top index bit first): for x⃗ = (x_L, x_R), etc.,
 *   L = <x_L, G_R> + <x_L, a_R>·u + ρ_L·H,   R = <x_R, G_L> + <x_R, a_L>·u + ρ_R·H   (fresh ρ_L, ρ_R)
 *   e = challenge("zk/dot-log/round");  x' = e·x_L + e⁻¹·x_R,  a' = e⁻¹·a_L + e·a_R,  G' = e⁻¹·G_L + e·G_R,
 *   P' = e²·L + P + e⁻²·R,  ρ' = e²·ρ_L + ρ + e⁻²·ρ_R,
 * so P' = <x', G'> + <x', a'>·u + ρ'·H. At length 1 (x̂, â, Ĝ = sum_j s_j·G_j), a Schnorr proof of
 * knowledge of (x̂, ρ̂) for P̂ = x̂·(Ĝ + â·u) + ρ̂·H: δ = d·(Ĝ + â·u) + r·H, c = challenge,
 * z = d + c·x̂, zρ = r + c·ρ̂; the verifier checks z·(Ĝ + â·u) + zρ·H = δ + c·P̂ as one MSM over the
 * original generators (weights s_j = prod over rounds of e or e⁻¹ by the bits of j).
 *
 * Hiding: L and R carry fresh blinding (uniform points), and the final Σ-protocol is HVZK.
 * The statement is the caller's to absorb (as in sigma.ts). The prover's MSMs (two per round
 * over the original generators, one at the end) run on an `MsmEngine`.
 */
import { FR_MODULUS, Fr } from "../field.js";
import type { Transcript } from "../transcript.js";
import { PointSet, getMsmEngine, type G1Point, type MsmEngine } from "../commit/curve.js";
import {
  CheckBuilder,
  ProofBytesWriter,
  ProofShapeError,
  absorbPoints,
  blindingGenerator,
  commitScalar,
  guarded,
  readPoint,
  readRecord,
  readScalar,
  scalePoint,
  valueGenerator,
  type BlindingRng,
  type LinComb,
  type Opening,
} from "./pedersen.js";
import type { SigmaCheck } from "./sigma.js";

const LABELS = {
  bind: "zk/dot-log/bind",
  round: "zk/dot-log/round",
  commit: "zk/dot-log/commit",
  challenge: "zk/dot-log/challenge",
  response: "zk/dot-log/response",
} as const;

export interface DotProductLogProof {
  /** per round: L and R */
  L: G1Point[];
  R: G1Point[];
  delta: G1Point;
  z: bigint;
  zBlinding: bigint;
}

function log2Exact(n: number): number {
  const k = Math.log2(n);
  if (!Number.isInteger(k)) throw new RangeError(`dot-product (log size): expected a power-of-two length, got ${n}`);
  return k;
}

function dot(x: readonly bigint[], a: readonly bigint[]): bigint {
  let acc = 0n;
  for (let j = 0; j < x.length; j++) acc += x[j]! * a[j]!;
  return acc % FR_MODULUS;
}

/**
 * Prove Cy = Com(<x⃗, a⃗>; ry) for Cx = Com(x⃗; rx) over `generators` (the G_j of Cx, as a prepared set).
 * @throws RangeError for mismatched or non-power-of-two lengths, or y != <x⃗, a⃗>
 */
export async function proveDotProductLog(
  x: { values: readonly bigint[]; blinding: bigint },
  y: Opening,
  a: readonly bigint[],
  generators: PointSet,
  transcript: Transcript,
  rng: BlindingRng,
  engine: MsmEngine = getMsmEngine(),
): Promise<DotProductLogProof> {
  const n = a.length;
  if (x.values.length !== n || generators.length !== n) throw new RangeError(`proveDotProductLog: expected ${n} values and generators, got ${x.values.length} and ${generators.length}`);
  const k = log2Exact(n);
  if (dot(x.values, a) !== y.value) throw new RangeError("proveDotProductLog: the committed value is not <x, a>");
  const w = transcript.challenge(LABELS.bind);
  let xs = [...x.values];
  let as = [...a];
  let rho = Fr.add(x.blinding, Fr.mul(w, y.blinding));
  // weight of each original generator in its folded generator (folded index = j mod m)
  const gw = new Array<bigint>(n).fill(1n);
  const L: G1Point[] = [];
  const R: G1Point[] = [];
  for (let round = 0, m = n; round < k; round++, m /= 2) {
    const half = m / 2;
    const coefL = new Array<bigint>(n).fill(0n);
    const coefR = new Array<bigint>(n).fill(0n);
    for (let j = 0; j < n; j++) {
      const i = j % m;
      if (i >= half) coefL[j] = Fr.mul(xs[i - half]!, gw[j]!);
      else coefR[j] = Fr.mul(xs[i + half]!, gw[j]!);
    }
    const xL = xs.slice(0, half);
    const xR = xs.slice(half);
    const aL = as.slice(0, half);
    const aR = as.slice(half);
    const rhoL = rng.scalar();
    const rhoR = rng.scalar();
    const [gL, gR] = await Promise.all([engine.msm(generators, coefL), engine.msm(generators, coefR)]);
    // <x_L, a_R>·u + ρ_L·H = Com(w·<x_L, a_R>; ρ_L)
    const Lp = gL.add(commitScalar(Fr.mul(w, dot(xL, aR)), rhoL));
    const Rp = gR.add(commitScalar(Fr.mul(w, dot(xR, aL)), rhoR));
    absorbPoints(transcript, LABELS.round, [Lp, Rp]);
    const e = transcript.challenge(LABELS.round);
    const eInv = Fr.inv(e);
    const e2 = Fr.mul(e, e);
    xs = xL.map((v, i) => Fr.add(Fr.mul(e, v), Fr.mul(eInv, xR[i]!)));
    as = aL.map((v, i) => Fr.add(Fr.mul(eInv, v), Fr.mul(e, aR[i]!)));
    rho = Fr.add(Fr.add(Fr.mul(e2, rhoL), rho), Fr.mul(Fr.inv(e2), rhoR));
    for (let j = 0; j < n; j++) gw[j] = Fr.mul(gw[j]!, j % m < half ? eInv : e);
    L.push(Lp);
    R.push(Rp);
  }
  // final: P̂ = x̂·(Ĝ + â·u) + ρ̂·H
  const d = rng.scalar();
  const rDelta = rng.scalar();
  const gHat = await engine.msm(generators, gw);
  const delta = scalePoint(gHat, d).add(commitScalar(Fr.mul(Fr.mul(d, as[0]!), w), rDelta));
  absorbPoints(transcript, LABELS.commit, [delta]);
  const c = transcript.challenge(LABELS.challenge);
  const z = Fr.add(d, Fr.mul(c, xs[0]!));
  const zBlinding = Fr.add(rDelta, Fr.mul(c, rho));
  transcript.absorbFields(LABELS.response, [z, zBlinding]);
  return { L, R, delta, z, zBlinding };
}

/**
 * Check a log-size dot-product proof that Cy holds <x⃗, a⃗> for the vector committed in Cx over
 * `generators` (points or combinations; one MSM's worth of terms returned). Never throws.
 */
export function checkDotProductLog(
  Cx: G1Point | LinComb,
  Cy: G1Point | LinComb,
  a: readonly bigint[],
  generators: readonly G1Point[],
  proof: unknown,
  transcript: Transcript,
): SigmaCheck {
  return guarded<SigmaCheck>(() => {
    const n = a.length;
    if (generators.length !== n) return { ok: false as const, reason: "dot-product (log size): one generator per entry expected" };
    const k = Math.log2(n);
    if (!Number.isInteger(k)) return { ok: false as const, reason: `dot-product (log size): length ${n} is not a power of two` };
    const p = readRecord(proof, "dot-product proof");
    if (!Array.isArray(p.L) || !Array.isArray(p.R) || p.L.length !== k || p.R.length !== k) throw new ProofShapeError(`dot-product proof: expected ${k} L and R points`);
    const Ls = p.L.map((x, i) => readPoint(x, `dot-product proof L[${i}]`));
    const Rs = p.R.map((x, i) => readPoint(x, `dot-product proof R[${i}]`));
    const delta = readPoint(p.delta, "dot-product proof delta");
    const z = readScalar(p.z, "dot-product proof z");
    const zBlinding = readScalar(p.zBlinding, "dot-product proof zBlinding");
    const w = transcript.challenge(LABELS.bind);
    const es: bigint[] = [];
    for (let i = 0; i < k; i++) {
      absorbPoints(transcript, LABELS.round, [Ls[i]!, Rs[i]!]);
      es.push(transcript.challenge(LABELS.round));
    }
    absorbPoints(transcript, LABELS.commit, [delta]);
    const c = transcript.challenge(LABELS.challenge);
    transcript.absorbFields(LABELS.response, [z, zBlinding]);
    // s_j: e or e⁻¹ per round by the bits of j (top bit in round 0); â = <s, a>
    const s = new Array<bigint>(n).fill(1n);
    for (let i = 0, m = n; i < k; i++, m /= 2) {
      const e = es[i]!;
      const eInv = Fr.inv(e);
      for (let j = 0; j < n; j++) s[j] = Fr.mul(s[j]!, j % m < m / 2 ? eInv : e);
    }
    const aHat = dot(s, a);
    // z·Ĝ + z·â·w·g + zρ·H - δ - c·(Cx + w·Cy + sum e²·L + sum e⁻²·R) = 0
    const eq = new CheckBuilder();
    generators.forEach((g, j) => eq.add(g, Fr.mul(z, s[j]!)));
    eq.add(valueGenerator(), Fr.mul(Fr.mul(z, aHat), w)).add(blindingGenerator(), zBlinding).sub(delta, 1n);
    const negC = Fr.neg(c);
    eq.addAny(Cx, negC).addAny(Cy, Fr.mul(negC, w));
    es.forEach((e, i) => {
      const e2 = Fr.mul(e, e);
      eq.add(Ls[i]!, Fr.mul(negC, e2)).add(Rs[i]!, Fr.mul(negC, Fr.inv(e2)));
    });
    return { ok: true as const, checks: [eq.build()] };
  });
}

export function dotProductLogProofBytes(p: DotProductLogProof, w = new ProofBytesWriter()): ProofBytesWriter {
  return w.points(p.L).points(p.R).point(p.delta).scalar(p.z).scalar(p.zBlinding);
}
