/**
 * Lowering of tree ensembles (TreeEnsembleRegressor/Classifier, TreeEnsemble), with no branching:
 *
 *  1. every split's feature is gathered into one vector per comparison kind and compared with the
 *     constant thresholds by logic.ts's comparisons (LEQ, LT, EQ; GT, GTE and NEQ are those with
 *     their branches swapped), giving a 0/1 decision per split;
 *  2. a leaf is reached when every decision on its path goes its way: with P [splits, leaves]
 *     holding +1 (the path needs decision 1) or -1 (needs 0), the count of satisfied edges is
 *     D·P + (number of edges that need 0), which equals the depth exactly on the one reached leaf
 *     per tree, so [reached] = clamp(D·P + c - depth + 1, 0, 1): one matmul and one clamp;
 *  3. scores are the leaf indicators times the constant leaf weights (a matmul), then SUM or
 *     AVERAGE (weights divided by the tree count), or MIN/MAX over the per-tree values, plus base.
 *
 * A feature within half a grid step of a threshold may take the other branch than in float
 * (logic.ts's rounding rule); every other input takes the float path exactly.
 */
import { sizeOf, tensor } from "../../ir/tensor.js";
import { type Forest, type SplitMode, ensembleForest, regressorForest } from "../../ops/ml/forest.js";
import { classifierOf } from "../../ops/ml/tree-ensemble-classifier.js";
import type { LowerContext, LowerInput } from "../lower-context.js";
import type { QTensor } from "../prim.js";
import { type Lower, filled, maxOverLast, negate, notQuantisable, reshape } from "./common.js";
import { lowerEqual, lowerLess, lowerLessOrEqual } from "./logic.js";
import { featureMatrix, labelsAtArgmax, postTransformed } from "./ml.js";

type BaseMode = "LEQ" | "LT" | "EQ";
const BASE: Record<Exclude<SplitMode, "MEMBER">, [BaseMode, boolean]> = {
  LEQ: ["LEQ", false],
  GT: ["LEQ", true],
  LT: ["LT", false],
  GTE: ["LT", true],
  EQ: ["EQ", false],
  NEQ: ["EQ", true],
};
const COMPARE: Record<BaseMode, Lower> = { LEQ: lowerLessOrEqual, LT: lowerLess, EQ: lowerEqual };

/** One 0/1 decision per split, [rows, splits], and per split whether 1 means "the false branch". */
function decisions(ctx: LowerContext, x: QTensor, f: Forest, rows: number, cols: number): { d: QTensor; flipped: boolean[] } {
  const { q } = ctx;
  const groups = new Map<BaseMode, number[]>();
  const flipped = f.splits.map((s, j) => {
    if (s.mode === "MEMBER") throw notQuantisable(ctx, `${s.label} is a BRANCH_MEMBER split, which has no quantised lowering yet`, "export the trees with threshold splits");
    const [base, flip] = BASE[s.mode];
    groups.set(base, [...(groups.get(base) ?? []), j]);
    return flip;
  });
  const sources: QTensor[] = [];
  const where = new Map<number, [number, number]>();
  for (const [mode, js] of groups) {
    const m = js.length;
    const idx = new Int32Array(rows * m);
    for (let r = 0; r < rows; r++) js.forEach((j, k) => (idx[r * m + k] = r * cols + f.splits[j]!.feature));
    const g = q.gather([x], [rows, m], idx);
    const features: LowerInput = { name: `${ctx.node.name}/features-${mode}`, shape: [rows, m], dtype: "float32", value: () => g };
    const thresholds: LowerInput = {
      name: `${ctx.node.name}/thresholds-${mode}`,
      shape: [1, m],
      dtype: "float32",
      constant: tensor("float32", [1, m], js.map((j) => f.splits[j]!.threshold)),
      value: () => {
        throw notQuantisable(ctx, "tree thresholds are compared as constants");
      },
    };
    const [d] = COMPARE[mode]([features, thresholds], { ...ctx, outputs: [{ dtype: "bool", shape: [rows, m] }] });
    js.forEach((j, k) => where.set(j, [sources.length, k]));
    sources.push(d!);
  }
  const n = f.splits.length;
  const idx = new Int32Array(rows * n);
  const src = new Int32Array(rows * n);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < n; j++) {
      const [s, k] = where.get(j)!;
      src[r * n + j] = s;
      idx[r * n + j] = r * sources[s]!.shape[1]! + k;
    }
  return { d: q.gather(sources, [rows, n], idx, sources.length > 1 ? src : undefined), flipped };
}

/** [rows, leaves] 0/1: which leaf each tree reaches. */
function leafIndicators(ctx: LowerContext, x: QTensor, f: Forest, rows: number, cols: number): QTensor {
  const { q } = ctx;
  const nL = f.leaves.length;
  const nS = f.splits.length;
  if (nS === 0) return filled(q, [rows, nL], 1, 0, "single-leaf-trees");
  const { d, flipped } = decisions(ctx, x, f, rows, cols);
  const paths = new Float64Array(nS * nL);
  const offset = new Float64Array(nL);
  const walk = (c: Forest["roots"][number], edges: [number, boolean][]) => {
    if ("leaf" in c) {
      // satisfied edges minus depth, plus one: 1 on the reached leaf, <= 0 elsewhere
      let needZero = 0;
      for (const [j, needsOne] of edges) {
        paths[j * nL + c.leaf] = needsOne ? 1 : -1;
        if (!needsOne) needZero++;
      }
      offset[c.leaf] = needZero - edges.length + 1;
      return;
    }
    const s = f.splits[c.split]!;
    const flip = flipped[c.split]!;
    walk(s.whenTrue, [...edges, [c.split, !flip]]);
    walk(s.whenFalse, [...edges, [c.split, flip]]);
  };
  for (const root of f.roots) walk(root, []);
  const z = q.matmul(d, q.paramInts(`${ctx.node.name}/paths`, [nS, nL], paths, 0), { batch: 1, bBatch: 1, m: rows, k: nS, n: nL }, [rows, nL]);
  const c = new Float64Array(rows * nL);
  for (let i = 0; i < c.length; i++) c[i] = offset[i % nL]!;
  return q.clamp(q.addT(z, q.paramInts(`${ctx.node.name}/depths`, [rows, nL], c, 0)), 0, 1, 0);
}

/** Aggregated scores plus base values [rows, targets] at the weights' product scale, before post_transform. */
export function forestRawScores(ctx: LowerContext, X: LowerInput, f: Forest): QTensor {
  const { q } = ctx;
  const cols = X.shape[X.shape.length - 1]!;
  const rows = sizeOf(X.shape) / cols;
  const ind = leafIndicators(ctx, featureMatrix(ctx, X.value(), rows, cols), f, rows, cols);
  const nL = f.leaves.length;
  const T = f.targets;
  const nTrees = f.roots.length;
  let y: QTensor;
  if (f.aggregate === "SUM" || f.aggregate === "AVERAGE") {
    const w = new Float64Array(nL * T);
    const k = f.aggregate === "AVERAGE" ? 1 / nTrees : 1;
    f.leaves.forEach((leaf, l) => leaf.weights.forEach((v, t) => (w[l * T + t] = v * k)));
    y = q.matmul(ind, q.param(`${ctx.node.name}/leaf-weights`, [nL, T], w, "weight"), { batch: 1, bBatch: 1, m: rows, k: nL, n: T }, [rows, T]);
  } else {
    // per-tree values, then the extreme over the trees of each target
    if (f.leaves.some((leaf) => leaf.weights.size !== T)) {
      throw notQuantisable(ctx, `aggregate_function ${f.aggregate} with leaves that score only some targets`, "give every leaf a weight for every target, or aggregate with SUM or AVERAGE");
    }
    const w = new Float64Array(nL * nTrees * T);
    f.leaves.forEach((leaf, l) => leaf.weights.forEach((v, t) => (w[l * nTrees * T + leaf.tree * T + t] = f.aggregate === "MIN" ? -v : v)));
    const perTree = q.matmul(ind, q.param(`${ctx.node.name}/leaf-weights`, [nL, nTrees * T], w, "weight"), { batch: 1, bBatch: 1, m: rows, k: nL, n: nTrees * T }, [rows, nTrees * T]);
    const idx = new Int32Array(rows * T * nTrees);
    for (let r = 0; r < rows; r++) for (let t = 0; t < T; t++) for (let k = 0; k < nTrees; k++) idx[(r * T + t) * nTrees + k] = r * nTrees * T + k * T + t;
    const m = maxOverLast(q, q.gather([perTree], [rows * T, nTrees], idx), rows * T, nTrees, [rows, T]);
    y = reshape(q, f.aggregate === "MIN" ? negate(q, m) : m, [rows, T]);
  }
  const base = Float64Array.from({ length: rows * T }, (_, i) => f.base[i % T]!);
  return q.addT(y, q.param(`${ctx.node.name}/base-values`, [rows, T], base, y.scale));
}

export const lowerTreeEnsembleRegressor: Lower = (inputs, ctx) => {
  const f = regressorForest(ctx);
  return [postTransformed(ctx, forestRawScores(ctx, inputs[0]!, f), f.postTransform)];
};

export const lowerTreeEnsemble: Lower = (inputs, ctx) => {
  const f = ensembleForest(ctx);
  return [postTransformed(ctx, forestRawScores(ctx, inputs[0]!, f), f.postTransform)];
};

export const lowerTreeEnsembleClassifier: Lower = (inputs, ctx) => {
  const { forest, labels } = classifierOf(ctx);
  const raw = forestRawScores(ctx, inputs[0]!, forest);
  return [labelsAtArgmax(ctx, raw, raw.shape[0]!, forest.targets, labels), postTransformed(ctx, raw, forest.postTransform)];
};
