/**
 * matmul layer: C[b, i, j] = sum_k A[b, i, k] B[b', k, j] (b' = b, or 0 when bBatch = 1).
 *
 * The layer views the operands as A [..L, m, k], B [..L, k, n] (or [k, n] when shared) and
 * C [..L, m, n], where L is a batch shape chosen so that these views have the operands' own
 * layouts whenever possible (then no relayout is needed); otherwise L = [batch] and the mismatched
 * operands' claims are moved by `relayout.ts`.
 *
 * A claim C(r_b, r_i, r_j) = v is the sum over the inner variables y of
 * A(r_b, r_i, y) B(r_b?, y, r_j): ONE degree-2 sumcheck over the log k inner variables. The prover
 * first folds A by (r_b, r_i) and B by (r_b?) and r_j (eq-weighted row sums): O(|A| + |B|).
 * It ends with A(r_b, r_i, rho) and B(r_b?, rho, r_j), which the prover sends and which become the
 * claims on A and B; the verifier checks their product against the sumcheck's final value.
 *
 * When B is batched too (bBatch > 1) the batch index is shared by both factors, so folding both by
 * r_b would square eq(r_b, .): the sumcheck then runs over (batch, inner) variables of
 * eq(r_b, b) A(b, r_i, y) B(b, y, r_j) (degree 3), ending at (rho_b, rho) for both operands.
 *
 * Transcript: [relayout C] · sumcheck · absorb [aEval, bEval] · [relayout A] · [relayout B].
 */
import type { PrimOf, LayerProver, LayerProverContext, LayerVerifier, LayerVerifierContext, LayerVerdict } from "./kernel.js";
import { Fr, FrVector, innerProduct } from "../math/field.js";
import { eqEval, foldFirst } from "../math/mle.js";
import { eqTableFast as eqTable } from "../math/eq.js";
import { proveSumcheck, verifySumcheck } from "../math/sumcheck.js";
import { numVarsOfShape, sameLayout, sizeOfShape } from "../math/layout.js";
import { GKR_LABELS, isField, isRecord, type Claim, type MatmulProof } from "./messages.js";
import { proveRelayout, verifyRelayout } from "./relayout.js";

type MatmulPrim = PrimOf<"matmul">;

/** The views a matmul works in. */
export interface MatmulViews {
  batchShape: number[];
  aShape: number[];
  bShape: number[];
  cShape: number[];
}

/** Leading axes of `shape` left after removing `trailing` from its end (size-1 trailing dims may be absent), if their product is `lead`. */
function leadingAxes(shape: readonly number[], trailing: readonly number[], lead: number): number[] | undefined {
  let end = shape.length;
  for (let t = trailing.length - 1; t >= 0; t--) {
    const d = trailing[t]!;
    if (end > 0 && shape[end - 1] === d) end--;
    else if (d !== 1) return undefined;
  }
  const l = shape.slice(0, end);
  return sizeOfShape(l) === lead ? l : undefined;
}

/** Choose the views with the fewest layout mismatches (public rule: prover and verifier agree). */
export function matmulViews(p: MatmulPrim, shapeOf: (t: string) => readonly number[]): MatmulViews {
  const { batch, bBatch, m, k, n } = p;
  const own = { a: shapeOf(p.a), b: shapeOf(p.b), c: shapeOf(p.out) };
  const candidates: number[][] = [];
  for (const c of [leadingAxes(own.c, [m, n], batch), leadingAxes(own.a, [m, k], batch), bBatch > 1 ? leadingAxes(own.b, [k, n], batch) : undefined, [batch]]) {
    if (c && !candidates.some((x) => x.length === c.length && x.every((d, i) => d === c[i]))) candidates.push(c);
  }
  let best: MatmulViews | undefined;
  let bestCost = Infinity;
  for (const L of candidates) {
    const v: MatmulViews = { batchShape: L, aShape: [...L, m, k], bShape: bBatch > 1 ? [...L, k, n] : [k, n], cShape: [...L, m, n] };
    const cost = (sameLayout(own.a, v.aShape) ? 0 : 1) + (sameLayout(own.b, v.bShape) ? 0 : 1) + (sameLayout(own.c, v.cShape) ? 0 : 1);
    if (cost < bestCost) {
      best = v;
      bestCost = cost;
    }
  }
  return best!;
}

/** Fold the first `point.length` variables of a table. */
function foldMany(table: FrVector, point: readonly bigint[]): FrVector {
  let t = table;
  for (const r of point) t = foldFirst(t, r);
  return t;
}

/** B_r[y] = sum_j eq(r_j, j) B[y, j] for a [rows, 2^|r_j|] table. */
function foldColumns(table: FrVector, rj: readonly bigint[]): FrVector {
  const cols = 2 ** rj.length;
  if (cols === 1) return table;
  const eq = eqTable(rj);
  const rows = table.length / cols;
  const out = new FrVector(rows);
  for (let y = 0; y < rows; y++) out.set(y, innerProduct(table.subarray(y * cols, (y + 1) * cols), eq));
  return out;
}

function splitPoint(point: readonly bigint[], v: MatmulViews, p: MatmulPrim): { rb: bigint[]; ri: bigint[]; rj: bigint[] } {
  const bv = numVarsOfShape(v.batchShape);
  const mv = numVarsOfShape([p.m]);
  return { rb: point.slice(0, bv), ri: point.slice(bv, bv + mv), rj: point.slice(bv + mv) };
}

/** Per batch block of `blocks` equal blocks: fold each block with `fold` and concatenate. */
function perBlock(table: FrVector, blocks: number, fold: (block: FrVector) => FrVector): FrVector {
  const size = table.length / blocks;
  const parts = Array.from({ length: blocks }, (_, b) => fold(table.subarray(b * size, (b + 1) * size)));
  const out = new FrVector(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    out.limbs.set(x.limbs, at * 8);
    at += x.length;
  }
  return out;
}

/** eq(r_b, b) for every (b, y) of a [2^|r_b|, inner] table. */
function batchEq(rb: readonly bigint[], inner: number): FrVector {
  const eq = eqTable(rb);
  const out = new FrVector(eq.length * inner);
  for (let b = 0; b < eq.length; b++) {
    const from = eq.limbs.subarray(b * 8, (b + 1) * 8);
    for (let y = 0; y < inner; y++) out.limbs.set(from, (b * inner + y) * 8);
  }
  return out;
}

/** Whether the sumcheck also runs over the batch variables (B batched and the batch has variables). */
function sharedBatch(p: MatmulPrim, rb: readonly bigint[]): boolean {
  return p.bBatch > 1 && rb.length > 0;
}

/** Claims' points from the sumcheck point. */
function operandPoints(p: MatmulPrim, rb: bigint[], ri: bigint[], rj: bigint[], scPoint: bigint[]): { a: bigint[]; b: bigint[] } {
  if (sharedBatch(p, rb)) {
    const rhoB = scPoint.slice(0, rb.length);
    const rho = scPoint.slice(rb.length);
    return { a: [...rhoB, ...ri, ...rho], b: [...rhoB, ...rho, ...rj] };
  }
  return { a: [...rb, ...ri, ...scPoint], b: [...(p.bBatch > 1 ? rb : []), ...scPoint, ...rj] };
}

export const matmulProver: LayerProver<MatmulPrim> = {
  prove(p: MatmulPrim, claim: Claim, ctx: LayerProverContext): { proof: MatmulProof; claims: Claim[] } {
    const v = matmulViews(p, ctx.shapeOf);
    const t = ctx.transcript;
    const out = proveRelayout(claim, ctx.shapeOf(p.out), v.cShape, () => ctx.tableAs(p.out, v.cShape), t);
    const { rb, ri, rj } = splitPoint(out.claim.point, v, p);
    const aTable = ctx.tableAs(p.a, v.aShape);
    const bTable = ctx.tableAs(p.b, v.bShape);
    let sc;
    if (sharedBatch(p, rb)) {
      const blocks = 2 ** rb.length;
      const aFolded = perBlock(aTable, blocks, (blk) => foldMany(blk, ri));
      const bFolded = perBlock(bTable, blocks, (blk) => foldColumns(blk, rj));
      const eq = batchEq(rb, aFolded.length / blocks);
      sc = proveSumcheck({ polys: [eq, aFolded, bFolded], terms: [{ coeff: 1n, factors: [0, 1, 2] }] }, t, out.claim.value);
      sc.polyEvals.shift();
    } else {
      const aFolded = foldMany(aTable, [...rb, ...ri]);
      const bFolded = foldColumns(p.bBatch > 1 ? foldMany(bTable, rb) : bTable, rj);
      sc = proveSumcheck({ polys: [aFolded, bFolded], terms: [{ coeff: 1n, factors: [0, 1] }] }, t, out.claim.value);
    }
    const [aEval, bEval] = sc.polyEvals as [bigint, bigint];
    t.absorbFields(GKR_LABELS.matmulEvals, [aEval, bEval]);
    const pts = operandPoints(p, rb, ri, rj, sc.point);
    const a = proveRelayout({ tensor: p.a, point: pts.a, value: aEval }, v.aShape, ctx.shapeOf(p.a), () => ctx.table(p.a), t);
    const b = proveRelayout({ tensor: p.b, point: pts.b, value: bEval }, v.bShape, ctx.shapeOf(p.b), () => ctx.table(p.b), t);
    return {
      proof: { kind: "matmul", outRelayout: out.proof, sumcheck: sc.proof, aEval, bEval, aRelayout: a.proof, bRelayout: b.proof },
      claims: [a.claim, b.claim],
    };
  },
};

export const matmulVerifier: LayerVerifier<MatmulPrim> = {
  verify(p: MatmulPrim, claim: Claim, proof: unknown, ctx: LayerVerifierContext): LayerVerdict {
    if (!isRecord(proof) || proof.kind !== "matmul" || !isField(proof.aEval) || !isField(proof.bEval)) return { ok: false, reason: "malformed matmul proof" };
    const v = matmulViews(p, ctx.shapeOf);
    const t = ctx.transcript;
    const out = verifyRelayout(claim, ctx.shapeOf(p.out), v.cShape, proof.outRelayout, t);
    if (!out.ok) return out;
    const { rb, ri, rj } = splitPoint(out.claim.point, v, p);
    const shared = sharedBatch(p, rb);
    const kv = numVarsOfShape([p.k]);
    const sc = verifySumcheck(out.claim.value, shared ? rb.length + kv : kv, shared ? 3 : 2, proof.sumcheck, t);
    if (!sc.ok) return { ok: false, reason: `matmul sumcheck: ${sc.reason}` };
    const { aEval, bEval } = proof;
    t.absorbFields(GKR_LABELS.matmulEvals, [aEval, bEval]);
    const weight = shared ? eqEval(rb, sc.point.slice(0, rb.length)) : 1n;
    if (Fr.mul(Fr.mul(weight, aEval), bEval) !== sc.claimedEval) return { ok: false, reason: "matmul: final check fails (A and B evaluations do not match the sumcheck)" };
    const pts = operandPoints(p, rb, ri, rj, sc.point);
    const a = verifyRelayout({ tensor: p.a, point: pts.a, value: aEval }, v.aShape, ctx.shapeOf(p.a), proof.aRelayout, t);
    if (!a.ok) return a;
    const b = verifyRelayout({ tensor: p.b, point: pts.b, value: bEval }, v.bShape, ctx.shapeOf(p.b), proof.bRelayout, t);
    if (!b.ok) return b;
    return { ok: true, claims: [a.claim, b.claim] };
  },
};
