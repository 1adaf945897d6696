/**
 * ONNX-ML ops (ai.onnx.ml): float semantics against hand-computed values and onnxruntime, the
 * quantised lowerings against the float semantics (labels exact, scores within a few grid
 * steps), and the typed errors for what is refused or malformed.
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { runFloat } from "../../../compiler/float/interpret.js";
import type { Graph } from "../../../compiler/ir/graph.js";
import { type Tensor, tensor } from "../../../compiler/ir/tensor.js";
import { type AttrInput, type ModelSpec, attr, buildModel } from "../../../compiler/onnx/build.js";
import { loadModelBytes } from "../../../compiler/onnx/load.js";
import { DEFAULT_CONFIG } from "../../../compiler/quant/builder.js";
import { collectRanges } from "../../../compiler/quant/calibrate.js";
import { quantiseGraph } from "../../../compiler/quant/quantise.js";
import { dequantise, quantiseInput, runProgram } from "../../../runtime/witness.js";
import { mulberry32 } from "../../../compiler/util/rng.js";
import { runOrt } from "../../frontend/helpers.js";
import { CLASS_SCORES, ROWS, SUMS, classifierAttrs, regressorAttrs } from "./trees.js";

const ML = "ai.onnx.ml";
const S = 10;
const CONFIG = { ...DEFAULT_CONFIG, inputScale: S, activationScale: S };

interface One {
  op: string;
  attrs: Record<string, AttrInput>;
  x: Tensor;
  outputs?: string[];
  extraInputs?: Record<string, Tensor>;
  mlOpset?: number;
}

function spec(o: One): ModelSpec {
  const outputs = o.outputs ?? ["y"];
  return {
    opset: 17,
    opsets: { [ML]: o.mlOpset ?? 3 },
    inputs: [{ name: "x", dtype: o.x.dtype, shape: [...o.x.shape] }],
    outputs: outputs.map((name) => ({ name })),
    initializers: o.extraInputs ?? {},
    nodes: [{ op: o.op, domain: ML, inputs: ["x", ...Object.keys(o.extraInputs ?? {})], outputs, attrs: o.attrs, name: "ml" }],
  };
}

const load = (o: One): Graph => loadModelBytes(buildModel(spec(o)), "ml.onnx");
const floats = (o: One): Float64Array[] => {
  const g = load(o);
  const r = runFloat(g, { x: o.x });
  return g.outputs.map((v) => r.get(v.name)!.data);
};
const near = (got: ArrayLike<number>, want: number[], tol = 1e-6) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i]! - w), `element ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol));
};

/** The quantised program's outputs on `o.x`, calibrated on `o.x` itself. */
function quantised(o: One): Float64Array[] {
  const g = load(o);
  const p = quantiseGraph(g, CONFIG, collectRanges(g, [{ x: o.x }]));
  const qin = new Map(p.inputs.map((n) => [n, quantiseInput(p, n, o.x.data).values]));
  const values = runProgram(p, qin);
  return p.outputs.map((name) => dequantise(values.get(name)!, p.tensors.get(name)!.scale));
}

const x23 = tensor("float32", [2, 3], [1, -2, 3, 0.5, 0, -1]);

describe("feature transforms", () => {
  it("Scaler: (x - offset) * scale per column, and one value for all", () => {
    const o = { op: "Scaler", attrs: { offset: attr.floats([1, 0, -1]), scale: attr.floats([2, 0.5, 1]) }, x: x23 };
    near(floats(o)[0]!, [0, -1, 4, -1, 0, 0]);
    near(quantised(o)[0]!, [0, -1, 4, -1, 0, 0], 2 ** -S * 2);
    near(floats({ ...o, attrs: { offset: attr.floats([1]), scale: attr.floats([-1]) } })[0]!, [0, 3, -2, 0.5, 1, 2]);
  });

  it("Normalizer MAX, L1, L2 per row; quantised MAX and L1", () => {
    const pos = tensor("float32", [2, 3], [1, 2, 4, 0, 3, 1]);
    const n = (norm: string, x = pos) => ({ op: "Normalizer", attrs: { norm: attr.string(norm) }, x });
    near(floats(n("MAX"))[0]!, [0.25, 0.5, 1, 0, 1, 1 / 3]);
    near(floats(n("L1"))[0]!, [1 / 7, 2 / 7, 4 / 7, 0, 0.75, 0.25]);
    near(floats(n("L2"))[0]!, [1 / Math.sqrt(21), 2 / Math.sqrt(21), 4 / Math.sqrt(21), 0, 3 / Math.sqrt(10), 1 / Math.sqrt(10)]);
    near(floats(n("L1", x23))[0]!, [1 / 6, -2 / 6, 3 / 6, 1 / 3, 0, -2 / 3]);
    near(quantised(n("MAX"))[0]!, [0.25, 0.5, 1, 0, 1, 1 / 3], 2 ** -S * 2);
    near(quantised(n("L1", x23))[0]!, [1 / 6, -2 / 6, 3 / 6, 1 / 3, 0, -2 / 3], 2 ** -S * 2);
  });

  it("Binarizer: 1 above the threshold, 0 at or below it", () => {
    const o = { op: "Binarizer", attrs: { threshold: attr.float(0.5) }, x: x23 };
    near(floats(o)[0]!, [1, 0, 1, 0, 0, 0]);
    near(quantised(o)[0]!, [1, 0, 1, 0, 0, 0], 0);
  });

  it("ArrayFeatureExtractor picks columns of the last axis, in the given order", () => {
    const o = { op: "ArrayFeatureExtractor", attrs: {}, x: x23, extraInputs: { idx: tensor("int64", [3], [2, 0, 2]) } };
    near(floats(o)[0]!, [3, 1, 3, -1, 0.5, -1]);
    near(quantised(o)[0]!, [3, 1, 3, -1, 0.5, -1], 0);
  });
});

describe("linear models", () => {
  const coefficients = attr.floats([1, 0, -1, 0.5, 0.5, 0.5, 0, -2, 0]);
  it("LinearRegressor: X·Wᵀ + b", () => {
    const o = { op: "LinearRegressor", attrs: { coefficients, intercepts: attr.floats([0.25, 0, -1]), targets: attr.int(3) }, x: x23 };
    // row 0: 1 - 3 + 0.25, 0.5·2, 4 - 1; row 1: 0.5 + 1 + 0.25, 0.5·(-0.5), 0 - 1
    near(floats(o)[0]!, [-1.75, 1, 3, 1.75, -0.25, -1]);
    near(quantised(o)[0]!, [-1.75, 1, 3, 1.75, -0.25, -1], 2 ** -S * 2);
  });

  it("LinearClassifier: labels at the argmax, SOFTMAX scores", () => {
    const o = { op: "LinearClassifier", attrs: { coefficients, intercepts: attr.floats([0.25, 0, -1]), classlabels_ints: attr.ints([7, 8, 9]), post_transform: attr.string("SOFTMAX") }, x: x23, outputs: ["label", "scores"] };
    const [label, scores] = floats(o);
    expect(Array.from(label!)).toEqual([9, 7]);
    const soft = (r: number[]) => r.map((v) => Math.exp(v) / r.reduce((s, u) => s + Math.exp(u), 0));
    near(scores!, [...soft([-1.75, 1, 3]), ...soft([1.75, -0.25, -1])], 1e-6);
    const [ql, qs] = quantised(o);
    expect(Array.from(ql!)).toEqual([9, 7]);
    near(qs!, Array.from(scores!), 2 ** -S * 8);
  });

  it("two coefficient rows for two labels: the argmax, as onnxruntime gives", async () => {
    const x = tensor("float32", [3, 3], ROWS);
    const o = { op: "LinearClassifier", attrs: { coefficients: attr.floats([1, 0, 0, 0, 1, 0]), intercepts: attr.floats([0, 0.5]), classlabels_ints: attr.ints([4, 7]) }, x, outputs: ["label", "scores"] };
    // scores [0.2, 0], [0.9, 0.5], [-0.6, 0.6]
    const [label, scores] = floats(o);
    expect(Array.from(label!)).toEqual([4, 4, 7]);
    near(scores!, [0.2, 0, 0.9, 0.5, -0.6, 0.6]);
    const want = await runOrt(buildModel(spec(o)), { x });
    expect(Array.from(want.label!.data)).toEqual([4, 4, 7]);
    near(want.scores!.data, Array.from(scores!), 1e-6);
    expect(Array.from(quantised(o)[0]!)).toEqual([4, 4, 7]);
  });

  it("a binary LinearClassifier scores [-s, s] (LOGISTIC: [σ(-s), σ(s)]), as onnxruntime does", async () => {
    const o = { op: "LinearClassifier", attrs: { coefficients: attr.floats([1, -1, 0.5]), intercepts: attr.floats([-0.5]), classlabels_ints: attr.ints([0, 1]), post_transform: attr.string("LOGISTIC") }, x: x23, outputs: ["label", "scores"] };
    // s = 1 + 2 + 1.5 - 0.5 = 4, 0.5 - 0 - 0.5 - 0.5 = -0.5
    const [label, scores] = floats(o);
    expect(Array.from(label!)).toEqual([1, 0]);
    const sg = (v: number) => 1 / (1 + Math.exp(-v));
    near(scores!, [sg(-4), sg(4), sg(0.5), sg(-0.5)]);
    const want = await runOrt(buildModel(spec(o)), { x: x23 });
    expect(Array.from(want.label!.data)).toEqual([1, 0]);
    near(want.scores!.data, Array.from(scores!), 1e-6);
    const [ql, qs] = quantised(o);
    expect(Array.from(ql!)).toEqual([1, 0]);
    near(qs!, Array.from(scores!), 2 ** -S * 8);
  });
});

describe("tree ensembles", () => {
  const x = tensor("float32", [3, 3], ROWS);
  it("TreeEnsembleRegressor SUM, AVERAGE, MIN, MAX over hand-traced paths; onnxruntime agrees", async () => {
    const o = (agg: string) => ({ op: "TreeEnsembleRegressor", attrs: regressorAttrs(agg), x });
    near(floats(o("SUM"))[0]!, SUMS);
    near(floats(o("AVERAGE"))[0]!, [0.75 + 0.125, -0.375 + 0.125, 0.625 + 0.125]);
    near(floats(o("MIN"))[0]!, [0.5 + 0.125, -1 + 0.125, -0.75 + 0.125]);
    near(floats(o("MAX"))[0]!, [1 + 0.125, 0.25 + 0.125, 2 + 0.125]);
    for (const agg of ["SUM", "AVERAGE", "MIN", "MAX"]) {
      const want = await runOrt(buildModel(spec(o(agg))), { x });
      near(want.y!.data, Array.from(floats(o(agg))[0]!), 1e-6);
      near(quantised(o(agg))[0]!, Array.from(floats(o(agg))[0]!), 2 ** -S * 2);
    }
  });

  it("TreeEnsembleClassifier: int64 labels at the argmax, scores per class; onnxruntime agrees", async () => {
    const o = { op: "TreeEnsembleClassifier", attrs: classifierAttrs([10, 20, 30]), x, outputs: ["label", "scores"] };
    const [label, scores] = floats(o);
    expect(Array.from(label!)).toEqual([10, 30, 20]);
    near(scores!, CLASS_SCORES);
    const want = await runOrt(buildModel(spec(o)), { x });
    expect(Array.from(want.label!.data)).toEqual([10, 30, 20]);
    near(want.scores!.data, CLASS_SCORES, 1e-6);
    const [ql, qs] = quantised(o);
    expect(Array.from(ql!)).toEqual([10, 30, 20]);
    near(qs!, CLASS_SCORES, 2 ** -S);
    // SOFTMAX scores, quantised through the Softmax lowering
    const soft = { ...o, attrs: classifierAttrs([0, 1, 2], "SOFTMAX") };
    const [, fs] = floats(soft);
    const [sl, ss] = quantised(soft);
    expect(Array.from(sl!)).toEqual([0, 2, 1]);
    near(ss!, Array.from(fs!), 2 ** -S * 8);
  });

  it("TreeEnsemble (ai.onnx.ml 5): indexed nodes and leaves, float and quantised; a bad leaf index is an ATTRIBUTE error", () => {
    // x0 <= 0.5 ? (x2 == 0 ? 3 : 1) : -1, aggregate SUM (1), no post_transform
    const attrs: Record<string, AttrInput> = {
      nodes_featureids: attr.ints([0, 2]),
      nodes_splits: tensor("float32", [2], [0.5, 0]),
      nodes_modes: tensor("uint8", [2], [0, 4]),
      nodes_truenodeids: attr.ints([1, 2]),
      nodes_trueleafs: attr.ints([0, 1]),
      nodes_falsenodeids: attr.ints([0, 1]),
      nodes_falseleafs: attr.ints([1, 1]),
      leaf_targetids: attr.ints([0, 0, 0]),
      leaf_weights: tensor("float32", [3], [-1, 1, 3]),
      n_targets: attr.int(1),
      tree_roots: attr.ints([0]),
      aggregate_function: attr.int(1),
    };
    const o = { op: "TreeEnsemble", attrs, x, mlOpset: 5 };
    // rows: x0 = 0.2, x2 = 0.3 -> leaf 1; x0 = 0.9 -> leaf 0; x0 = -0.6, x2 = 0 -> leaf 2
    near(floats(o)[0]!, [1, -1, 3]);
    near(quantised(o)[0]!, [1, -1, 3], 0);
    // BRANCH_MEMBER: x1 in {0.1, -0.5, 7} ? 2 : -2, float and quantised
    const member = {
      op: "TreeEnsemble",
      mlOpset: 5,
      // the features as float32 values, as a model sees them, so 0.1 is the member 0.1
      x: tensor("float32", [3, 3], ROWS.map(Math.fround)),
      attrs: {
        ...attrs,
        nodes_featureids: attr.ints([1]),
        nodes_splits: tensor("float32", [1], [0]),
        nodes_modes: tensor("uint8", [1], [6]),
        nodes_truenodeids: attr.ints([0]),
        nodes_trueleafs: attr.ints([1]),
        nodes_falsenodeids: attr.ints([1]),
        nodes_falseleafs: attr.ints([1]),
        leaf_targetids: attr.ints([0, 0]),
        leaf_weights: tensor("float32", [2], [2, -2]),
        membership_values: tensor("float32", [3], [0.1, -0.5, 7]),
      },
    };
    near(floats(member)[0]!, [2, -2, 2]);
    near(quantised(member)[0]!, [2, -2, 2], 0);
    const e = zkcError(() => load({ ...o, attrs: { ...attrs, nodes_falsenodeids: attr.ints([0, 5]) } }));
    expect(e.code).toBe("ATTRIBUTE");
    expect(e.reason).toMatch(/tree 0 node 1: its false child leaf 5 is out of range/);
  });

  it("single-leaf trees: one beside split trees, and a forest of leaves only", () => {
    const r = regressorAttrs("SUM");
    const withLeaf: Record<string, AttrInput> = {
      ...r,
      nodes_treeids: attr.ints([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 7]),
      nodes_nodeids: attr.ints([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0]),
      nodes_featureids: attr.ints([0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0]),
      nodes_values: attr.floats([0.5, -0.25, 0, 0, 0, 0.1, 0, -0.3, 0, 0, 0]),
      nodes_modes: attr.strings(["BRANCH_LEQ", "BRANCH_LT", "LEAF", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "BRANCH_GTE", "LEAF", "LEAF", "LEAF"]),
      nodes_truenodeids: attr.ints([1, 3, 0, 0, 0, 1, 0, 3, 0, 0, 0]),
      nodes_falsenodeids: attr.ints([2, 4, 0, 0, 0, 2, 0, 4, 0, 0, 0]),
      target_treeids: attr.ints([0, 0, 0, 1, 1, 1, 7]),
      target_nodeids: attr.ints([3, 4, 2, 1, 3, 4, 0]),
      target_ids: attr.ints([0, 0, 0, 0, 0, 0, 0]),
      target_weights: attr.floats([1, 2, -1, 0.5, 0.25, -0.75, 0.5]),
    };
    const o = { op: "TreeEnsembleRegressor", attrs: withLeaf, x };
    near(floats(o)[0]!, SUMS.map((v) => v + 0.5));
    near(quantised(o)[0]!, SUMS.map((v) => v + 0.5), 2 ** -S * 2);
    const leaves = {
      op: "TreeEnsembleRegressor",
      x,
      attrs: {
        nodes_treeids: attr.ints([0, 1]),
        nodes_nodeids: attr.ints([0, 0]),
        nodes_featureids: attr.ints([0, 0]),
        nodes_values: attr.floats([0, 0]),
        nodes_modes: attr.strings(["LEAF", "LEAF"]),
        nodes_truenodeids: attr.ints([0, 0]),
        nodes_falsenodeids: attr.ints([0, 0]),
        target_treeids: attr.ints([0, 1]),
        target_nodeids: attr.ints([0, 0]),
        target_ids: attr.ints([0, 0]),
        target_weights: attr.floats([0.75, -0.25]),
        aggregate_function: attr.string("MAX"),
      },
    };
    near(floats(leaves)[0]!, [0.75, 0.75, 0.75]);
    near(quantised(leaves)[0]!, [0.75, 0.75, 0.75], 2 ** -S);
  });

  it("a feature just off a threshold takes the float branch", () => {
    // x0 = 0.5 ± 2 grid steps around tree 0's root threshold, both sides
    const step = 2 ** -S;
    const rows = tensor("float32", [2, 3], [0.5 - 2 * step, -0.5, 0.3, 0.5 + 2 * step, -0.5, 0.3]);
    const o = { op: "TreeEnsembleRegressor", attrs: regressorAttrs("SUM"), x: rows };
    near(floats(o)[0]!, [1.625, -1 + 0.5 + 0.125]);
    near(quantised(o)[0]!, [1.625, -1 + 0.5 + 0.125], 2 ** -S * 2);
  });
});

function zkcError(f: () => unknown, what = ""): ZkcError {
  try {
    f();
  } catch (e) {
    if (e instanceof ZkcError) return e;
    throw e;
  }
  throw new Error(`expected a ZkcError ${what}`);
}

describe("refused and malformed ONNX-ML models", () => {
  const x = tensor("float32", [3, 3], ROWS);
  const tree = (patch: Record<string, AttrInput>) => ({ op: "TreeEnsembleRegressor", attrs: { ...regressorAttrs(), ...patch }, x });

  it("malformed trees are ATTRIBUTE errors naming the node and the tree node", () => {
    const cases: [Record<string, AttrInput>, RegExp][] = [
      [{ nodes_values: attr.floats([0.5, -0.25, 0]) }, /"nodes_values" has 3 entries but "nodes_treeids" has 10/],
      [{ nodes_truenodeids: attr.ints([1, 9, 0, 0, 0, 1, 0, 3, 0, 0]) }, /tree 0 node 1: its true child id 9 does not exist in tree 0/],
      [{ nodes_truenodeids: attr.ints([1, 0, 0, 0, 0, 1, 0, 3, 0, 0]) }, /tree 0 node 0 is not reachable from the root \(node 3\): a cycle/],
      // node 2 becomes a split onto node 1's leaves: they have two parents
      [{ nodes_truenodeids: attr.ints([1, 3, 3, 0, 0, 1, 0, 3, 0, 0]), nodes_falsenodeids: attr.ints([2, 4, 4, 0, 0, 2, 0, 4, 0, 0]), nodes_modes: attr.strings(["BRANCH_LEQ", "BRANCH_LT", "BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "BRANCH_GTE", "LEAF", "LEAF"]), target_nodeids: attr.ints([3, 4, 3, 1, 3, 4]) }, /tree 0 node 3 is reached twice/],
      [{ nodes_falsenodeids: attr.ints([2, 2, 0, 0, 0, 2, 0, 4, 0, 0]) }, /tree 0 has 2 roots \(nodes 0, 4\)/],
      // tree 1 node 4 becomes a split back onto its parent node 2
      [{ nodes_modes: attr.strings(["BRANCH_LEQ", "BRANCH_LT", "LEAF", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "BRANCH_GTE", "LEAF", "BRANCH_LEQ"]), nodes_truenodeids: attr.ints([1, 3, 0, 0, 0, 1, 0, 3, 0, 2]), nodes_falsenodeids: attr.ints([2, 4, 0, 0, 0, 2, 0, 4, 0, 3]), target_nodeids: attr.ints([3, 4, 2, 1, 3, 3]) }, /tree 1 node 2 is its own descendant: the tree has a cycle/],
      [{ nodes_featureids: attr.ints([0, 5, 0, 0, 0, 2, 0, 0, 0, 0]) }, /tree 0 node 1 reads feature 5 of 3/],
      [{ nodes_modes: attr.strings(["BRANCH_LEQ", "BRANCH_XX", "LEAF", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "BRANCH_GTE", "LEAF", "LEAF"]) }, /tree 0 node 1 has unknown mode "BRANCH_XX"/],
      [{ target_ids: attr.ints([0, 0, 0, 0, 0, 3]) }, /target_ids\[5\] = 3 is out of range for 1 targets/],
      [{ target_nodeids: attr.ints([3, 4, 2, 1, 3, 0]) }, /names tree 1 node 0, which is a BRANCH_GT node/],
      [{ n_targets: attr.int(0) }, /"n_targets" must be at least 1/],
    ];
    for (const [patch, reason] of cases) {
      const e = zkcError(() => load(tree(patch)), String(reason));
      expect(e.code, e.message).toBe("ATTRIBUTE");
      expect(e.reason).toMatch(reason);
      expect(e.details.node).toBe("ml");
    }
    // the control: the same model unpatched loads
    expect(() => load(tree({}))).not.toThrow();
  });

  it("seeded mutations of the tree arrays give a result or a typed error, never a crash", () => {
    const next = mulberry32(77);
    const base = regressorAttrs("SUM");
    const arrays = Object.entries(base).filter(([, v]) => typeof v === "object" && "type" in v && (v.type === "ints" || v.type === "floats"));
    let typed = 0;
    for (let n = 0; n < 300; n++) {
      const [name, v] = arrays[Math.floor(next() * arrays.length)]! as [string, { type: "ints" | "floats"; value: number[] }];
      const value = [...v.value];
      const kind = Math.floor(next() * 3);
      if (kind === 0) value.pop();
      else if (kind === 1) value[Math.floor(next() * value.length)] = Math.floor(next() * 14) - 2;
      else value.push(Math.floor(next() * 12));
      const o = tree({ [name]: { type: v.type, value } as AttrInput });
      try {
        quantised(o);
        floats(o);
      } catch (e) {
        if (!(e instanceof ZkcError)) throw new Error(`mutation ${n} of ${name} (${value}): ${String(e)}`);
        expect(e.code, `mutation ${n} of ${name}: ${e.message}`).not.toBe("INTERNAL");
        typed++;
      }
    }
    // most mutations break the trees; the rest still evaluate
    expect(typed).toBeGreaterThan(100);
  });

  it("string class labels, ZipMap, unknown domains and opsets are refused with what to do", () => {
    const strings = zkcError(() => load({ op: "LinearClassifier", attrs: { coefficients: attr.floats([1, 0, 0, 0, 1, 0]), classlabels_strings: attr.strings(["a", "b"]) }, x: x23, outputs: ["l", "s"] }));
    expect(strings.code).toBe("UNSUPPORTED_FEATURE");
    expect(strings.reason).toMatch(/string class labels/);

    const binary = zkcError(() => load({ op: "TreeEnsembleClassifier", attrs: classifierAttrs([0, 1]), x: tensor("float32", [3, 3], ROWS), outputs: ["l", "s"] }));
    expect(binary.code).toBe("UNSUPPORTED_FEATURE");
    expect(binary.reason).toMatch(/two-class TreeEnsembleClassifier/);

    const zip = zkcError(() =>
      loadModelBytes(
        buildModel({
          opsets: { [ML]: 3 },
          inputs: [{ name: "x", shape: [1, 3] }],
          outputs: [{ name: "label", dtype: "int64" }, { name: "probs" }],
          nodes: [
            { op: "LinearClassifier", domain: ML, inputs: ["x"], outputs: ["label", "p"], attrs: { coefficients: attr.floats([1, 0, 0, 0, 1, 0]), classlabels_ints: attr.ints([0, 1]) } },
            { op: "ZipMap", domain: ML, inputs: ["p"], outputs: ["probs"], attrs: { classlabels_int64s: attr.ints([0, 1]) }, name: "zip" },
          ],
        }),
        "zip.onnx",
      ),
    );
    expect(zip.code).toBe("UNSUPPORTED_FEATURE");
    expect(zip.details.node).toBe("zip");
    expect(zip.details.hint).toMatch(/zipmap.*False/);

    const newer = zkcError(() => load({ op: "Binarizer", attrs: {}, x: x23, mlOpset: 6 }));
    expect(newer.code).toBe("UNSUPPORTED_OPSET");
    expect(newer.reason).toMatch(/opset 6 of the ai.onnx.ml domain/);

    const unimported = zkcError(() => loadModelBytes(buildModel({ ...spec({ op: "Binarizer", attrs: {}, x: x23 }), opsets: {} }), "ml.onnx"));
    expect(unimported.code).toBe("MODEL_FORMAT");
    expect(unimported.reason).toMatch(/imports no opset of it/);

    const other = zkcError(() => loadModelBytes(buildModel({ ...spec({ op: "Binarizer", attrs: {}, x: x23 }), opsets: { "com.example": 1 }, nodes: [{ op: "Binarizer", domain: "com.example", inputs: ["x"], outputs: ["y"] }] }), "ml.onnx"));
    expect(other.code).toBe("UNSUPPORTED_OP");
    expect(other.details.op).toBe("com.example::Binarizer");

    // TreeEnsemble exists from ai.onnx.ml 5 only
    const early = zkcError(() => load({ op: "TreeEnsemble", attrs: {}, x: x23, mlOpset: 3 }));
    expect(early.code).toBe("UNSUPPORTED_OPSET");
  });

  it("a model of ai.onnx.ml ops only needs no default-domain opset", () => {
    const o = { op: "Binarizer", attrs: {}, x: x23 };
    const proto = buildModel({ ...spec(o) });
    expect(() => loadModelBytes(proto, "ml.onnx")).not.toThrow();
  });

  it("quantised refusals say why", () => {
    const l2 = zkcError(() => quantised({ op: "Normalizer", attrs: { norm: attr.string("L2") }, x: x23 }));
    expect(l2.code).toBe("UNSUPPORTED_FEATURE");
    expect(l2.reason).toMatch(/L2/);
    const max = zkcError(() => quantised({ op: "Normalizer", attrs: { norm: attr.string("MAX") }, x: x23 }));
    expect(max.reason).toMatch(/non-negative features only/);
  });
});
