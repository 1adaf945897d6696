/**
 * gather layer: out[o] = sources[src[o]][idx[o]] (0 where idx[o] = -1), proven by the index-map
 * sumcheck of `indexmap.ts` over the primitive's public map, with the output and each source in
 * their own layouts. A free map (`indexmap.ts`: a reshape between identical layouts, a transpose,
 * a broadcast along power-of-two axes, an aligned slice, padding up to the padded size) sends
 * nothing: proof "free", the claim moves to one source point.
 */
import type { PrimOf, LayerProver, LayerProverContext, LayerVerifier, LayerVerifierContext, LayerVerdict } from "./kernel.js";
import { prepareMap, proveIndexMap, verifyIndexMap, type BatchedMap, type IndexMap, type PreparedMap } from "./indexmap.js";
import type { Claim, GatherProof } from "./messages.js";

type GatherPrim = PrimOf<"gather">;

/** A batched gather's structure, recorded by `batch.ts` for the primitives it builds. */
export interface BatchedGather {
  B: number;
  /** the per-input map (unbatched shapes) */
  base: IndexMap;
  /** per source: read at the batch index (true) or shared (false) */
  batchedSource: readonly boolean[];
}

const batchedGathers = new WeakMap<GatherPrim, BatchedGather>();

/**
 * Record that `prim` is `info.base` repeated over a batch of `info.B` (its idx/src are exactly the
 * expansion `batch.ts` builds). The verifier then evaluates the map's weights in O(base + B).
 * Only for primitives whose maps were built from `info` by the caller itself.
 */
export function registerBatchedGather(prim: GatherPrim, info: BatchedGather): void {
  batchedGathers.set(prim, info);
}

function batchedMap(p: GatherPrim): BatchedMap | undefined {
  const info = batchedGathers.get(p);
  return info && { B: info.B, base: prepareMap(info.base), batchedSource: info.batchedSource };
}

function prepared(p: GatherPrim, shapeOf: (t: string) => readonly number[]): PreparedMap {
  return prepareMap({ outShape: shapeOf(p.out), sourceShapes: p.sources.map(shapeOf), idx: p.idx, ...(p.src ? { src: p.src } : {}) });
}

export const gatherProver: LayerProver<GatherPrim> = {
  prove(p: GatherPrim, claim: Claim, ctx: LayerProverContext): { proof: GatherProof; claims: Claim[] } {
    const map = prepared(p, ctx.shapeOf);
    const tables = p.sources.map((s, i) => (map.parts[i] && !map.free ? ctx.table(s) : undefined));
    const r = proveIndexMap(map, claim, p.sources, tables, ctx.transcript);
    return { proof: { kind: "gather", map: r.proof ?? "free" }, claims: r.claims };
  },
};

export const gatherVerifier: LayerVerifier<GatherPrim> = {
  verify(p: GatherPrim, claim: Claim, proof: unknown, ctx: LayerVerifierContext): LayerVerdict {
    const map = prepared(p, ctx.shapeOf);
    if (typeof proof !== "object" || proof === null || (proof as { kind?: unknown }).kind !== "gather") return { ok: false, reason: "malformed gather proof" };
    const body = (proof as { map?: unknown }).map;
    const free = map.free !== undefined;
    if ((body === "free") !== free) return { ok: false, reason: free ? "gather: the map is free, expected no sumcheck" : "gather: expected an index-map proof" };
    const r = verifyIndexMap(map, claim, p.sources, body === "free" ? undefined : body, ctx.transcript, batchedMap(p));
    if (!r.ok) return { ok: false, reason: `gather: ${r.reason}` };
    return r;
  },
};
