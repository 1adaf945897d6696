/**
 * Tree ensembles, read once into one form whatever attribute layout the model uses: the
 * TreeEnsembleRegressor/Classifier arrays (ai.onnx.ml 1–3, node ids per tree) and TreeEnsemble's
 * (ai.onnx.ml 5, indices into node and leaf arrays). Only what is reachable from each root is
 * kept. Malformed arrays (mismatched lengths, a child id that does not exist, a cycle, a node
 * reached twice) are ATTRIBUTE errors naming the tree node.
 */
import type { Node } from "../../ir/graph.js";
import type { Tensor } from "../../ir/tensor.js";
import type { OpContext } from "../op.js";
import { attributeError } from "../util/conv-geometry.js";
import { type PostTransform, applyPostTransform, postTransformOf } from "./common.js";

export type SplitMode = "LEQ" | "LT" | "GTE" | "GT" | "EQ" | "NEQ" | "MEMBER";
export type Aggregate = "SUM" | "AVERAGE" | "MIN" | "MAX";
export type Child = { split: number } | { leaf: number };

export interface Split {
  feature: number;
  mode: SplitMode;
  threshold: number;
  /** BRANCH_MEMBER's set */
  members: number[];
  whenTrue: Child;
  whenFalse: Child;
  /** how errors name it: "tree 0 node 3" */
  label: string;
}

export interface Leaf {
  /** index of its tree in `roots` */
  tree: number;
  /** weight per target; targets the leaf does not name are absent */
  weights: Map<number, number>;
}

export interface Forest {
  targets: number;
  splits: Split[];
  leaves: Leaf[];
  /** one per tree */
  roots: Child[];
  aggregate: Aggregate;
  postTransform: PostTransform;
  /** added to every row's aggregated scores (zeros when the model has none) */
  base: number[];
}

const MODES: Record<string, SplitMode | "LEAF"> = {
  BRANCH_LEQ: "LEQ",
  BRANCH_LT: "LT",
  BRANCH_GTE: "GTE",
  BRANCH_GT: "GT",
  BRANCH_EQ: "EQ",
  BRANCH_NEQ: "NEQ",
  BRANCH_MEMBER: "MEMBER",
  LEAF: "LEAF",
};
/** TreeEnsemble (ml 5) encodes modes as uint8 in this order */
const MODE_CODES: readonly SplitMode[] = ["LEQ", "LT", "GTE", "GT", "EQ", "NEQ", "MEMBER"];
const AGGREGATE_CODES: readonly Aggregate[] = ["AVERAGE", "SUM", "MIN", "MAX"];

function floatsOrTensor(ctx: OpContext, name: string, required: boolean): number[] {
  if (ctx.attrs.has(`${name}_as_tensor`)) return Array.from(ctx.attrs.tensor(`${name}_as_tensor`).data);
  if (required || ctx.attrs.has(name)) return ctx.attrs.floats(name);
  return [];
}

function sameLengths(ctx: OpContext, arrays: Record<string, readonly unknown[]>): void {
  const entries = Object.entries(arrays);
  const [first, firstArr] = entries[0]!;
  for (const [name, arr] of entries) {
    if (arr.length !== firstArr.length) {
      throw attributeError(ctx, `attribute "${name}" has ${arr.length} entries but "${first}" has ${firstArr.length}; the arrays must have one entry per ${first.startsWith("nodes") ? "node" : "leaf weight"}`, String(firstArr.length), String(arr.length));
    }
  }
}

/** Walks one tree from its root, appending reachable splits and leaves; refuses cycles and nodes reached twice. */
class ForestBuilder {
  readonly splits: Split[] = [];
  readonly leaves: Leaf[] = [];
  readonly roots: Child[] = [];
  /** keys of every node walked so far */
  readonly seen = new Set<string>();

  constructor(private readonly ctx: OpContext) {}

  /**
   * `visit(key)` describes a node by its key: a split (with the keys of its children) or a leaf
   * (with its weights). Recursion depth is the tree depth, which exporters keep far below the stack.
   */
  tree(rootKey: string, describe: (key: string) => { label: string; leaf?: Map<number, number>; split?: Omit<Split, "whenTrue" | "whenFalse" | "label"> & { trueKey: string; falseKey: string } }): void {
    const onPath = new Set<string>();
    const walk = (key: string): Child => {
      const d = describe(key);
      if (onPath.has(key)) throw attributeError(this.ctx, `${d.label} is its own descendant: the tree has a cycle`);
      if (this.seen.has(key)) throw attributeError(this.ctx, `${d.label} is reached twice from the root: each node needs exactly one parent`);
      this.seen.add(key);
      if (d.leaf) {
        this.leaves.push({ tree: this.roots.length, weights: d.leaf });
        return { leaf: this.leaves.length - 1 };
      }
      const s = d.split!;
      const at = this.splits.length;
      this.splits.push({ feature: s.feature, mode: s.mode, threshold: s.threshold, members: s.members, label: d.label, whenTrue: { leaf: -1 }, whenFalse: { leaf: -1 } });
      onPath.add(key);
      const whenTrue = walk(s.trueKey);
      const whenFalse = walk(s.falseKey);
      onPath.delete(key);
      this.splits[at]!.whenTrue = whenTrue;
      this.splits[at]!.whenFalse = whenFalse;
      return { split: at };
    };
    this.roots.push(walk(rootKey));
  }
}

/** TreeEnsembleRegressor / TreeEnsembleClassifier (ml 1–3): `kind` picks target_* or class_*. */
function readClassic(ctx: OpContext, kind: "target" | "class", targets: number, aggregate: Aggregate): Forest {
  const a = ctx.attrs;
  const treeIds = a.ints("nodes_treeids");
  const nodeIds = a.ints("nodes_nodeids");
  const features = a.ints("nodes_featureids");
  const values = floatsOrTensor(ctx, "nodes_values", true);
  const modes = a.strings("nodes_modes");
  const trueIds = a.ints("nodes_truenodeids");
  const falseIds = a.ints("nodes_falsenodeids");
  sameLengths(ctx, { nodes_treeids: treeIds, nodes_nodeids: nodeIds, nodes_featureids: features, nodes_values: values, nodes_modes: modes, nodes_truenodeids: trueIds, nodes_falsenodeids: falseIds });
  const wTrees = a.ints(`${kind}_treeids`);
  const wNodes = a.ints(`${kind}_nodeids`);
  const wIds = a.ints(`${kind}_ids`);
  const wValues = floatsOrTensor(ctx, `${kind}_weights`, true);
  sameLengths(ctx, { [`${kind}_treeids`]: wTrees, [`${kind}_nodeids`]: wNodes, [`${kind}_ids`]: wIds, [`${kind}_weights`]: wValues });

  if (!Number.isInteger(targets) || targets < 1) throw attributeError(ctx, `${kind === "class" ? "the class count" : '"n_targets"'} must be at least 1`, ">= 1", String(targets));
  if (treeIds.length === 0) throw attributeError(ctx, "the ensemble has no nodes: at least one tree is needed");
  const key = (t: number, n: number) => `${t}/${n}`;
  const index = new Map<string, number>();
  treeIds.forEach((t, i) => {
    const k = key(t, nodeIds[i]!);
    if (index.has(k)) throw attributeError(ctx, `tree ${t} node ${nodeIds[i]} is defined twice`);
    index.set(k, i);
  });
  const weights = new Map<number, Map<number, number>>();
  wTrees.forEach((t, j) => {
    const i = index.get(key(t, wNodes[j]!));
    if (i === undefined) throw attributeError(ctx, `${kind}_nodeids[${j}] names tree ${t} node ${wNodes[j]}, which does not exist`);
    if (modes[i] !== "LEAF") throw attributeError(ctx, `${kind}_nodeids[${j}] names tree ${t} node ${wNodes[j]}, which is a ${modes[i]} node, not a LEAF`);
    const target = wIds[j]!;
    if (!Number.isInteger(target) || target < 0 || target >= targets) throw attributeError(ctx, `${kind}_ids[${j}] = ${target} is out of range for ${targets} ${kind === "class" ? "classes" : "targets"}`, `0..${targets - 1}`, String(target));
    const m = weights.get(i) ?? new Map<number, number>();
    m.set(target, (m.get(target) ?? 0) + wValues[j]!);
    weights.set(i, m);
  });

  const b = new ForestBuilder(ctx);
  const trees = [...new Set(treeIds)];
  for (const t of trees) {
    const members = treeIds.flatMap((x, i) => (x === t ? [i] : []));
    const children = new Set<number>();
    for (const i of members) {
      if (modes[i] === "LEAF") continue;
      for (const [what, id] of [["true", trueIds[i]!], ["false", falseIds[i]!]] as const) {
        const c = index.get(key(t, id));
        if (c === undefined) throw attributeError(ctx, `tree ${t} node ${nodeIds[i]}: its ${what} child id ${id} does not exist in tree ${t}`);
        children.add(c);
      }
    }
    const roots = members.filter((i) => !children.has(i));
    if (roots.length !== 1) {
      throw attributeError(ctx, roots.length === 0 ? `tree ${t} has no root (every node is some node's child): the tree has a cycle` : `tree ${t} has ${roots.length} roots (nodes ${roots.map((i) => nodeIds[i]).join(", ")}); a tree has one`);
    }
    b.tree(String(roots[0]), (k) => {
      const i = Number(k);
      const label = `tree ${t} node ${nodeIds[i]}`;
      const mode = MODES[modes[i]!];
      if (!mode) throw attributeError(ctx, `${label} has unknown mode "${modes[i]}"`, Object.keys(MODES).join(", "), modes[i]);
      if (mode === "MEMBER") throw attributeError(ctx, `${label}: BRANCH_MEMBER exists in TreeEnsemble (ai.onnx.ml 5) only`);
      if (mode === "LEAF") return { label, leaf: weights.get(i) ?? new Map() };
      return {
        label,
        split: { feature: features[i]!, mode, threshold: values[i]!, members: [], trueKey: String(index.get(key(t, trueIds[i]!))), falseKey: String(index.get(key(t, falseIds[i]!))) },
      };
    });
    // a node its root cannot reach is a broken link (a cycle among the others, a lost parent)
    const lost = members.find((i) => !b.seen.has(String(i)));
    if (lost !== undefined) throw attributeError(ctx, `tree ${t} node ${nodeIds[lost]} is not reachable from the root (node ${nodeIds[roots[0]!]}): a cycle or a lost parent`);
  }
  const base = floatsOrTensor(ctx, "base_values", false);
  if (base.length && base.length !== targets) throw attributeError(ctx, `"base_values" has ${base.length} entries for ${targets} ${kind === "class" ? "classes" : "targets"}`, String(targets), String(base.length));
  return { targets, splits: b.splits, leaves: b.leaves, roots: b.roots, aggregate, postTransform: postTransformOf(ctx), base: base.length ? base : new Array(targets).fill(0) };
}

export function regressorForest(ctx: OpContext): Forest {
  return cached(ctx.node, () => {
    const aggregate = ctx.attrs.string("aggregate_function", "SUM");
    if (!(AGGREGATE_CODES as readonly string[]).includes(aggregate)) throw attributeError(ctx, `unknown aggregate_function "${aggregate}"`, AGGREGATE_CODES.join(", "), aggregate);
    return readClassic(ctx, "target", ctx.attrs.int("n_targets", 1), aggregate as Aggregate);
  });
}

export function classifierForest(ctx: OpContext, classes: number): Forest {
  return cached(ctx.node, () => readClassic(ctx, "class", classes, "SUM"));
}

/** TreeEnsemble (ml 5). */
export function ensembleForest(ctx: OpContext): Forest {
  return cached(ctx.node, () => {
    const a = ctx.attrs;
    const features = a.ints("nodes_featureids");
    const splits = Array.from(a.tensor("nodes_splits").data);
    const modes = Array.from(a.tensor("nodes_modes").data);
    const trueIds = a.ints("nodes_truenodeids");
    const trueLeaf = a.ints("nodes_trueleafs");
    const falseIds = a.ints("nodes_falsenodeids");
    const falseLeaf = a.ints("nodes_falseleafs");
    sameLengths(ctx, { nodes_featureids: features, nodes_splits: splits, nodes_modes: modes, nodes_truenodeids: trueIds, nodes_trueleafs: trueLeaf, nodes_falsenodeids: falseIds, nodes_falseleafs: falseLeaf });
    const leafTargets = a.ints("leaf_targetids");
    const leafWeights = Array.from(a.tensor("leaf_weights").data);
    sameLengths(ctx, { leaf_targetids: leafTargets, leaf_weights: leafWeights });
    const targets = a.int("n_targets");
    const aggregate = AGGREGATE_CODES[a.int("aggregate_function", 1)];
    if (!aggregate) throw attributeError(ctx, `unknown aggregate_function ${a.int("aggregate_function")}`, "0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX)");
    const roots = a.ints("tree_roots");
    if (!Number.isInteger(targets) || targets < 1) throw attributeError(ctx, '"n_targets" must be at least 1', ">= 1", String(targets));
    if (roots.length === 0) throw attributeError(ctx, '"tree_roots" is empty: at least one tree is needed');
    // the member sets, NaN-separated, in the order of the BRANCH_MEMBER nodes
    const memberSets: number[][] = [[]];
    if (a.has("membership_values")) for (const v of a.tensor("membership_values").data) Number.isNaN(v) ? memberSets.push([]) : memberSets[memberSets.length - 1]!.push(v);
    const memberOf = new Map<number, number[]>();
    let m = 0;
    modes.forEach((code, i) => {
      if (code === 6) memberOf.set(i, memberSets[m++] ?? []);
    });

    const b = new ForestBuilder(ctx);
    roots.forEach((r, t) => {
      if (r < 0 || r >= features.length) throw attributeError(ctx, `tree_roots[${t}] = ${r} is not a node index`, `0..${features.length - 1}`, String(r));
      b.tree(`n${r}`, (k) => {
        const i = Number(k.slice(1));
        if (k[0] === "l") {
          const w = new Map<number, number>();
          const target = leafTargets[i]!;
          if (target < 0 || target >= targets) throw attributeError(ctx, `leaf ${i}: target id ${target} is out of range for ${targets} targets`);
          w.set(target, leafWeights[i]!);
          return { label: `leaf ${i}`, leaf: w };
        }
        const label = `tree ${t} node ${i}`;
        const mode = MODE_CODES[modes[i]!];
        if (!mode) throw attributeError(ctx, `${label} has unknown mode ${modes[i]}`, "0..6");
        const child = (id: number, isLeaf: number, what: string): string => {
          const limit = isLeaf ? leafTargets.length : features.length;
          if (!Number.isInteger(id) || id < 0 || id >= limit) throw attributeError(ctx, `${label}: its ${what} child ${isLeaf ? "leaf" : "node"} ${id} is out of range`, `0..${limit - 1}`, String(id));
          return `${isLeaf ? "l" : "n"}${id}`;
        };
        return {
          label,
          split: { feature: features[i]!, mode, threshold: splits[i]!, members: memberOf.get(i) ?? [], trueKey: child(trueIds[i]!, trueLeaf[i]!, "true"), falseKey: child(falseIds[i]!, falseLeaf[i]!, "false") },
        };
      });
    });
    return { targets, splits: b.splits, leaves: b.leaves, roots: b.roots, aggregate, postTransform: postTransformOf(ctx, a.int("post_transform", 0)), base: new Array(targets).fill(0) };
  });
}

const CACHE = new WeakMap<Node, Forest>();
function cached(node: Node, read: () => Forest): Forest {
  let f = CACHE.get(node);
  if (!f) CACHE.set(node, (f = read()));
  return f;
}

/** Every split's feature exists in rows of `cols` features. */
export function checkFeatures(ctx: OpContext, f: Forest, cols: number): void {
  for (const s of f.splits) {
    if (!Number.isInteger(s.feature) || s.feature < 0 || s.feature >= cols) throw attributeError(ctx, `${s.label} reads feature ${s.feature} of ${cols}`, `0..${cols - 1}`, String(s.feature));
  }
}

export function decide(s: Split, x: number): boolean {
  switch (s.mode) {
    case "LEQ":
      return x <= s.threshold;
    case "LT":
      return x < s.threshold;
    case "GTE":
      return x >= s.threshold;
    case "GT":
      return x > s.threshold;
    case "EQ":
      return x === s.threshold;
    case "NEQ":
      return x !== s.threshold;
    case "MEMBER":
      return s.members.includes(x);
  }
}

/** The leaf each tree sends row `r` of x to. */
export function leafOf(f: Forest, root: Child, x: Tensor, r: number, cols: number): number {
  let c = root;
  while ("split" in c) {
    const s = f.splits[c.split]!;
    c = decide(s, x.data[r * cols + s.feature]!) ? s.whenTrue : s.whenFalse;
  }
  return c.leaf;
}

/** Aggregated, based and post-transformed scores [rows, targets] (onnxruntime's rules: MIN/MAX over the trees that score the target). */
export function forestScores(f: Forest, x: Tensor, rows: number, cols: number, transform = true): Float64Array {
  const out = new Float64Array(rows * f.targets);
  for (let r = 0; r < rows; r++) {
    const acc = new Float64Array(f.targets);
    const has = new Uint8Array(f.targets);
    for (const root of f.roots) {
      for (const [t, w] of f.leaves[leafOf(f, root, x, r, cols)]!.weights) {
        if (f.aggregate === "MIN") acc[t] = has[t] ? Math.min(acc[t]!, w) : w;
        else if (f.aggregate === "MAX") acc[t] = has[t] ? Math.max(acc[t]!, w) : w;
        else acc[t]! += w;
        has[t] = 1;
      }
    }
    for (let t = 0; t < f.targets; t++) out[r * f.targets + t] = (f.aggregate === "AVERAGE" ? acc[t]! / f.roots.length : acc[t]!) + f.base[t]!;
  }
  if (transform) applyPostTransform(out, rows, f.targets, f.postTransform);
  return out;
}
