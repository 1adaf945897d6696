/**
 * Op registry, derived from explicit imports: (domain, op type) -> versions. `resolveOp` takes the
 * highest version <= the model's opset of the node's domain, as ONNX runtimes do. Two domains are
 * known: the default ONNX domain ("") and ONNX-ML ("ai.onnx.ml", what skl2onnx and onnxmltools
 * export classical models with).
 */
import { ZkcError } from "../errors.js";
import type { Node } from "../ir/graph.js";
import type { OpDef } from "./op.js";
import { ALL_OPS } from "./all.js";
import { ML } from "./ml/common.js";

/** Newest default-domain opset whose semantics zkc implements. */
export const MAX_OPSET = 25;
/** Oldest opset zkc accepts. */
export const MIN_OPSET = 1;

/** The ONNX-ML domain. */
export const ML_DOMAIN = ML;
/** Newest ai.onnx.ml opset whose semantics zkc implements. */
export const MAX_ML_OPSET = 5;

/** Opset ranges zkc accepts per known domain ("" is the default domain). */
export const DOMAIN_OPSETS: Readonly<Record<string, { min: number; max: number }>> = {
  "": { min: MIN_OPSET, max: MAX_OPSET },
  [ML_DOMAIN]: { min: 1, max: MAX_ML_OPSET },
};

/** A domain zkc reads ("" or ai.onnx.ml). */
export function isKnownDomain(domain: string): boolean {
  return Object.hasOwn(DOMAIN_OPSETS, domain);
}

/** "ai.onnx" is the default domain spelt out. */
export function canonicalDomain(domain: string | null | undefined): string {
  return !domain || domain === "ai.onnx" ? "" : domain;
}

const key = (domain: string, opType: string) => `${canonicalDomain(domain)}::${opType}`;
/** How a (domain, op type) pair is named to users: "Gemm", "ai.onnx.ml::Scaler". */
export const qualifiedOp = (domain: string, opType: string): string => (canonicalDomain(domain) ? `${domain}::${opType}` : opType);

const BY_TYPE: ReadonlyMap<string, readonly OpDef[]> = (() => {
  const m = new Map<string, OpDef[]>();
  for (const def of ALL_OPS) {
    const k = key(def.domain ?? "", def.opType);
    const list = m.get(k) ?? [];
    if (list.some((d) => d.sinceVersion === def.sinceVersion)) {
      throw new Error(`registry: ${qualifiedOp(def.domain ?? "", def.opType)} version ${def.sinceVersion} is defined twice`);
    }
    list.push(def);
    m.set(k, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.sinceVersion - b.sinceVersion);
  return m;
})();

/** Sorted list of supported op types, ONNX-ML ones qualified ("ai.onnx.ml::Scaler"). */
export function supportedOps(): string[] {
  return [...BY_TYPE.values()].map((l) => qualifiedOp(l[0]!.domain ?? "", l[0]!.opType)).sort();
}

export function isSupported(opType: string, domain = ""): boolean {
  return BY_TYPE.has(key(domain, opType));
}

/** What `opsetOf` reads of a graph: the default opset and the other domains' imports. */
export interface OpsetSource {
  opset: number;
  opsets?: Readonly<Record<string, number>>;
  source: string;
}

/** The model's opset for `node`'s domain; an ONNX-ML node in a model that imports no ai.onnx.ml opset is a MODEL_FORMAT error. */
export function opsetOf(node: Node, graph: OpsetSource): number {
  const domain = canonicalDomain(node.domain);
  if (domain === "") return graph.opset;
  const v = graph.opsets?.[domain];
  if (v === undefined) {
    if (!isKnownDomain(domain)) return 0; // resolveOp names the unknown domain
    throw new ZkcError("MODEL_FORMAT", `node uses domain "${domain}" but the model imports no opset of it`, {
      file: graph.source,
      node: node.name,
      op: qualifiedOp(domain, node.opType),
      hint: `add an opset_import entry for "${domain}" (exporters such as skl2onnx write one)`,
    });
  }
  return v;
}

/**
 * The implementation of `node` for `opset` (the model's opset of the node's domain, see
 * `opsetOf`), or a ZkcError naming op, domain, version and node.
 */
export function resolveOp(node: Node, opset: number, source: string): OpDef {
  const domain = canonicalDomain(node.domain);
  const where = { file: source, node: node.name, op: qualifiedOp(domain, node.opType) };
  if (!isKnownDomain(domain)) {
    throw new ZkcError("UNSUPPORTED_OP", `op from domain "${node.domain}" is not supported`, {
      ...where,
      hint: `zkc supports the default ONNX domain and ${ML_DOMAIN}; re-export the model without custom ops. Supported ops: ${supportedOps().join(", ")}`,
    });
  }
  const versions = BY_TYPE.get(key(domain, node.opType));
  if (!versions) {
    throw new ZkcError("UNSUPPORTED_OP", `op type "${qualifiedOp(domain, node.opType)}" is not supported`, {
      ...where,
      hint: `supported ops: ${supportedOps().join(", ")}`,
    });
  }
  let chosen: OpDef | undefined;
  for (const v of versions) if (v.sinceVersion <= opset) chosen = v;
  if (!chosen) {
    throw new ZkcError("UNSUPPORTED_OPSET", `no version of ${qualifiedOp(domain, node.opType)} exists at opset ${opset}${domain ? ` of ${domain}` : ""}`, {
      ...where,
      hint: `zkc implements ${node.opType} from opset ${versions[0]!.sinceVersion}; re-export with a newer opset`,
    });
  }
  return chosen;
}
