/**
 * The models the benchmark measures: the fixtures (fixtures/*.onnx with their sample inputs) and
 * an MLP width sweep built here with seeded weights into bench/models/ (git-ignored, regenerated
 * each run), plus the shared preparation every worker repeats (load, calibrate, quantise input).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tensor, tensorOf } from "../compiler/ir/tensor.js";
import type { Graph } from "../compiler/ir/graph.js";
import { buildModel, node, type NodeSpec } from "../compiler/onnx/build.js";
import { loadModelFile } from "../compiler/onnx/load.js";
import { calibrate, seededRandom, type CalibrationResult } from "../compiler/quant/calibrate.js";
import type { QProgram } from "../compiler/quant/prim.js";
import { quantiseInput } from "../runtime/witness.js";

/** Where a model and its sample input live, and how the sweep point was made. */
export interface ModelSpec {
  name: string;
  /** absolute path of the .onnx file */
  onnx: string;
  /** absolute path of an EZKL-style input file ({"input_data": [[...]]}) */
  input: string;
  /** "fixture" or "sweep" */
  kind: "fixture" | "sweep";
  /** sweep: hidden width */
  width?: number;
}

const REPO = new URL("../", import.meta.url);
/** Absolute path of a file relative to the repository root. */
export function repoPath(rel: string): string {
  return fileURLToPath(new URL(rel, REPO));
}

/** The fixture models the benchmark runs, in report order. */
export const FIXTURES = ["mlp", "lenet", "transformer", "mnist"] as const;

/** Sweep widths: full run (MACs ~1.3e5 .. ~1e7) and --quick. */
export const SWEEP_WIDTHS = { full: [256, 512, 1024, 2048, 3072], quick: [256, 512, 1024] } as const;
/** Input features of every sweep MLP. */
export const SWEEP_IN = 256;
/** Output classes of every sweep MLP. */
export const SWEEP_OUT = 10;

/** MACs of the sweep MLP of hidden width w: in·w + w·w + w·out. */
export function sweepMacs(width: number): number {
  return SWEEP_IN * width + width * width + width * SWEEP_OUT;
}

export function fixtureSpec(name: string): ModelSpec {
  return { name, onnx: repoPath(`fixtures/${name}.onnx`), input: repoPath(`fixtures/${name}.input.json`), kind: "fixture" };
}

/** Uniform weights in ±sqrt(6/fanIn) (He-uniform), from a seeded PRNG. */
function heWeights(rand: () => number, n: number, fanIn: number): Float64Array {
  const a = Math.sqrt(6 / fanIn);
  return Float64Array.from({ length: n }, () => Math.fround((2 * rand() - 1) * a));
}

/**
 * Builds the sweep MLP [1,256] -> Gemm w -> Relu -> Gemm w -> Relu -> Gemm 10 with seeded weights
 * (seed = width) and a seeded input in [0, 1), into `dir`; returns its spec.
 */
export function buildSweepModel(width: number, dir: string): ModelSpec {
  mkdirSync(dir, { recursive: true });
  const name = `sweep-mlp-${width}`;
  const onnx = `${dir}/${name}.onnx`;
  const input = `${dir}/${name}.input.json`;
  const rand = seededRandom(0x5eed0000 + width);
  const layers: [number, number][] = [[SWEEP_IN, width], [width, width], [width, SWEEP_OUT]];
  const initializers: Record<string, ReturnType<typeof tensorOf>> = {};
  const nodes: NodeSpec[] = [];
  let x = "input";
  layers.forEach(([inF, outF], i) => {
    initializers[`fc${i}.weight`] = tensor("float32", [outF, inF], heWeights(rand, outF * inF, inF));
    initializers[`fc${i}.bias`] = tensor("float32", [outF], Float64Array.from({ length: outF }, () => Math.fround(0.2 * rand() - 0.1)));
    const last = i === layers.length - 1;
    const y = last ? "output" : `h${i}`;
    nodes.push(node("Gemm", [x, `fc${i}.weight`, `fc${i}.bias`], [y], { transB: 1 }));
    x = y;
    if (!last) {
      nodes.push(node("Relu", [y], [`${y}_relu`]));
      x = `${y}_relu`;
    }
  });
  const bytes = buildModel({
    opset: 17,
    name,
    inputs: [{ name: "input", dtype: "float32", shape: [1, SWEEP_IN] }],
    outputs: [{ name: "output", dtype: "float32", shape: [1, SWEEP_OUT] }],
    initializers,
    nodes,
  });
  writeFileSync(onnx, bytes);
  const sample = Array.from({ length: SWEEP_IN }, () => Math.round(rand() * 1e4) / 1e4);
  writeFileSync(input, JSON.stringify({ input_data: [sample] }));
  return { name, onnx, input, kind: "sweep", width };
}

/** A loaded model, its calibration and the quantised sample input. */
export interface Prepared {
  graph: Graph;
  calibration: CalibrationResult;
  program: QProgram;
  /** the sample input as floats, by graph input name */
  floats: Map<string, Float64Array>;
  /** the sample input quantised, by program input name */
  quantised: Map<string, Float64Array>;
}

/**
 * Loads and calibrates a model on its sample input. With `scale` the calibration search is
 * skipped and that fixed-point scale is used, so every worker rebuilds the identical program.
 */
export function prepare(spec: ModelSpec, scale?: number): Prepared {
  if (!existsSync(spec.onnx)) throw new Error(`model file missing: ${spec.onnx}`);
  const graph = loadModelFile(spec.onnx);
  const data = (JSON.parse(readFileSync(spec.input, "utf8")) as { input_data: number[][] }).input_data;
  const floats = new Map(graph.inputs.map((inp, i) => [inp.name, Float64Array.from(data[i]!)]));
  const feeds = Object.fromEntries(graph.inputs.map((inp) => [inp.name, tensor(inp.dtype, inp.shape, floats.get(inp.name)!)]));
  const calibration = calibrate(graph, [feeds], scale === undefined ? {} : { scale });
  const program = calibration.program;
  const quantised = new Map(program.inputs.map((n) => [n, quantiseInput(program, n, floats.get(n) ?? floats.get(program.tensors.get(n)?.onnxName ?? "")!).values]));
  return { graph, calibration, program, floats, quantised };
}

/** Multiply-accumulates of a program: the matmul primitives (convolutions lower to im2col + matmul). */
export function programMacs(program: QProgram): number {
  let macs = 0;
  for (const p of program.prims) if (p.op === "matmul") macs += p.batch * p.m * p.k * p.n;
  return macs;
}
