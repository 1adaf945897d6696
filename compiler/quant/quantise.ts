/**
 * Quantisation driver: turns a float graph into an integer program by calling each op's
 * `lower`, with scales from a QuantConfig and lookup domains from calibrated ranges.
 */
import { ZkcError } from "../errors.js";
import type { Graph } from "../ir/graph.js";
import { opContext } from "../ir/infer.js";
import { isFloat, sizeOf } from "../ir/tensor.js";
import { opsetOf, resolveOp } from "../ops/registry.js";
import { ProgramBuilder, type QuantConfig } from "./builder.js";
import type { LowerContext, LowerInput, ValueRange } from "./lower-context.js";
import { loweringOf } from "./lower/table.js";
import type { QProgram, QTensor } from "./prim.js";

/** Static bounds this many times above the calibrated range trigger saturation. */
export const SATURATION_SLACK = 16;

/**
 * Worst-case bounds compound through chains of products (attention, deep stacks) far beyond any
 * value the model produces. When an activation's static bound exceeds SATURATION_SLACK times its
 * calibrated range, the activation saturates at the calibrated range widened by the margin: a
 * proven clamp (the same cost as a ReLU) that changes nothing on inputs like the calibration
 * samples and keeps every later bound small.
 */
function saturate(q: ProgramBuilder, t: QTensor, r: ValueRange | undefined): QTensor {
  if (!r || t.kind !== "intermediate") return t;
  const real = Math.max(Math.abs(r.min), Math.abs(r.max)) * q.config.rangeMargin;
  const limit = Math.max(1, Math.ceil(real * 2 ** t.scale));
  if (t.maxAbs <= limit * SATURATION_SLACK) return t;
  // a side that held ±inf keeps its stand-in (far beyond the finite values): only the other saturates
  if (r.negInf && r.posInf) return t;
  return q.clamp(t, r.negInf ? -t.maxAbs : -limit, r.posInf ? t.maxAbs : limit);
}

export function quantiseGraph(graph: Graph, config: QuantConfig, ranges: ReadonlyMap<string, ValueRange>): QProgram {
  const q = new ProgramBuilder(config);
  const env = new Map<string, QTensor>();

  for (const input of graph.inputs) {
    // integers and booleans are exact at scale 0; a bool is 0 or 1
    const scale = isFloat(input.dtype) ? config.inputScale : 0;
    const r = ranges.get(input.name);
    const maxReal = input.dtype === "bool" ? 1 : r ? Math.max(Math.abs(r.min), Math.abs(r.max)) * (isFloat(input.dtype) ? config.rangeMargin : 1) : 2 ** 8;
    const maxAbs = Math.max(1, Math.ceil(maxReal * 2 ** scale));
    env.set(input.name, q.input(input.name, input.shape, scale, maxAbs));
  }

  const materialise = (name: string): QTensor => {
    let t = env.get(name);
    if (!t) {
      const c = graph.constants.get(name);
      if (!c) throw new ZkcError("INTERNAL", `value "${name}" has neither a tensor nor a constant`, { file: graph.source });
      // integer and bool constants are exact at scale 0, like integer tensors
      t = q.label(q.param(name, [...c.shape], c.data, isFloat(c.dtype) ? "weight" : 0), name);
      env.set(name, t);
    }
    return t;
  };

  for (const node of graph.nodes) {
    const opset = opsetOf(node, graph);
    const def = resolveOp(node, opset, graph.source);
    const base = opContext(node, opset, graph.source);
    q.where = { file: graph.source, node: node.name, op: node.opType };
    const lower = loweringOf(def);
    if (!lower) {
      throw new ZkcError("UNSUPPORTED_FEATURE", `${node.opType} has no quantised lowering yet`, {
        ...q.where,
        hint: "the float interpreter runs this model, but zkc cannot prove it yet; please open an issue naming the op",
      });
    }
    const inputs: (LowerInput | undefined)[] = node.inputs.map((name) => {
      if (name === "") return undefined;
      const info = graph.values.get(name)!;
      const constant = graph.constants.get(name);
      return { name, shape: info.shape, dtype: info.dtype, ...(constant ? { constant } : {}), value: () => materialise(name) };
    });
    const ctx: LowerContext = {
      ...base,
      q,
      outputs: node.outputs.map((o) => {
        const v = graph.values.get(o);
        return { dtype: v?.dtype ?? "float32", shape: v?.shape ?? [] };
      }),
      range: (name) => ranges.get(name),
    };
    let outs: QTensor[];
    try {
      outs = lower(inputs, ctx);
    } catch (e) {
      if (e instanceof ZkcError) throw e.withDetails(q.where);
      throw new ZkcError("INTERNAL", `internal error while quantising: ${(e as Error).message}`, q.where);
    }
    node.outputs.forEach((name, i) => {
      if (name === "" || !outs[i]) return;
      const expected = graph.values.get(name)!.shape;
      if (sizeOf(outs[i]!.shape) !== sizeOf(expected)) {
        throw new ZkcError("INTERNAL", `lowering produced ${sizeOf(outs[i]!.shape)} values for "${name}", shape inference says ${sizeOf(expected)}`, q.where);
      }
      // integers and booleans are exact: never saturate them (an argmax index, a comparison)
      const info = graph.values.get(name)!;
      env.set(name, q.label(saturate(q, outs[i]!, isFloat(info.dtype) ? ranges.get(name) : undefined), name));
    });
    q.attribute({ node: node.name, op: node.opType });
  }

  q.where = { file: graph.source };
  const marked = new Set<string>();
  for (const o of graph.outputs) {
    let t = materialise(o.name);
    // an output that is an input, a constant, an earlier output or a value of another name (Identity,
    // Reshape of an output) gets a proven copy: the statement then binds it under its own name
    if (t.kind !== "intermediate" || marked.has(t.name) || t.onnxName !== o.name) {
      t = q.label(q.copy(t), o.name);
      q.attribute({ node: `output ${o.name}`, op: "Identity" });
    }
    marked.add(t.name);
    q.markOutput(t);
  }
  return q.program();
}
