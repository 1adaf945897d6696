/**
 * Lowering of tree ensembles (TreeEnsembleRegressor/Classifier, TreeEnsemble), with no branching:
 *
 *  1. every split's feature is gathered into one vector per comparison kind and compared with the
 *     constant thresholds by logic.ts's comparisons (LEQ, LT, EQ; GT, GTE and NEQ are those with
 *     their branches swapped; BRANCH_MEMBER an Equal per set member, summed), giving a 0/1
 *     decision per split;
 *  2. a leaf is reached when every decision on its path goes its way: with P_t [splits, leaves]
 *     of tree t holding +1 (the path needs decision 1) or -1 (needs 0), the count of satisfied
 *     edges is D_t·P_t + (number of edges that need 0), which equals the depth exactly on the one
 *     reached leaf, so [reached] = clamp(D_t·P_t + c - depth + 1, 0, 1): one matmul batched over
 *     the trees (padded to the largest tree) and one clamp;
 *  3. per-tree values are the leaf indicators times the constant leaf weights (a batched matmul),
 *     then summed over the trees (SUM; AVERAGE with the weights divided by the tree count) or
 *     their MIN/MAX taken, plus base.
 *
 * A feature within half a grid step of a threshold may take the other branch than in float
 * (logic.ts's rounding rule); every other input takes the float path exactly.
 */
import { sizeOf, tensor } from "../../ir/tensor.js";
import { type Child, type Forest, type SplitMode, ensembleForest, regressorForest } from "../../ops/ml/forest.js";
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

/**
 * BRANCH_MEMBER decisions [rows, splits]: the feature equals some member of the split's set, as
 * clamp(Σ_k [x = m_k], 0, 1): one Equal per (split, member) pair and a 0/1 matmul summing each
 * split's pairs (members rounding to one grid point count once).
 */
function memberDecisions(ctx: LowerContext, x: QTensor, f: Forest, splits: number[], rows: number, cols: number): QTensor {
  const { q } = ctx;
  const pairs = splits.flatMap((j, k) => f.splits[j]!.members.map((m) => ({ j, k, m })));
  if (pairs.length === 0) return filled(q, [rows, splits.length], 0, 0, "empty-sets");
  const P = pairs.length;
  const idx = new Int32Array(rows * P);
  for (let r = 0; r < rows; r++) pairs.forEach((p, i) => (idx[r * P + i] = r * cols + f.splits[p.j]!.feature));
  const g = q.gather([x], [rows, P], idx);
  const features: LowerInput = { name: `${ctx.node.name}/features-MEMBER`, shape: [rows, P], dtype: "float32", value: () => g };
  const values: LowerInput = {
    name: `${ctx.node.name}/members`,
    shape: [1, P],
    dtype: "float32",
    constant: tensor("float32", [1, P], pairs.map((p) => p.m)),
    value: () => {
      throw notQuantisable(ctx, "set members are compared as constants");
    },
  };
  const [eq] = lowerEqual([features, values], { ...ctx, outputs: [{ dtype: "bool", shape: [rows, P] }] });
  const sum = new Float64Array(P * splits.length);
  pairs.forEach((p, i) => (sum[i * splits.length + p.k] = 1));
  const hits = q.matmul(eq!, q.paramInts(`${ctx.node.name}/member-sets`, [P, splits.length], sum, 0), { batch: 1, bBatch: 1, m: rows, k: P, n: splits.length }, [rows, splits.length]);
  return q.clamp(hits, 0, 1, 0);
}

/** One 0/1 decision per split, [rows, splits], and per split whether 1 means "the false branch". */
function decisions(ctx: LowerContext, x: QTensor, f: Forest, rows: number, cols: number): { d: QTensor; flipped: boolean[] } {
  const { q } = ctx;
  const groups = new Map<BaseMode, number[]>();
  const members: number[] = [];
  const flipped = f.splits.map((s, j) => {
    if (s.mode === "MEMBER") {
      members.push(j);
      return false;
    }
    const [base, flip] = BASE[s.mode];
    groups.set(base, [...(groups.get(base) ?? []), j]);
    return flip;
  });
  const sources: QTensor[] = [];
  const where = new Map<number, [number, number]>();
  if (members.length) {
    members.forEach((j, k) => where.set(j, [0, k]));
    sources.push(memberDecisions(ctx, x, f, members, rows, cols));
  }
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

/** Each tree's splits and leaves (indices into the forest's), in walk order. */
function treeParts(f: Forest): { splits: number[]; leaves: number[] }[] {
  return f.roots.map((root) => {
    const part = { splits: [] as number[], leaves: [] as number[] };
    const walk = (c: Child) => {
      if ("leaf" in c) part.leaves.push(c.leaf);
      else {
        part.splits.push(c.split);
        walk(f.splits[c.split]!.whenTrue);
        walk(f.splits[c.split]!.whenFalse);
      }
    };
    walk(root);
    return part;
  });
}

/**
 * Which leaf each tree reaches, [trees, rows, L] 0/1 with L the most leaves of any tree (padding
 * columns are 0). The path matrices are per tree, [trees, S, L] (S the most splits of any tree),
 * one batched matmul: their size grows with the trees' sizes, not with the whole forest squared.
 */
function leafIndicators(ctx: LowerContext, x: QTensor, f: Forest, parts: ReturnType<typeof treeParts>, rows: number, cols: number): QTensor {
  const { q } = ctx;
  const nT = parts.length;
  const S = Math.max(1, ...parts.map((p) => p.splits.length));
  const L = Math.max(...parts.map((p) => p.leaves.length));
  const paths = new Float64Array(nT * S * L);
  const offset = new Float64Array(nT * rows * L);
  const splitAt = new Map<number, number>();
  const leafAt = new Map<number, number>();
  parts.forEach((p) => {
    p.splits.forEach((j, k) => splitAt.set(j, k));
    p.leaves.forEach((l, k) => leafAt.set(l, k));
  });
  // no splits at all: every tree is one leaf, reached always
  const dec = f.splits.length ? decisions(ctx, x, f, rows, cols) : undefined;
  parts.forEach((p, t) => {
    const walk = (c: Child, edges: [number, boolean][]) => {
      if ("leaf" in c) {
        // satisfied edges minus depth, plus one: 1 on the reached leaf, <= 0 elsewhere
        const l = leafAt.get(c.leaf)!;
        let needZero = 0;
        for (const [j, needsOne] of edges) {
          paths[(t * S + splitAt.get(j)!) * L + l] = needsOne ? 1 : -1;
          if (!needsOne) needZero++;
        }
        for (let r = 0; r < rows; r++) offset[(t * rows + r) * L + l] = needZero - edges.length + 1;
        return;
      }
      const s = f.splits[c.split]!;
      // a split exists, so its decisions do
      const flip = dec!.flipped[c.split]!;
      walk(s.whenTrue, [...edges, [c.split, !flip]]);
      walk(s.whenFalse, [...edges, [c.split, flip]]);
    };
    walk(f.roots[t]!, []);
  });
  const offsets = q.paramInts(`${ctx.node.name}/depths`, [nT, rows, L], offset, 0);
  if (!dec) return q.clamp(offsets, 0, 1, 0);
  // the decisions of each tree's splits, [trees, rows, S], zero-padded
  const nS = f.splits.length;
  const idx = new Int32Array(nT * rows * S).fill(-1);
  parts.forEach((p, t) => {
    for (let r = 0; r < rows; r++) p.splits.forEach((j, k) => (idx[(t * rows + r) * S + k] = r * nS + j));
  });
  const d = q.gather([dec.d], [nT, rows, S], idx);
  const z = q.matmul(d, q.paramInts(`${ctx.node.name}/paths`, [nT, S, L], paths, 0), { batch: nT, bBatch: nT, m: rows, k: S, n: L }, [nT, rows, L]);
  return q.clamp(q.addT(z, offsets), 0, 1, 0);
}

/** Aggregated scores plus base values [rows, targets] at the weights' product scale, before post_transform. */
export function forestRawScores(ctx: LowerContext, X: LowerInput, f: Forest): QTensor {
  const { q } = ctx;
  const cols = X.shape[X.shape.length - 1]!;
  const rows = sizeOf(X.shape) / cols;
  const parts = treeParts(f);
  const ind = leafIndicators(ctx, featureMatrix(ctx, X.value(), rows, cols), f, parts, rows, cols);
  const nT = parts.length;
  const L = ind.shape[2]!;
  const T = f.targets;
  const extreme = f.aggregate === "MIN" || f.aggregate === "MAX";
  if (extreme && f.leaves.some((leaf) => leaf.weights.size !== T)) {
    throw notQuantisable(ctx, `aggregate_function ${f.aggregate} with leaves that score only some targets`, "give every leaf a weight for every target, or aggregate with SUM or AVERAGE");
  }
  // per-tree values [trees, rows, T]: the reached leaf's weights (MIN works on negated weights)
  const k = f.aggregate === "AVERAGE" ? 1 / nT : f.aggregate === "MIN" ? -1 : 1;
  const w = new Float64Array(nT * L * T);
  parts.forEach((p, t) => p.leaves.forEach((l, j) => f.leaves[l]!.weights.forEach((v, target) => (w[(t * L + j) * T + target] = v * k))));
  const perTree = q.matmul(ind, q.param(`${ctx.node.name}/leaf-weights`, [nT, L, T], w, "weight"), { batch: nT, bBatch: nT, m: rows, k: L, n: T }, [nT, rows, T]);
  let y: QTensor;
  if (!extreme) y = q.reduceSum(perTree, 1, nT, rows * T, [rows, T]);
  else {
    const idx = new Int32Array(rows * T * nT);
    for (let r = 0; r < rows; r++) for (let t = 0; t < T; t++) for (let j = 0; j < nT; j++) idx[(r * T + t) * nT + j] = (j * rows + r) * T + t;
    const m = maxOverLast(q, q.gather([perTree], [rows * T, nT], idx), rows * T, nT, [rows, T]);
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
