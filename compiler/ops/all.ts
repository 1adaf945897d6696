/**
 * Every op implementation, by explicit import. Adding an op: write compiler/ops/<op>.ts and add
 * it here. Grouped so that several people can add ops without touching the same lines.
 */
import type { OpDef } from "./op.js";

// --- element-wise math, activations, reductions ---
const MATH_OPS: OpDef[] = [];

// --- linear algebra, convolution, pooling, normalisation ---
const NN_OPS: OpDef[] = [];

// --- shape, data movement, constants, casts ---
const SHAPE_OPS: OpDef[] = [];

export const ALL_OPS: readonly OpDef[] = [...MATH_OPS, ...NN_OPS, ...SHAPE_OPS];
