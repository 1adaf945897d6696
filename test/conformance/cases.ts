/**
 * ONNX backend conformance cases (onnx/onnx's generated node tests and a few multi-node
 * models, kept in ../shared/onnx-conformance relative to the repository root) run through zkc.
 *
 * A case is *applicable* when every op of its graph is in the op registry and its dtypes load;
 * otherwise it is *skipped* with the reason. Applicable cases are loaded with the frontend and run
 * by each {@link Evaluator} (today: the float interpreter; later a quantised interpreter as a
 * second column); any error on an applicable case counts as a failure with its message.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pkg from "onnx-proto";
import type { onnx as proto } from "onnx-proto";
import { ZkcError } from "../../compiler/errors.js";
import type { Graph } from "../../compiler/ir/graph.js";
import type { Tensor } from "../../compiler/ir/tensor.js";
import { runFloat } from "../../compiler/float/interpret.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { toNumber, type LongLike } from "../../compiler/onnx/proto.js";
import { decodeTensorProto } from "../../compiler/onnx/tensor-proto.js";
import { MAX_OPSET, MIN_OPSET, isSupported, supportedOps } from "../../compiler/ops/registry.js";
import { CONFORMANCE_TOLERANCE, compareTensors } from "./compare.js";

const { onnx } = pkg;

/** ../shared/onnx-conformance relative to the repository root. */
export const CONFORMANCE_ROOT = fileURLToPath(new URL("../../../shared/onnx-conformance/", import.meta.url));

export type Suite = "node" | "simple";
export const SUITES: readonly Suite[] = ["node", "simple"];

export interface ConformanceCase {
  suite: Suite;
  /** directory name, e.g. "test_add_bcast" */
  name: string;
  dir: string;
}

export type Status = "passed" | "failed" | "skipped";

export interface Outcome {
  status: Status;
  /** why it failed or was skipped */
  reason?: string;
}

/**
 * One way of running a graph, reported as one column. A quantised mode implements `run` with the
 * integer interpreter and `compare` with a tolerance derived from the chosen scales.
 */
export interface Evaluator {
  /** column name, e.g. "float" */
  name: string;
  /**
   * A reason to skip this graph in this column only (e.g. an op with no quantised lowering yet),
   * or `undefined` when the evaluator handles it. Absent: every applicable graph.
   */
  skip?(graph: Graph, feeds: Record<string, Tensor>): string | undefined;
  /** output tensors in graph-output order */
  run(graph: Graph, feeds: Record<string, Tensor>): Tensor[];
  /** `undefined` when `got` is close enough to `expected`, else the reason */
  compare(got: Tensor, expected: Tensor, graph: Graph, output: string): string | undefined;
}

/** The float reference interpreter, checked with rtol 1e-3 / atol 1e-5 (exact on ints and bools). */
export const floatEvaluator: Evaluator = {
  name: "float",
  run(graph, feeds) {
    const out = runFloat(graph, feeds);
    return graph.outputs.map((o) => out.get(o.name)!);
  },
  compare: (got, expected) => compareTensors(got, expected, CONFORMANCE_TOLERANCE),
};

export interface CaseResult {
  case: ConformanceCase;
  /** the op the case tests (see {@link caseOp}) */
  op: string;
  /** op types in the graph */
  opTypes: string[];
  /** per evaluator name */
  outcomes: Record<string, Outcome>;
  /** how the case was adapted to zkc's static-shape model, when it was */
  notes?: string;
}

/** Cases of a suite in name order, or `undefined` when the conformance data is absent. */
export function listCases(suite: Suite, root = CONFORMANCE_ROOT): ConformanceCase[] | undefined {
  const dir = join(root, suite);
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "model.onnx")))
    .map((e) => ({ suite, name: e.name, dir: join(dir, e.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface OpRef {
  opType: string;
  domain: string;
}

/** Op types of a graph and of every subgraph in its attributes (If/Loop bodies). */
function graphOps(g: proto.IGraphProto, out: OpRef[] = []): OpRef[] {
  for (const n of g.node ?? []) {
    out.push({ opType: n.opType ?? "", domain: n.domain === "ai.onnx" ? "" : (n.domain ?? "") });
    for (const a of n.attribute ?? []) {
      if (a.g) graphOps(a.g, out);
      for (const sub of a.graphs ?? []) graphOps(sub, out);
    }
  }
  return out;
}

const normalise = (s: string): string => s.toLowerCase().replace(/_/g, "");

/** Case-name prefixes that are not the op's name. */
const NAME_ALIASES: Readonly<Record<string, string>> = {
  nllloss: "NegativeLogLikelihoodLoss",
  sce: "SoftmaxCrossEntropyLoss",
};

/**
 * The op a case is filed under: the op type of its top-level nodes when there is one, or, for multi-node graphs (function
 * expansions such as `test_softmax_axis_0_expanded`), the known op type whose name is the longest
 * prefix of the case name; "(graph)" when none is.
 */
export function caseOp(caseName: string, opTypes: readonly string[], knownOps: Iterable<string>): string {
  const distinct = [...new Set(opTypes)];
  if (distinct.length === 1) return distinct[0]!;
  const bare = caseName.replace(/^test_/, "");
  const alias = NAME_ALIASES[bare.split("_")[0]!];
  if (alias) return alias;
  const key = normalise(bare);
  let best = "";
  for (const op of knownOps) if (key.startsWith(normalise(op)) && op.length > best.length) best = op;
  return best || "(graph)";
}

function readTensor(path: string): Tensor {
  return decodeTensorProto(new Uint8Array(readFileSync(path)), { file: path });
}

function dataSets(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => d.startsWith("test_data_set_"))
    .sort()
    .map((d) => join(dir, d));
}

function numbered(dir: string, prefix: string): string[] {
  const files: string[] = [];
  for (let i = 0; existsSync(join(dir, `${prefix}_${i}.pb`)); i++) files.push(join(dir, `${prefix}_${i}.pb`));
  return files;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isDtypeError = (e: unknown): boolean => e instanceof ZkcError && e.code === "UNSUPPORTED_DTYPE";

interface CaseModel {
  model: proto.ModelProto;
  /** every node's op, subgraphs included */
  ops: OpRef[];
  /** op types of the top-level nodes */
  topOps: string[];
  opset: number;
  /** runtime graph inputs (initializers excluded), in order: input_N.pb feeds the N-th */
  inputs: proto.IValueInfoProto[];
}

/** Decoded model and op list of a case, without going through the frontend. */
function readCaseModel(c: ConformanceCase): CaseModel {
  const model = onnx.ModelProto.decode(new Uint8Array(readFileSync(join(c.dir, "model.onnx"))));
  const g = model.graph ?? {};
  const inits = new Set((g.initializer ?? []).map((t) => t.name ?? ""));
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
  const opset = entry ? toNumber(entry.version as LongLike) : 1;
  return { model, ops: graphOps(g), topOps: (g.node ?? []).map((n) => n.opType ?? ""), opset, inputs: (g.input ?? []).filter((v) => !inits.has(v.name ?? "")) };
}

interface DataSet {
  dir: string;
  /** raw input .pb bytes, by graph input position */
  inputBytes: Uint8Array[];
  inputs: Tensor[];
  outputs: Tensor[];
}

/**
 * The case's model specialised to one data set, as zkc compiles models: every graph input gets
 * the data set's static shape (ONNX cases often declare symbolic dims), and the inputs named in
 * `bind` become initializers holding the data set's values (ONNX cases pass axes, shapes and pads
 * as runtime inputs; zkc needs them at compile time, as an exporter writes them).
 */
function specialise(cm: CaseModel, set: DataSet, bind: ReadonlySet<string>, source: string): Graph {
  const g = cm.model.graph!;
  const byPosition = new Map(cm.inputs.map((v, i) => [v.name ?? "", i]));
  const bound = [...bind].map((name) => ({ ...onnx.TensorProto.decode(set.inputBytes[byPosition.get(name)!]!), name }));
  const model = onnx.ModelProto.create({
    ...cm.model,
    graph: { ...g, input: (g.input ?? []).filter((v) => !bind.has(v.name ?? "")), initializer: [...(g.initializer ?? []), ...bound] },
  });
  const inputShapes: Record<string, number[]> = {};
  cm.inputs.forEach((v, i) => {
    const name = v.name ?? "";
    if (!bind.has(name) && set.inputs[i]) inputShapes[name] = [...set.inputs[i]!.shape];
  });
  return loadModelBytes(onnx.ModelProto.encode(model).finish(), source, { inputShapes });
}

const needsConstant = (e: unknown): boolean => e instanceof ZkcError && e.code === "UNSUPPORTED_FEATURE" && /must be known at compile time/.test(e.reason);

/**
 * Runs one case under every evaluator.
 * @param knownOps op names used to file multi-node cases (see {@link caseOp})
 */
export function runCase(c: ConformanceCase, evaluators: readonly Evaluator[], knownOps: Iterable<string> = supportedOps()): CaseResult {
  const all = (o: Outcome): Record<string, Outcome> => Object.fromEntries(evaluators.map((e) => [e.name, o]));
  let cm: CaseModel;
  try {
    cm = readCaseModel(c);
  } catch (e) {
    return { case: c, op: "(unreadable)", opTypes: [], outcomes: all({ status: "failed", reason: `model.onnx: ${message(e)}` }) };
  }
  const opTypes = cm.ops.map((o) => (o.domain ? `${o.domain}::${o.opType}` : o.opType));
  const result = (outcomes: Record<string, Outcome>, notes?: string): CaseResult => ({
    case: c,
    op: caseOp(c.name, cm.topOps, knownOps),
    opTypes,
    outcomes,
    ...(notes ? { notes } : {}),
  });

  const unsupported = [...new Set(cm.ops.filter((o) => !isSupported(o.opType, o.domain)).map((o) => (o.domain ? `${o.domain}::${o.opType}` : o.opType)))];
  if (unsupported.length) return result(all({ status: "skipped", reason: `unsupported op ${unsupported.join(", ")}` }));
  // a model-level opset outside zkc's range is a declared limit, like a dtype; an op missing at a
  // supported opset is an op gap and fails below
  if (cm.opset > MAX_OPSET || cm.opset < MIN_OPSET) {
    return result(all({ status: "skipped", reason: `opset ${cm.opset} outside ${MIN_OPSET}..${MAX_OPSET}` }));
  }

  const source = join(c.suite, c.name, "model.onnx");
  // sequence/optional/map inputs have .pb files that are not TensorProtos: let the frontend say why;
  // its refusal (zkc takes dense tensors only) is a declared limit, like a dtype
  if (cm.inputs.some((v) => !v.type?.tensorType)) {
    try {
      loadModelBytes(onnx.ModelProto.encode(cm.model).finish(), source);
    } catch (e) {
      if (isDtypeError(e)) return result(all({ status: "skipped", reason: `dtype: ${(e as ZkcError).reason}` }));
      if (e instanceof ZkcError && e.code === "UNSUPPORTED_FEATURE") return result(all({ status: "skipped", reason: `input type: ${e.reason}` }));
      return result(all({ status: "failed", reason: message(e) }));
    }
  }
  const sets: DataSet[] = [];
  try {
    for (const dir of dataSets(c.dir)) {
      const inputFiles = numbered(dir, "input");
      const inputBytes = inputFiles.map((f) => new Uint8Array(readFileSync(f)));
      sets.push({
        dir,
        inputBytes,
        inputs: inputBytes.map((b, i) => decodeTensorProto(b, { file: inputFiles[i] })),
        outputs: numbered(dir, "output").map(readTensor),
      });
    }
  } catch (e) {
    if (isDtypeError(e)) return result(all({ status: "skipped", reason: `dtype: ${(e as ZkcError).reason}` }));
    return result(all({ status: "failed", reason: message(e) }));
  }
  if (sets.length === 0) return result(all({ status: "skipped", reason: "no test_data_set_* directory" }));

  const outcomes: Record<string, Outcome> = {};
  let notes: string | undefined;
  for (const ev of evaluators) outcomes[ev.name] = { status: "passed" };
  for (const set of sets) {
    const where = set.dir.slice(set.dir.lastIndexOf("test_data_set_"));
    const fail = (reason: string): void => {
      for (const ev of evaluators) if (outcomes[ev.name]!.status === "passed") outcomes[ev.name] = { status: "failed", reason: `${where}: ${reason}` };
    };
    if (set.inputs.length !== cm.inputs.length) {
      fail(`${set.inputs.length} input files for ${cm.inputs.length} graph inputs`);
      break;
    }
    let graph: Graph;
    const bind = new Set<string>();
    try {
      for (;;) {
        try {
          graph = specialise(cm, set, bind, source);
          break;
        } catch (e) {
          const more = inputsToBind(e, cm, set, bind);
          if (more.length === 0) throw e;
          for (const name of more) bind.add(name);
        }
      }
      if (bind.size) notes = `bound as constants: ${[...bind].join(", ")}`;
    } catch (e) {
      if (isDtypeError(e)) return result(all({ status: "skipped", reason: `dtype: ${(e as ZkcError).reason}` }));
      fail(message(e));
      break;
    }
    const feeds: Record<string, Tensor> = {};
    cm.inputs.forEach((v, i) => {
      if (!bind.has(v.name ?? "")) feeds[v.name ?? ""] = set.inputs[i]!;
    });
    for (const ev of evaluators) {
      if (outcomes[ev.name]!.status !== "passed") continue;
      const skip = ev.skip?.(graph, feeds);
      if (skip) {
        outcomes[ev.name] = { status: "skipped", reason: skip };
        continue;
      }
      const bad = runWith(ev, graph, feeds, set.outputs);
      if (bad) outcomes[ev.name] = { status: "failed", reason: `${where}: ${bad}` };
    }
  }
  return result(outcomes, notes);
}

/** dtypes of shape-like inputs (axes, shapes, pads, indices) that may be bound as constants */
const INDEX_DTYPES: ReadonlySet<string> = new Set(["int64", "int32"]);

/**
 * Graph inputs to turn into constants after `e`: none unless an op needs a value at compile time;
 * then the input the error names (e.g. `(input 1, "axes")`) when it is a graph input, else every
 * integer input not bound yet.
 */
function inputsToBind(e: unknown, cm: CaseModel, set: DataSet, bound: ReadonlySet<string>): string[] {
  if (!needsConstant(e)) return [];
  const named = /\(input \d+, "([^"]*)"\)/.exec((e as ZkcError).reason)?.[1];
  const names = cm.inputs.map((v) => v.name ?? "");
  if (named !== undefined && names.includes(named) && !bound.has(named)) return [named];
  return names.filter((n, i) => !bound.has(n) && INDEX_DTYPES.has(set.inputs[i]!.dtype));
}

/** Runs one data set; `undefined` when every output matches, else the reason. */
function runWith(ev: Evaluator, graph: Graph, feeds: Record<string, Tensor>, expected: Tensor[]): string | undefined {
  if (expected.length !== graph.outputs.length) return `${expected.length} output files for ${graph.outputs.length} graph outputs`;
  let got: Tensor[];
  try {
    got = ev.run(graph, feeds);
  } catch (e) {
    return message(e);
  }
  for (let i = 0; i < expected.length; i++) {
    const name = graph.outputs[i]!.name;
    const bad = got[i] ? ev.compare(got[i]!, expected[i]!, graph, name) : "no value produced";
    if (bad) return `output ${i} ("${name}"): ${bad}`;
  }
  return undefined;
}

export interface RunOptions {
  /** only cases whose name contains this string (or matches this RegExp) */
  filter?: string | RegExp;
  root?: string;
  /** called after each case, e.g. for progress */
  onCase?: (r: CaseResult) => void;
}

/** Runs every case of a suite; `undefined` when the conformance data is absent. */
export function runSuite(suite: Suite, evaluators: readonly Evaluator[], opts: RunOptions = {}): CaseResult[] | undefined {
  const cases = listCases(suite, opts.root);
  if (!cases) return undefined;
  const selected = cases.filter((c) =>
    opts.filter === undefined ? true : typeof opts.filter === "string" ? c.name.includes(opts.filter) : opts.filter.test(c.name),
  );
  // op names for filing expanded cases: every op that appears alone in some node case, plus the registry
  const known = new Set(supportedOps());
  for (const c of listCases("node", opts.root) ?? []) {
    try {
      const ops = new Set(readCaseModel(c).topOps);
      if (ops.size === 1) known.add([...ops][0]!);
    } catch {
      // unreadable models are reported by runCase
    }
  }
  return selected.map((c) => {
    const r = runCase(c, evaluators, known);
    opts.onCase?.(r);
    return r;
  });
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/** Totals and per-op counts of one evaluator's column. */
export function tally(results: readonly CaseResult[], evaluator: string): { total: Tally; byOp: Map<string, Tally> } {
  const total: Tally = { passed: 0, failed: 0, skipped: 0 };
  const byOp = new Map<string, Tally>();
  for (const r of results) {
    const o = r.outcomes[evaluator];
    if (!o) continue;
    const t = byOp.get(r.op) ?? { passed: 0, failed: 0, skipped: 0 };
    t[o.status]++;
    total[o.status]++;
    byOp.set(r.op, t);
  }
  return { total, byOp: new Map([...byOp].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}
