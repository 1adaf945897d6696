/**
 * Two small tree ensembles over three features, with every comparison mode of ml opsets 1–3 and
 * hand-traced paths, shared by the unit tests and the proof test.
 *
 *   tree 0: x0 <= 0.5 ? (x1 < -0.25 ? A : B) : C
 *   tree 1: x2 >  0.1 ? D : (x0 >= -0.3 ? E : F)
 */
import { attr, type AttrInput } from "../../../compiler/onnx/build.js";

export const NODES: Record<string, AttrInput> = {
  nodes_treeids: attr.ints([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
  nodes_nodeids: attr.ints([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]),
  nodes_featureids: attr.ints([0, 1, 0, 0, 0, 2, 0, 0, 0, 0]),
  nodes_values: attr.floats([0.5, -0.25, 0, 0, 0, 0.1, 0, -0.3, 0, 0]),
  nodes_modes: attr.strings(["BRANCH_LEQ", "BRANCH_LT", "LEAF", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "BRANCH_GTE", "LEAF", "LEAF"]),
  nodes_truenodeids: attr.ints([1, 3, 0, 0, 0, 1, 0, 3, 0, 0]),
  nodes_falsenodeids: attr.ints([2, 4, 0, 0, 0, 2, 0, 4, 0, 0]),
};

/** leaves A, B, C (tree 0: nodes 3, 4, 2) and D, E, F (tree 1: nodes 1, 3, 4) */
const LEAF_TREES = [0, 0, 0, 1, 1, 1];
const LEAF_NODES = [3, 4, 2, 1, 3, 4];

/** Regression weights A..F = 1, 2, -1, 0.5, 0.25, -0.75 and base 0.125. */
export function regressorAttrs(aggregate = "SUM"): Record<string, AttrInput> {
  return {
    ...NODES,
    target_treeids: attr.ints(LEAF_TREES),
    target_nodeids: attr.ints(LEAF_NODES),
    target_ids: attr.ints([0, 0, 0, 0, 0, 0]),
    target_weights: attr.floats([1, 2, -1, 0.5, 0.25, -0.75]),
    n_targets: attr.int(1),
    base_values: attr.floats([0.125]),
    aggregate_function: attr.string(aggregate),
  };
}

/** Classes: A, D -> class 0; B, E -> class 1; C, F -> class 2; tree 0 weighs 1, tree 1 weighs 0.5. */
export function classifierAttrs(labels: number[], postTransform = "NONE"): Record<string, AttrInput> {
  return {
    ...NODES,
    class_treeids: attr.ints(LEAF_TREES),
    class_nodeids: attr.ints(LEAF_NODES),
    class_ids: attr.ints([0, 1, 2, 0, 1, 2]),
    class_weights: attr.floats([1, 1, 1, 0.5, 0.5, 0.5]),
    classlabels_int64s: attr.ints(labels),
    post_transform: attr.string(postTransform),
  };
}

/**
 * Rows and their traced leaves: [0.2, -0.5, 0.3] -> A, D; [0.9, 0, -0.2] -> C, E;
 * [-0.6, 0.1, 0] -> B, F.
 */
export const ROWS = [0.2, -0.5, 0.3, 0.9, 0, -0.2, -0.6, 0.1, 0];
/** SUM + base per row: 1 + 0.5, -1 + 0.25, 2 - 0.75, each + 0.125 */
export const SUMS = [1.625, -0.625, 1.375];
/** class scores per row: [1.5, 0, 0], [0, 0.5, 1], [0, 1, 0.5] */
export const CLASS_SCORES = [1.5, 0, 0, 0, 0.5, 1, 0, 1, 0.5];
