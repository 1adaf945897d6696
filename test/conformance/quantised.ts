/**
 * The quantised column of the conformance runner: each applicable case is calibrated on its own
 * input (plus seeded random samples in the observed range), quantised at scale 12 (or coarser
 * when 12 would overflow the safe bound), run through the integer interpreter and dequantised.
 * The tolerance follows from the chosen scale s: one grid step is 2^-s, and a short chain of
 * roundings, each amplified by the local slope, stays within 64 steps:
 *   |got - expected| <= 64 * 2^-s * (1 + rms(expected)) + 64 * 2^-s * |expected|.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { Graph } from "../../compiler/ir/graph.js";
import { type Tensor, isFloat, storeAs, tensor } from "../../compiler/ir/tensor.js";
import { inferGraph } from "../../compiler/ir/infer.js";
import { resolveOp } from "../../compiler/ops/registry.js";
import { DEFAULT_CONFIG } from "../../compiler/quant/builder.js";
import { collectRanges, randomSamples } from "../../compiler/quant/calibrate.js";
import { loweringOf } from "../../compiler/quant/lower/table.js";
import type { QProgram } from "../../compiler/quant/prim.js";
import { quantiseGraph } from "../../compiler/quant/quantise.js";
import { dequantise, quantiseInput, runProgram } from "../../runtime/witness.js";
import type { Evaluator } from "./cases.js";
import { compareTensors } from "./compare.js";

/** Scales tried, finest first. */
const SCALES = [12, 10, 8, 6];
/** Rounding steps the tolerance allows. */
const STEPS = 64;

const chosenScale = new WeakMap<Graph, number>();

/** Non-float dtypes the quantised column runs: exact integers at scale 0. */
const QUANTISED_DTYPES: ReadonlySet<string> = new Set(["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64"]);

function quantise(graph: Graph, feeds: Record<string, Tensor>): QProgram {
  const samples = [feeds, ...randomSamples(graph, 3, 11, [feeds])];
  const ranges = collectRanges(graph, samples);
  let last: unknown;
  for (const s of SCALES) {
    try {
      const program = quantiseGraph(graph, { ...DEFAULT_CONFIG, inputScale: s, activationScale: s, paramScale: 0, paramBits: s + 4 }, ranges);
      chosenScale.set(graph, s);
      return program;
    } catch (e) {
      if (!(e instanceof ZkcError && e.code === "QUANTISATION")) throw e;
      last = e;
    }
  }
  throw last;
}

/**
 * The graph with every runtime input but the first bound to its value. ONNX's cases pass
 * weights, bounds and exponents as runtime inputs; in zkc those are model constants fixed at
 * setup, so a lowering that needs them constant gets them bound (and folded) this way.
 */
function withParamsBound(graph: Graph, feeds: Record<string, Tensor>): Graph {
  const constants = new Map(graph.constants);
  for (const i of graph.inputs.slice(1)) constants.set(i.name, feeds[i.name]!);
  const { values: _values, ...decoded } = graph;
  return inferGraph({ ...decoded, inputs: graph.inputs.slice(0, 1), constants });
}

const needsConstant = (e: unknown) =>
  e instanceof ZkcError && e.code === "UNSUPPORTED_FEATURE" && /must be known at compile time|needs (a )?constant|must be constants?/.test(e.reason);

function runQuantised(graph: Graph, feeds: Record<string, Tensor>): Tensor[] {
  const program = quantise(graph, feeds);
  const qin = new Map(program.inputs.map((name) => [name, quantiseInput(program, name, feeds[name]!.data).values]));
  const values = runProgram(program, qin);
  return graph.outputs.map((o, k) => {
    const t = program.tensors.get(program.outputs[k]!)!;
    const real = dequantise(values.get(t.name)!, t.scale);
    return tensor(o.dtype, o.shape, real.map((v) => storeAs(o.dtype, v)));
  });
}

export const quantisedEvaluator: Evaluator = {
  name: "quantised",
  skip(graph, feeds) {
    const tensors = [...graph.inputs, ...graph.outputs];
    const nonFinite = Object.entries(feeds).find(([, t]) => t.data.some((v) => !Number.isFinite(v)));
    if (nonFinite) return `input "${nonFinite[0]}" holds NaN or an infinity: quantised inputs are finite by construction (zkc prove rejects them)`;
    // bools (0/1) and integers are exact at scale 0; 64-bit integers may not fit the safe bound
    const unsupported = tensors.find((t) => !isFloat(t.dtype) && !QUANTISED_DTYPES.has(t.dtype));
    if (unsupported) return `${unsupported.dtype} tensor "${unsupported.name}": only float, bool and integer tensors up to 32 bits are quantised`;
    for (const node of graph.nodes) {
      if (!loweringOf(resolveOp(node, graph.opset, graph.source))) return `no quantised lowering for ${node.opType}`;
      if ((node.opType === "IsNaN" || node.opType === "IsInf") && graph.inputs.some((i) => i.name === node.inputs[0])) {
        return `${node.opType} of a graph input: quantised inputs are finite by construction (NaN and infinities are rejected), so the lowering is constant false`;
      }
    }
    if (graph.inputs.length === 0) return "no runtime inputs (everything folds to constants)";
    return undefined;
  },
  run(graph, feeds) {
    try {
      return runQuantised(graph, feeds);
    } catch (e) {
      if (!needsConstant(e) || graph.inputs.length < 2) throw e;
      const bound = withParamsBound(graph, feeds);
      const outs = runQuantised(bound, feeds);
      chosenScale.set(graph, chosenScale.get(bound)!);
      return outs;
    }
  },
  compare(got, expected, graph) {
    const step = 2 ** -(chosenScale.get(graph) ?? SCALES[0]!);
    let sq = 0;
    for (const v of expected.data) sq += v * v;
    const rms = Math.sqrt(sq / Math.max(1, expected.data.length));
    return compareTensors(got, expected, { atol: STEPS * step * (1 + rms), rtol: STEPS * step });
  },
};
