/**
 * Float reference interpreter: runs a graph with each op's float semantics. This is the oracle
 * that quantised results are measured against.
 */
import { ZkcError } from "../errors.js";
import type { Graph } from "../ir/graph.js";
import { opContext } from "../ir/infer.js";
import { type Tensor, shapeToString, sizeOf } from "../ir/tensor.js";
import { opsetOf, resolveOp } from "../ops/registry.js";

export interface RunOptions {
  /** keep every intermediate value in the result (default: outputs only) */
  keepAll?: boolean;
  /**
   * Called with every graph input and every node output as it is computed, so that a caller can
   * observe all values (calibration's ranges) without keeping them all in memory.
   */
  onValue?: (name: string, value: Tensor) => void;
}

/** Runs the graph on `feeds` (one tensor per graph input) and returns outputs (or all values). */
export function runFloat(graph: Graph, feeds: Record<string, Tensor>, opts: RunOptions = {}): Map<string, Tensor> {
  const env = new Map<string, Tensor>(graph.constants);
  for (const input of graph.inputs) {
    const t = feeds[input.name];
    if (!t) {
      throw new ZkcError("INPUT", `missing value for graph input "${input.name}"`, {
        file: graph.source,
        expected: `${input.dtype} ${shapeToString(input.shape)}`,
        hint: `provide every graph input: ${graph.inputs.map((i) => i.name).join(", ")}`,
      });
    }
    if (t.data.length !== sizeOf(input.shape) || t.shape.length !== input.shape.length || t.shape.some((d, i) => d !== input.shape[i])) {
      throw new ZkcError("INPUT", `graph input "${input.name}" has the wrong shape`, {
        file: graph.source,
        expected: shapeToString(input.shape),
        got: shapeToString(t.shape),
      });
    }
    env.set(input.name, t);
    opts.onValue?.(input.name, t);
  }

  // free intermediates after their last use unless the caller wants them all
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((name) => lastUse.set(name, i)));
  const keep = new Set(graph.outputs.map((o) => o.name));

  graph.nodes.forEach((node, i) => {
    const opset = opsetOf(node, graph);
    const def = resolveOp(node, opset, graph.source);
    const ctx = opContext(node, opset, graph.source);
    const inputs = node.inputs.map((name) => (name === "" ? undefined : env.get(name)));
    let outs: Tensor[];
    try {
      outs = def.run(inputs, ctx);
    } catch (e) {
      if (e instanceof ZkcError) throw e.withDetails({ file: graph.source, node: node.name, op: node.opType });
      throw new ZkcError("INTERNAL", `internal error while running node: ${(e as Error).message}`, {
        file: graph.source,
        node: node.name,
        op: node.opType,
      });
    }
    node.outputs.forEach((name, k) => {
      if (name === "") return;
      env.set(name, outs[k]!);
      opts.onValue?.(name, outs[k]!);
    });
    if (!opts.keepAll) {
      for (const name of node.inputs) {
        if (lastUse.get(name) === i && !keep.has(name) && !graph.constants.has(name)) env.delete(name);
      }
    }
  });

  if (opts.keepAll) return env;
  const result = new Map<string, Tensor>();
  for (const o of graph.outputs) result.set(o.name, env.get(o.name)!);
  return result;
}
