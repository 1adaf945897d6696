/**
 * Shape inference and constant folding over a decoded graph. Walks nodes in topological order,
 * asks each op's shape rule for output infos and folds every node whose inputs are all known at
 * compile time (or whose outputs depend on shapes only). PyTorch's Shape -> Gather -> Concat ->
 * Reshape chains disappear this way, leaving Reshape with a constant target shape.
 */
import { ZkcError } from "../errors.js";
import type { Graph, Node } from "./graph.js";
import type { Tensor, ValueInfo } from "./tensor.js";
import { shapeToString } from "./tensor.js";
import { Attrs, type InputInfo, type OpContext } from "../ops/op.js";
import { opsetOf, resolveOp } from "../ops/registry.js";

/** A graph as decoded, before inference: values holds inputs and constants only. */
export type DecodedGraph = Omit<Graph, "values">;

export function opContext(node: Node, opset: number, source: string): OpContext {
  return { node, opset, source, attrs: new Attrs(node, source) };
}

/** Folding a node that would create a constant larger than this is skipped (kept as a node). */
const MAX_FOLD_ELEMENTS = 1 << 24;

export function inferGraph(decoded: DecodedGraph): Graph {
  const { source } = decoded;
  const values = new Map<string, ValueInfo>();
  const constants = new Map(decoded.constants);
  for (const [name, t] of constants) values.set(name, { name, dtype: t.dtype, shape: [...t.shape] });
  for (const v of decoded.inputs) values.set(v.name, { ...v, shape: [...v.shape] });

  const kept: Node[] = [];
  for (const node of decoded.nodes) {
    const nodeOpset = opsetOf(node, decoded);
    const def = resolveOp(node, nodeOpset, source);
    const ctx = opContext(node, nodeOpset, source);
    const inputs: (InputInfo | undefined)[] = node.inputs.map((name) => {
      if (name === "") return undefined;
      const info = values.get(name);
      if (!info) {
        throw new ZkcError("MODEL_FORMAT", `input "${name}" is not produced by any earlier node`, {
          file: source,
          node: node.name,
          op: node.opType,
          hint: "the graph is not topologically sorted or refers to a missing tensor",
        });
      }
      const c = constants.get(name);
      return c ? { dtype: info.dtype, shape: info.shape, constant: c } : { dtype: info.dtype, shape: info.shape };
    });

    let outs;
    try {
      outs = def.infer(inputs, ctx);
    } catch (e) {
      throw withNode(e, source, node);
    }
    if (outs.length < node.outputs.filter((o) => o !== "").length) {
      throw new ZkcError("INTERNAL", `shape rule returned ${outs.length} outputs for ${node.outputs.length}`, {
        file: source,
        node: node.name,
        op: node.opType,
      });
    }
    node.outputs.forEach((name, i) => {
      if (name !== "") values.set(name, { name, dtype: outs[i]!.dtype, shape: outs[i]!.shape });
    });

    const allConstant = inputs.every((x, i) => x === undefined || x.constant !== undefined || def.typeOnlyInputs?.includes(i));
    const outSize = outs.reduce((s, o) => s + o.shape.reduce((a, b) => a * b, 1), 0);
    if ((allConstant || def.shapeOnly) && outSize <= MAX_FOLD_ELEMENTS) {
      let results: Tensor[];
      try {
        results = def.run(
          inputs.map((x) =>
            x === undefined ? undefined : (x.constant ?? { dtype: x.dtype, shape: x.shape, data: new Float64Array(0) }),
          ),
          ctx,
        );
      } catch (e) {
        throw withNode(e, source, node);
      }
      node.outputs.forEach((name, i) => {
        if (name !== "") constants.set(name, results[i]!);
      });
      continue;
    }
    kept.push(node);
  }

  for (const out of decoded.outputs) {
    const got = values.get(out.name);
    if (!got) {
      throw new ZkcError("MODEL_FORMAT", `graph output "${out.name}" is not produced by any node`, { file: source });
    }
    if (out.shape.length && (out.shape.length !== got.shape.length || out.shape.some((d, i) => d > 0 && d !== got.shape[i]))) {
      throw new ZkcError("SHAPE", `graph output "${out.name}" is declared with another shape than inference gives`, {
        file: source,
        expected: shapeToString(out.shape),
        got: shapeToString(got.shape),
        hint: "the model's declared output shape disagrees with its nodes; re-export the model",
      });
    }
  }

  return {
    ...decoded,
    outputs: decoded.outputs.map((o) => values.get(o.name)!),
    nodes: kept,
    values,
    constants,
  };
}

function withNode(e: unknown, source: string, node: Node): unknown {
  if (e instanceof ZkcError) return e.withDetails({ file: source, node: node.name, op: node.opType });
  if (e instanceof Error) {
    return new ZkcError("INTERNAL", `internal error while processing node: ${e.message}`, {
      file: source,
      node: node.name,
      op: node.opType,
      hint: "this is a bug in zkc; please report it with the model",
    });
  }
  return e;
}
