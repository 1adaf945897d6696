/**
 * Einsum (opset 12): general Einstein summation over any number of operands, with ellipsis
 * ("...", numpy-broadcast batch dims), repeated labels within a term (diagonals) and implicit
 * output (no "->": labels used once, in alphabetical order, after the ellipsis dims). The float
 * reference loops over every combination of labels; later lowering maps the common forms (batched
 * matmul, transpose, reductions) to contractions.
 */
import { ZkcError } from "../errors.js";
import { type DType, type Tensor, shapeToString, sizeOf, storeAs, stridesOf, tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, shapeError } from "./op.js";

/** Parsed equation: label ids per operand axis and for the output; sizes of all labels. */
export interface EinsumPlan {
  /** per operand, per axis: label id */
  inputLabels: number[][];
  outputLabels: number[];
  /** size of every label id */
  sizes: number[];
  outShape: number[];
}

function equationError(ctx: OpContext, reason: string, got: string): ZkcError {
  return new ZkcError("ATTRIBUTE", reason, {
    file: ctx.source,
    node: ctx.node.name,
    op: ctx.node.opType,
    expected: 'an equation such as "bij,bjk->bik"',
    got,
    hint: "check the equation attribute against the ONNX Einsum specification",
  });
}

/** Letters are labels 0..51; ellipsis dims get ids from 52 on, aligned from the right. */
const ELLIPSIS_BASE = 52;

function labelId(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 65 && c <= 90) return 26 + c - 65;
  return -1;
}

/**
 * Parses and checks an equation against operand shapes.
 * @throws ZkcError ATTRIBUTE for a malformed equation, SHAPE for label size mismatches
 */
export function einsumPlan(ctx: OpContext, equation: string, shapes: readonly (readonly number[])[]): EinsumPlan {
  const eq = equation.replace(/\s+/g, "");
  const arrow = eq.indexOf("->");
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const terms = lhs.split(",");
  if (terms.length !== shapes.length) {
    throw equationError(ctx, `Einsum equation has ${terms.length} input terms for ${shapes.length} inputs`, `"${equation}"`);
  }
  const sizes: number[] = [];
  let ellipsisRank = 0;
  const setSize = (id: number, d: number, term: number) => {
    const s = sizes[id];
    if (s === undefined || s === 1) sizes[id] = d;
    else if (d !== s && !(id >= ELLIPSIS_BASE && d === 1)) {
      throw shapeError(ctx, `Einsum label sizes disagree (operand ${term})`, String(s), String(d));
    }
  };
  const parseTerm = (term: string, rank: number | undefined, which: string): number[] => {
    const parts = term.split("...");
    if (parts.length > 2) throw equationError(ctx, `Einsum ${which} has more than one ellipsis`, `"${equation}"`);
    const ids = (p: string) =>
      [...p].map((ch) => {
        const id = labelId(ch);
        if (id < 0) throw equationError(ctx, `Einsum ${which} has an invalid label "${ch}"`, `"${equation}"`);
        return id;
      });
    const before = ids(parts[0]!);
    if (parts.length === 1) return before;
    const after = ids(parts[1]!);
    const er = rank === undefined ? ellipsisRank : rank - before.length - after.length;
    if (er < 0) throw shapeError(ctx, `Einsum ${which} has more labels than the operand has axes`, `rank >= ${before.length + after.length}`, String(rank));
    const ell = Array.from({ length: er }, (_, i) => ELLIPSIS_BASE + ellipsisRank - er + i);
    return [...before, ...ell, ...after];
  };
  // the broadcast rank of the ellipsis is the largest over operands
  terms.forEach((t, i) => {
    if (t.includes("...")) {
      const named = t.replace("...", "").length;
      ellipsisRank = Math.max(ellipsisRank, shapes[i]!.length - named);
    }
  });
  const inputLabels = terms.map((t, i) => {
    const shape = shapes[i]!;
    const labels = parseTerm(t, shape.length, `term ${i}`);
    if (labels.length !== shape.length) {
      throw shapeError(ctx, `Einsum term ${i} ("${t}") names ${labels.length} axes of an operand with ${shape.length}`, String(labels.length), shapeToString(shape));
    }
    labels.forEach((id, a) => setSize(id, shape[a]!, i));
    return labels;
  });
  let outputLabels: number[];
  if (arrow >= 0) {
    const rhs = eq.slice(arrow + 2);
    outputLabels = parseTerm(rhs, undefined, "output");
    const seen = new Set<number>();
    for (const id of outputLabels) {
      if (seen.has(id)) throw equationError(ctx, "Einsum output repeats a label", `"${equation}"`);
      seen.add(id);
      if (sizes[id] === undefined) throw equationError(ctx, "Einsum output has a label no input has", `"${equation}"`);
    }
  } else {
    const counts = new Map<number, number>();
    for (const ls of inputLabels) for (const id of ls) if (id < ELLIPSIS_BASE) counts.set(id, (counts.get(id) ?? 0) + 1);
    const single = [...counts].filter(([, c]) => c === 1).map(([id]) => id);
    // alphabetical order of the letters: lower case before upper case in ASCII
    single.sort((a, b) => (a < 26 ? a + 97 : a - 26 + 65) - (b < 26 ? b + 97 : b - 26 + 65));
    outputLabels = [...Array.from({ length: ellipsisRank }, (_, i) => ELLIPSIS_BASE + i), ...single];
  }
  for (let i = 0; i < ellipsisRank; i++) if (sizes[ELLIPSIS_BASE + i] === undefined) sizes[ELLIPSIS_BASE + i] = 1;
  return { inputLabels, outputLabels, sizes, outShape: outputLabels.map((id) => sizes[id]!) };
}

function outDtype(inputs: readonly ({ dtype: DType } | undefined)[]): DType {
  return inputs[0]?.dtype ?? "float32";
}

export const Einsum_12: OpDef = {
  opType: "Einsum",
  sinceVersion: 12,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const present = inputs.map((x, i) => {
      if (!x) throw shapeError(ctx, `Einsum input ${i} is missing`);
      return x;
    });
    const plan = einsumPlan(ctx, ctx.attrs.string("equation"), present.map((x) => x.shape));
    return [{ dtype: outDtype(present), shape: plan.outShape }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const ts = inputs.map((x, i) => {
      if (!x) throw shapeError(ctx, `Einsum input ${i} is missing`);
      return x;
    });
    const plan = einsumPlan(ctx, ctx.attrs.string("equation"), ts.map((x) => x.shape));
    // loop order: output labels, then summed labels
    const used = new Set<number>(plan.outputLabels);
    const summed: number[] = [];
    for (const ls of plan.inputLabels) for (const id of ls) if (!used.has(id)) (used.add(id), summed.push(id));
    const loop = [...plan.outputLabels, ...summed];
    const dims = loop.map((id) => plan.sizes[id]!);
    // per operand, the stride each loop label moves it by (summed for diagonals, 0 for broadcast)
    const strides = ts.map((t, k) => {
      const s = new Array<number>(loop.length).fill(0);
      const st = stridesOf(t.shape);
      plan.inputLabels[k]!.forEach((id, a) => {
        if (t.shape[a] === 1 && plan.sizes[id] !== 1) return;
        s[loop.indexOf(id)]! += st[a]!;
      });
      return s;
    });
    const outSize = sizeOf(plan.outShape);
    const inner = sizeOf(dims.slice(plan.outputLabels.length));
    const out = new Float64Array(outSize);
    const counter = new Array<number>(loop.length).fill(0);
    const offs = new Array<number>(ts.length).fill(0);
    const total = outSize * inner;
    for (let step = 0; step < total; step++) {
      let prod = 1;
      for (let k = 0; k < ts.length; k++) prod *= ts[k]!.data[offs[k]!]!;
      out[Math.floor(step / inner)]! += prod;
      // odometer over the loop labels, last label fastest
      for (let a = loop.length - 1; a >= 0; a--) {
        counter[a]!++;
        for (let k = 0; k < ts.length; k++) offs[k]! += strides[k]![a]!;
        if (counter[a]! < dims[a]!) break;
        for (let k = 0; k < ts.length; k++) offs[k]! -= strides[k]![a]! * dims[a]!;
        counter[a] = 0;
      }
    }
    const dtype = outDtype(ts);
    if (dtype !== "float64") for (let i = 0; i < out.length; i++) out[i] = storeAs(dtype, out[i]!);
    return [tensor(dtype, plan.outShape, out)];
  },
};
