/**
 * Moving a claim between two shapes of the same row-major data (a reshape). When the shapes have
 * the same layout (`sameLayout`) the MLE tables are identical and the claim is unchanged, with no
 * proof. Otherwise the claim on the data in `fromShape`'s layout is reduced to one in `toShape`'s
 * layout by the index-map sumcheck (`indexmap.ts`) with the flat identity map.
 *
 * Layers use it when they work in a shape other than a tensor's own: e.g. matmul views its
 * operands as [batch.., m, k], which pads differently from [2, 3, 4, 5] viewed as [6, 4, 5].
 */
import type { FrVector } from "../math/field.js";
import type { Transcript } from "../math/transcript.js";
import { prepareMap, proveIndexMap, verifyIndexMap, type PreparedMap } from "./indexmap.js";
import { sameLayout, sizeOfShape } from "../math/layout.js";
import type { Claim, RelayoutProof } from "./messages.js";

const identityIdx = new Map<number, Int32Array>();
const prepared = new Map<string, PreparedMap>();

function prepareRelayout(fromShape: readonly number[], toShape: readonly number[]): PreparedMap {
  const key = `${fromShape.join("x")}>${toShape.join("x")}`;
  let p = prepared.get(key);
  if (!p) {
    const n = sizeOfShape(fromShape);
    let idx = identityIdx.get(n);
    if (!idx) {
      idx = Int32Array.from({ length: n }, (_, i) => i);
      identityIdx.set(n, idx);
    }
    p = prepareMap({ outShape: fromShape, sourceShapes: [toShape], idx });
    if (prepared.size > 256) prepared.clear(); // bounded: shapes vary per model
    prepared.set(key, p);
  }
  return p;
}

/**
 * Prover: `claim` is on the data in `fromShape`'s layout; `toTable()` gives the data's padded table
 * in `toShape`'s layout (only called when a proof is needed).
 * @throws RangeError when the element counts differ
 */
export function proveRelayout(
  claim: Claim,
  fromShape: readonly number[],
  toShape: readonly number[],
  toTable: () => FrVector,
  transcript: Transcript,
): { proof: RelayoutProof; claim: Claim } {
  if (sizeOfShape(fromShape) !== sizeOfShape(toShape)) {
    throw new RangeError(`proveRelayout: shapes [${fromShape.join(", ")}] and [${toShape.join(", ")}] hold different numbers of elements`);
  }
  if (sameLayout(fromShape, toShape)) return { proof: undefined, claim };
  const r = proveIndexMap(prepareRelayout(fromShape, toShape), claim, [claim.tensor], [toTable()], transcript);
  return { proof: r.proof, claim: r.claims[0]! };
}

/** Verifier: mirror of `proveRelayout`. Never throws on proof data. */
export function verifyRelayout(
  claim: Claim,
  fromShape: readonly number[],
  toShape: readonly number[],
  proof: unknown,
  transcript: Transcript,
): { ok: true; claim: Claim } | { ok: false; reason: string } {
  if (sizeOfShape(fromShape) !== sizeOfShape(toShape)) return { ok: false, reason: "relayout between shapes of different sizes" };
  if (sameLayout(fromShape, toShape)) {
    if (proof !== undefined) return { ok: false, reason: `relayout of "${claim.tensor}": the layouts agree, expected no proof` };
    return { ok: true, claim };
  }
  const v = verifyIndexMap(prepareRelayout(fromShape, toShape), claim, [claim.tensor], proof, transcript);
  if (!v.ok) return { ok: false, reason: `relayout of "${claim.tensor}" from [${fromShape.join(", ")}] to [${toShape.join(", ")}]: ${v.reason}` };
  return { ok: true, claim: v.claims[0]! };
}
