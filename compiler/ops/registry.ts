/**
 * Op registry, derived from explicit imports: op type -> versions. `resolveOp` takes the highest
 * version <= the model's opset, as ONNX runtimes do.
 */
import { ZkcError } from "../errors.js";
import type { Node } from "../ir/graph.js";
import type { OpDef } from "./op.js";
import { ALL_OPS } from "./all.js";

/** Newest default-domain opset whose semantics zkc implements. */
export const MAX_OPSET = 25;
/** Oldest opset zkc accepts. */
export const MIN_OPSET = 1;

const BY_TYPE: ReadonlyMap<string, readonly OpDef[]> = (() => {
  const m = new Map<string, OpDef[]>();
  for (const def of ALL_OPS) {
    const list = m.get(def.opType) ?? [];
    if (list.some((d) => d.sinceVersion === def.sinceVersion)) {
      throw new Error(`registry: ${def.opType} version ${def.sinceVersion} is defined twice`);
    }
    list.push(def);
    m.set(def.opType, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.sinceVersion - b.sinceVersion);
  return m;
})();

/** Sorted list of supported op types. */
export function supportedOps(): string[] {
  return [...BY_TYPE.keys()].sort();
}

export function isSupported(opType: string, domain = ""): boolean {
  return (domain === "" || domain === "ai.onnx") && BY_TYPE.has(opType);
}

/** The implementation of `node` for `opset`, or a ZkcError naming op, domain, version and node. */
export function resolveOp(node: Node, opset: number, source: string): OpDef {
  const where = { file: source, node: node.name, op: node.opType };
  if (node.domain !== "" && node.domain !== "ai.onnx") {
    throw new ZkcError("UNSUPPORTED_OP", `op from domain "${node.domain}" is not supported`, {
      ...where,
      hint: `zkc supports the default ONNX domain only; re-export the model without custom ops. Supported ops: ${supportedOps().join(", ")}`,
    });
  }
  const versions = BY_TYPE.get(node.opType);
  if (!versions) {
    throw new ZkcError("UNSUPPORTED_OP", `op type "${node.opType}" is not supported`, {
      ...where,
      hint: `supported ops: ${supportedOps().join(", ")}`,
    });
  }
  let chosen: OpDef | undefined;
  for (const v of versions) if (v.sinceVersion <= opset) chosen = v;
  if (!chosen) {
    throw new ZkcError("UNSUPPORTED_OPSET", `no version of ${node.opType} exists at opset ${opset}`, {
      ...where,
      hint: `zkc implements ${node.opType} from opset ${versions[0]!.sinceVersion}; re-export with a newer opset`,
    });
  }
  return chosen;
}
