/**
 * Claims through public index maps: out[o] = sources[src[o]][idx[o]] (0 where idx[o] = -1). Every
 * data-movement primitive (Reshape, Transpose, Slice, Concat, Pad, im2col for Conv) is such a map,
 * and so is a change of layout between two shapes of the same data (`relayout.ts`).
 *
 * A claim out(r) = v (in the layout of `outShape`) equals sum_s sum_y W_s(y) S_s(y) with
 * W_s(y) = sum over {o : src[o] = s, idx[o] = y} of eq(r, pos_out(o)). The prover sends each active
 * source's share v_s (the verifier checks they add up to v), then one degree-2 sumcheck per active
 * source over that source's variables; it ends with S_s(rho_s), which becomes a claim on S_s.
 * The verifier evaluates W_s(rho_s) = sum_o eq(r, pos_out(o)) eq(rho_s, pos_src(idx[o])) from the
 * public map in O(size of the map) (two eq tables and one gathered inner product).
 *
 * A *free* map costs nothing: one source S and a map g of hypercube positions in which every source
 * variable is either a constant bit or a copy of a distinct output variable, such that
 * out(x) = S(g(x)) for EVERY output position x (a padding or -1 position must land on a padding
 * position of S, whose value is 0 whatever the witness). Both sides of out(r) = S(g~(r)) are then
 * multilinear in r (each output variable is used at most once) and agree on the hypercube, so the
 * claim passes to S at the point g~(r): coordinates copied from r, constants 0/1. This covers the
 * identity between identical layouts (a free reshape), every transpose (a variable permutation),
 * broadcasts along power-of-two axes (ignored output variables), slices at power-of-two aligned
 * offsets (constant bits) and zero padding up to the padded size. Detection reads only the public
 * map (and gives up on maps of more than 2^24 output positions).
 *
 * Prover work: O(|out| + |source|) per source; the scatter-add into W is done in rounds in which
 * each source position occurs once (a 3x3 im2col needs 9 rounds, a permutation 1).
 */
import { Fr, FrVector, innerProduct, vecAdd } from "../math/field.js";
import { eqTableFast as eqTable } from "../math/eq.js";
import { proveSumcheck, verifySumcheck } from "../math/sumcheck.js";
import type { Transcript } from "../math/transcript.js";
import { indicatorMle, numVarsOfShape, paddedPositions, sizeOfShape } from "../math/layout.js";
import { GKR_LABELS, isField, isFieldArray, isRecord, type Claim, type IndexMapProof } from "./messages.js";

/** A public index map from sources to an output. */
export interface IndexMap {
  outShape: readonly number[];
  sourceShapes: readonly (readonly number[])[];
  /** per output element: its source (absent = source 0 for every element) */
  src?: Int32Array;
  /** per output element: flat row-major index into its source, or -1 for 0 */
  idx: Int32Array;
}

/** The map's per-source structure in padded positions (depends only on the public map). */
interface SourcePart {
  srcVars: number;
  /** padded output position of each contributing element */
  posOut: Int32Array;
  /** padded source position of the same element */
  posSrc: Int32Array;
  /** element numbers (into posOut/posSrc) grouped so that no source position repeats in a group */
  rounds: Int32Array[];
}

/** A free map: the claim moves to one source point. */
export interface FreeMap {
  source: number;
  /** per source variable: the output variable it copies, or -1 / -2 for the constant 0 / 1 */
  from: Int32Array;
}

/** A map prepared for proving/verifying. */
export interface PreparedMap {
  outVars: number;
  /** one entry per source; undefined for a source nothing is read from */
  parts: (SourcePart | undefined)[];
  /** the free form of the map (module header), undefined when a sumcheck is needed */
  free: FreeMap | undefined;
}

const preparedCache = new WeakMap<Int32Array, Map<string, PreparedMap>>();

/**
 * Check and prepare a map (cached per idx array and shapes: a primitive's index arrays must not be
 * mutated once it has been proven or verified).
 * @throws RangeError for a map whose lengths or indices do not fit the shapes
 */
export function prepareMap(map: IndexMap): PreparedMap {
  const key = `${map.outShape.join("x")}|${map.sourceShapes.map((s) => s.join("x")).join(";")}|${map.src ? "s" : ""}`;
  let byKey = preparedCache.get(map.idx);
  const hit = byKey?.get(key);
  if (hit && (!map.src || (hit as PreparedMap & { src?: Int32Array }).src === map.src)) return hit;
  const prepared = buildPrepared(map);
  (prepared as PreparedMap & { src?: Int32Array }).src = map.src;
  if (!byKey) {
    byKey = new Map();
    preparedCache.set(map.idx, byKey);
  }
  byKey.set(key, prepared);
  return prepared;
}

function buildPrepared(map: IndexMap): PreparedMap {
  const nOut = sizeOfShape(map.outShape);
  const { idx, src } = map;
  const S = map.sourceShapes.length;
  if (idx.length !== nOut) throw new RangeError(`index map: expected ${nOut} indices for output shape [${map.outShape.join(", ")}], got ${idx.length}`);
  if (src && src.length !== nOut) throw new RangeError(`index map: expected ${nOut} source numbers, got ${src.length}`);
  if (S === 0) throw new RangeError("index map: expected at least one source");
  const outPos = paddedPositions(map.outShape);
  const counts = new Int32Array(S);
  for (let o = 0; o < nOut; o++) {
    if (idx[o]! < 0) continue;
    const s = src ? src[o]! : 0;
    if (!(s >= 0 && s < S)) throw new RangeError(`index map: element ${o} names source ${s}, expected 0..${S - 1}`);
    if (idx[o]! >= sizeOfShape(map.sourceShapes[s]!)) throw new RangeError(`index map: element ${o} reads index ${idx[o]} of source ${s}, which has ${sizeOfShape(map.sourceShapes[s]!)} elements`);
    counts[s]!++;
  }
  const parts: (SourcePart | undefined)[] = map.sourceShapes.map((shape, s) => {
    if (counts[s] === 0) return undefined;
    const srcPos = paddedPositions(shape);
    const posOut = new Int32Array(counts[s]!);
    const posSrc = new Int32Array(counts[s]!);
    let e = 0;
    for (let o = 0; o < nOut; o++) {
      if (idx[o]! < 0 || (src ? src[o]! : 0) !== s) continue;
      posOut[e] = outPos[o]!;
      posSrc[e] = srcPos[idx[o]!]!;
      e++;
    }
    // occurrence rank of each element's source position -> rounds
    const srcVars = numVarsOfShape(shape);
    const seen = new Int32Array(2 ** srcVars);
    const rank = new Int32Array(e);
    let maxRank = 0;
    for (let i = 0; i < e; i++) {
      rank[i] = seen[posSrc[i]!]!++;
      if (rank[i]! > maxRank) maxRank = rank[i]!;
    }
    const sizes = new Int32Array(maxRank + 1);
    for (let i = 0; i < e; i++) sizes[rank[i]!]!++;
    const rounds = Array.from(sizes, (n) => new Int32Array(n));
    const fill = new Int32Array(maxRank + 1);
    for (let i = 0; i < e; i++) rounds[rank[i]!]![fill[rank[i]!]!++] = i;
    return { srcVars, posOut, posSrc, rounds };
  });
  const outVars = numVarsOfShape(map.outShape);
  const active = parts.filter((p) => p !== undefined);
  let free: FreeMap | undefined;
  if (active.length === 1) {
    const s = parts.findIndex((p) => p !== undefined);
    const from = freeForm(active[0]!, outVars, map.sourceShapes[s]!);
    if (from) free = { source: s, from };
  }
  return { outVars, parts, free };
}

/**
 * The free form of a one-source map (module header), or undefined. The map g is read off the images
 * of position 0 and of the unit positions, then checked at every output position.
 */
function freeForm(part: SourcePart, n: number, srcShape: readonly number[]): Int32Array | undefined {
  const m = part.srcVars;
  if (n > 24 || m > 30) return undefined;
  const { posOut, posSrc } = part;
  // images of position 0 ([n]) and of each variable's unit position ([j]), by one scan
  const unitImage = new Int32Array(n + 1).fill(-1);
  for (let e = 0; e < posOut.length; e++) {
    const x = posOut[e]!;
    if (x === 0) unitImage[n] = posSrc[e]!;
    else if ((x & (x - 1)) === 0) unitImage[n - 1 - Math.log2(x)] = posSrc[e]!;
  }
  const g0 = unitImage[n]!;
  if (g0 < 0) return undefined;
  const from = new Int32Array(m);
  for (let k = 0; k < m; k++) from[k] = g0 & (1 << (m - 1 - k)) ? -2 : -1;
  const mask = new Int32Array(n); // source bit that output variable j sets (0: ignored)
  for (let j = 0; j < n; j++) {
    const image = unitImage[j]!;
    if (image < 0) return undefined;
    const d = image ^ g0;
    if (d === 0) continue;
    if ((d & (d - 1)) !== 0 || (g0 & d) !== 0) return undefined;
    const k = m - 1 - Math.log2(d);
    if (from[k]! >= 0) return undefined;
    from[k] = j;
    mask[j] = d;
  }
  // check out(x) = S(g(x)) at every output position
  const img = new Int32Array(2 ** n).fill(-1);
  for (let e = 0; e < posOut.length; e++) img[posOut[e]!] = posSrc[e]!;
  const srcReal = new Uint8Array(2 ** m);
  for (const y of paddedPositions(srcShape)) srcReal[y] = 1;
  // g(x) = g0 | OR of mask over x's set bits, by byte tables (x has at most 24 bits)
  const tables = [0, 1, 2].map((b) =>
    Int32Array.from({ length: 256 }, (_, v) => {
      let acc = 0;
      for (let i = 0; i < 8; i++) {
        const bit = 8 * b + i; // weight 2^bit of x
        if (v & (1 << i) && bit < n) acc |= mask[n - 1 - bit]!;
      }
      return acc;
    }),
  );
  const [t0, t1, t2] = tables as [Int32Array, Int32Array, Int32Array];
  for (let x = 0; x < img.length; x++) {
    const gx = g0 | t0[x & 255]! | t1[(x >>> 8) & 255]! | t2[(x >>> 16) & 255]!;
    const want = img[x]!;
    if (want >= 0 ? gx !== want : srcReal[gx] === 1) return undefined;
  }
  return from;
}

/** The source point of a free map: coordinates copied from `point`, or the constants 0 / 1. */
export function freePoint(point: readonly bigint[], free: FreeMap): bigint[] {
  return Array.from(free.from, (j) => (j >= 0 ? point[j]! : j === -2 ? 1n : 0n));
}

/**
 * 32-bit words per field element (8 Montgomery limbs). A local constant rather than the math
 * layer's export: in these per-element loops an imported binding costs a getter call under tsx.
 */
const W = 8;

/** Copy element `from` of `src` to element `to` of `dst` (word offsets), unrolled. */
function copyElement(dst: Uint32Array, to: number, src: Uint32Array, from: number): void {
  dst[to] = src[from]!;
  dst[to + 1] = src[from + 1]!;
  dst[to + 2] = src[from + 2]!;
  dst[to + 3] = src[from + 3]!;
  dst[to + 4] = src[from + 4]!;
  dst[to + 5] = src[from + 5]!;
  dst[to + 6] = src[from + 6]!;
  dst[to + 7] = src[from + 7]!;
}

/** Copy elements v[pos[sel[i]]] (or v[pos[i]] without sel) into a new vector. */
function gatherElements(v: FrVector, pos: Int32Array, sel?: Int32Array): FrVector {
  const n = sel ? sel.length : pos.length;
  const out = new FrVector(n);
  const src = v.limbs;
  const dst = out.limbs;
  for (let i = 0; i < n; i++) {
    copyElement(dst, i * W, src, pos[sel ? sel[i]! : i]! * W);
  }
  return out;
}

/** W_s over the source's padded positions: sum of eqOut over the elements that read each position. */
function weightTable(eqOut: FrVector, part: SourcePart): FrVector {
  const w = new FrVector(2 ** part.srcVars);
  const wl = w.limbs;
  const el = eqOut.limbs;
  const first = part.rounds[0]!;
  for (let i = 0; i < first.length; i++) {
    const e = first[i]!;
    copyElement(wl, part.posSrc[e]! * W, el, part.posOut[e]! * W);
  }
  for (let t = 1; t < part.rounds.length; t++) {
    const sel = part.rounds[t]!;
    const sum = vecAdd(gatherElements(eqOut, part.posOut, sel), gatherElements(w, part.posSrc, sel));
    for (let i = 0; i < sel.length; i++) {
      copyElement(wl, part.posSrc[sel[i]!]! * W, sum.limbs, i * W);
    }
  }
  return w;
}

/** W_s(rho): sum over elements of eqOut[pos_out] * eq(rho, pos_src). */
function weightAt(eqOut: FrVector, part: SourcePart, rho: readonly bigint[]): bigint {
  const eqSrc = eqTable(rho);
  return innerProduct(gatherElements(eqOut, part.posOut), gatherElements(eqSrc, part.posSrc));
}

/**
 * Prover: reduce `claim` (on the map's output, in `outShape`'s layout) to one claim per active
 * source. `sourceTables[s]` is source s's padded MLE table; `sourceNames[s]` names it in the claims.
 * @returns undefined proof for a free map
 */
export function proveIndexMap(
  prepared: PreparedMap,
  claim: Claim,
  sourceNames: readonly string[],
  sourceTables: readonly (FrVector | undefined)[],
  transcript: Transcript,
): { proof: IndexMapProof | undefined; claims: Claim[] } {
  if (prepared.free) {
    const f = prepared.free;
    return { proof: undefined, claims: [{ tensor: sourceNames[f.source]!, point: freePoint(claim.point, f), value: claim.value }] };
  }
  const eqOut = eqTable(claim.point);
  const active: { s: number; part: SourcePart; w: FrVector; table: FrVector; partial: bigint }[] = [];
  prepared.parts.forEach((part, s) => {
    if (!part) return;
    const table = sourceTables[s];
    if (!table) throw new RangeError(`proveIndexMap: missing the table of source ${s}`);
    const w = weightTable(eqOut, part);
    active.push({ s, part, w, table, partial: innerProduct(w, table) });
  });
  const partials = active.map((a) => a.partial);
  transcript.absorbFields(GKR_LABELS.mapPartials, partials);
  const sumchecks = [];
  const evals: bigint[] = [];
  const claims: Claim[] = [];
  for (const a of active) {
    const out = proveSumcheck({ polys: [a.w, a.table], terms: [{ coeff: 1n, factors: [0, 1] }] }, transcript, a.partial);
    const ev = out.polyEvals[1]!;
    transcript.absorbField(GKR_LABELS.mapEval, ev);
    sumchecks.push(out.proof);
    evals.push(ev);
    claims.push({ tensor: sourceNames[a.s]!, point: out.point, value: ev });
  }
  return { proof: { kind: "indexmap", partials, sumchecks, evals }, claims };
}

/** Verifier result of an index map: claims on the active sources. */
export type IndexMapVerdict = { ok: true; claims: Claim[] } | { ok: false; reason: string };

/**
 * The structure of a map repeated over a batch (`batch.ts`): output [B, ..base output], each batched
 * source [B, ..base source] read at the same batch index, each shared source read unshifted. Lets
 * the verifier evaluate W in O(base map + B) instead of O(B x base map):
 * W_s(rho_b, rho) = (sum_{t<B} eq(r_b, t) eq(rho_b, t)) W_base(rho) for a batched source and
 * W_s(rho) = (sum_{t<B} eq(r_b, t)) W_base(rho) for a shared one (r_b: the claim's batch coordinates).
 */
export interface BatchedMap {
  B: number;
  base: PreparedMap;
  batchedSource: readonly boolean[];
}

/** W_s(rho) of a batched map from its base map (see `BatchedMap`). */
function batchedWeightAt(batched: BatchedMap, s: number, claimPoint: readonly bigint[], rho: readonly bigint[], eqBase: () => FrVector): bigint | undefined {
  const part = batched.base.parts[s];
  if (!part) return undefined;
  const bv = claimPoint.length - batched.base.outVars;
  const rb = claimPoint.slice(0, bv);
  if (batched.batchedSource[s]) {
    const eqR = eqTable(rb);
    const eqRho = eqTable(rho.slice(0, bv));
    const factor = innerProduct(eqR.subarray(0, batched.B), eqRho.subarray(0, batched.B));
    return Fr.mul(factor, weightAt(eqBase(), part, rho.slice(bv)));
  }
  return Fr.mul(indicatorMle([batched.B], rb), weightAt(eqBase(), part, rho));
}

/** Verifier: mirror of `proveIndexMap`. Never throws on proof data. */
export function verifyIndexMap(
  prepared: PreparedMap,
  claim: Claim,
  sourceNames: readonly string[],
  proof: unknown,
  transcript: Transcript,
  batched?: BatchedMap,
): IndexMapVerdict {
  if (prepared.free) {
    if (proof !== undefined) return { ok: false, reason: "the map is free (it moves the claim to one source point): expected no proof" };
    const f = prepared.free;
    return { ok: true, claims: [{ tensor: sourceNames[f.source]!, point: freePoint(claim.point, f), value: claim.value }] };
  }
  const active = prepared.parts.flatMap((part, s) => (part ? [{ s, part }] : []));
  if (!isRecord(proof) || proof.kind !== "indexmap") return { ok: false, reason: "index map: malformed proof" };
  if (!isFieldArray(proof.partials, active.length)) return { ok: false, reason: `index map: expected ${active.length} partial sums` };
  if (!Array.isArray(proof.sumchecks) || proof.sumchecks.length !== active.length) return { ok: false, reason: `index map: expected ${active.length} sumchecks` };
  if (!Array.isArray(proof.evals) || proof.evals.length !== active.length || !proof.evals.every(isField)) {
    return { ok: false, reason: `index map: expected ${active.length} source evaluations` };
  }
  const partials = proof.partials;
  let total = 0n;
  for (const p of partials) total = Fr.add(total, p);
  if (total !== claim.value) return { ok: false, reason: "index map: the partial sums do not add up to the claimed value" };
  transcript.absorbFields(GKR_LABELS.mapPartials, partials);
  let eqOut: FrVector | undefined;
  let eqBase: FrVector | undefined;
  const baseEq = (): FrVector => (eqBase ??= eqTable(claim.point.slice(claim.point.length - batched!.base.outVars)));
  const claims: Claim[] = [];
  for (let a = 0; a < active.length; a++) {
    const { s, part } = active[a]!;
    const sc = verifySumcheck(partials[a]!, part.srcVars, 2, proof.sumchecks[a], transcript);
    if (!sc.ok) return { ok: false, reason: `index map, source ${s} ("${sourceNames[s]}"): sumcheck: ${sc.reason}` };
    const ev = proof.evals[a] as bigint;
    transcript.absorbField(GKR_LABELS.mapEval, ev);
    let w: bigint;
    if (batched) {
      const bw = batchedWeightAt(batched, s, claim.point, sc.point, baseEq);
      if (bw === undefined) return { ok: false, reason: `index map, source ${s}: the batch structure does not match the map` };
      w = bw;
    } else {
      w = weightAt((eqOut ??= eqTable(claim.point)), part, sc.point);
    }
    if (Fr.mul(w, ev) !== sc.claimedEval) return { ok: false, reason: `index map, source ${s} ("${sourceNames[s]}"): final check fails (the sent evaluation is wrong)` };
    claims.push({ tensor: sourceNames[s]!, point: sc.point, value: ev });
  }
  return { ok: true, claims };
}
