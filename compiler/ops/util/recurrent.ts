/**
 * RNN, GRU and LSTM, unrolled over the static sequence length: attributes, shapes, and the cell
 * equations of the ONNX spec written once over an `RnnAlgebra`, so that the float semantics (float
 * rows) and the quantised lowering (QTensors) run the same steps in the same order.
 *
 * Gate order in W, R and B: LSTM i, o, f, c; GRU z, r, h; RNN one gate. Peepholes P: i, o, f.
 * layout 0: X [seq, batch, input], Y [seq, dirs, batch, hidden], Y_h/Y_c [dirs, batch, hidden];
 * layout 1: X [batch, seq, input], Y [batch, seq, dirs, hidden], Y_h/Y_c [batch, dirs, hidden].
 * With sequence_lens, a row past its length keeps its state and writes zeros to Y.
 */
import { type Tensor, shapeToString } from "../../ir/tensor.js";
import { type OpContext, type OutputInfo, required, shapeError } from "../op.js";
import { attributeError } from "./conv-geometry.js";

export type RnnKind = "RNN" | "GRU" | "LSTM";

/** An activation of the cell with its alpha and beta (ONNX defaults where not given). */
export interface RnnActivation {
  name: string;
  alpha: number;
  beta: number;
}

export interface RnnSpec {
  kind: RnnKind;
  /** gates per direction: 1, 3 or 4 */
  gates: number;
  dirs: number;
  reverse: boolean[];
  hidden: number;
  seq: number;
  batch: number;
  input: number;
  layout: number;
  /** per direction: f (and g, h) */
  activations: RnnActivation[][];
  clip: number | undefined;
  inputForget: boolean;
  linearBeforeReset: boolean;
}

const GATES: Record<RnnKind, number> = { RNN: 1, GRU: 3, LSTM: 4 };
const DEFAULT_ACTIVATIONS: Record<RnnKind, string[]> = { RNN: ["Tanh"], GRU: ["Sigmoid", "Tanh"], LSTM: ["Sigmoid", "Tanh", "Tanh"] };
/** ONNX's defaults for the activations that take alpha / beta (those without take neither). */
const ACTIVATION_PARAMS: Record<string, { alpha?: number; beta?: number }> = {
  Relu: {},
  Tanh: {},
  Sigmoid: {},
  Softsign: {},
  Softplus: {},
  LeakyRelu: { alpha: 0.01 },
  ThresholdedRelu: { alpha: 1 },
  Elu: { alpha: 1 },
  HardSigmoid: { alpha: 0.2, beta: 0.5 },
  ScaledTanh: { alpha: 1, beta: 1 },
  Affine: { alpha: 1, beta: 0 },
};

/** The float function of an activation. */
export function activationFn(a: RnnActivation): (x: number) => number {
  const { alpha, beta } = a;
  switch (a.name) {
    case "Relu":
      return (x) => Math.max(0, x);
    case "Tanh":
      return Math.tanh;
    case "Sigmoid":
      return (x) => 1 / (1 + Math.exp(-x));
    case "Softsign":
      return (x) => x / (1 + Math.abs(x));
    case "Softplus":
      return (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
    case "LeakyRelu":
      return (x) => (x >= 0 ? x : alpha * x);
    case "ThresholdedRelu":
      return (x) => (x > alpha ? x : 0);
    case "Elu":
      return (x) => (x >= 0 ? x : alpha * (Math.exp(x) - 1));
    case "HardSigmoid":
      return (x) => Math.max(0, Math.min(1, alpha * x + beta));
    case "ScaledTanh":
      return (x) => alpha * Math.tanh(beta * x);
    case "Affine":
      return (x) => alpha * x + beta;
  }
  throw new Error(`activationFn: unknown activation ${a.name}`);
}

/**
 * Reads and checks the attributes and input shapes.
 * @throws ZkcError ATTRIBUTE or SHAPE naming the node
 */
export function rnnSpec(kind: RnnKind, inputs: ({ shape: readonly number[] } | undefined)[], ctx: OpContext): RnnSpec {
  const x = required(ctx, inputs, 0).shape;
  const w = required(ctx, inputs, 1).shape;
  const r = required(ctx, inputs, 2).shape;
  const gates = GATES[kind];
  const direction = ctx.attrs.string("direction", "forward");
  if (!["forward", "reverse", "bidirectional"].includes(direction)) throw attributeError(ctx, `${kind} direction must be forward, reverse or bidirectional`, "forward | reverse | bidirectional", direction);
  const dirs = direction === "bidirectional" ? 2 : 1;
  const layout = ctx.attrs.int("layout", 0);
  if (layout !== 0 && layout !== 1) throw attributeError(ctx, `${kind} layout must be 0 or 1`, "0 | 1", String(layout));
  if (x.length !== 3) throw shapeError(ctx, `${kind} input X must have rank 3`, layout === 0 ? "[seq, batch, input]" : "[batch, seq, input]", shapeToString(x));
  const [seq, batch] = layout === 0 ? [x[0]!, x[1]!] : [x[1]!, x[0]!];
  const input = x[2]!;
  const hidden = ctx.attrs.has("hidden_size") ? ctx.attrs.int("hidden_size") : w[1]! / gates;
  const want = (name: string, got: readonly number[], expected: number[]) => {
    if (got.length !== expected.length || got.some((d, i) => d !== expected[i])) throw shapeError(ctx, `${kind} input ${name} has the wrong shape`, shapeToString(expected), shapeToString(got));
  };
  want("W", w, [dirs, gates * hidden, input]);
  want("R", r, [dirs, gates * hidden, hidden]);
  if (inputs[3]) want("B", inputs[3].shape, [dirs, 2 * gates * hidden]);
  if (inputs[4]) want("sequence_lens", inputs[4].shape, [batch]);
  const stateShape = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
  if (inputs[5]) want("initial_h", inputs[5].shape, stateShape);
  if (kind === "LSTM" && inputs[6]) want("initial_c", inputs[6].shape, stateShape);
  if (kind === "LSTM" && inputs[7]) want("P", inputs[7].shape, [dirs, 3 * hidden]);

  const names = ctx.attrs.strings("activations", [...DEFAULT_ACTIVATIONS[kind], ...(dirs === 2 ? DEFAULT_ACTIVATIONS[kind] : [])]);
  const per = DEFAULT_ACTIVATIONS[kind].length;
  if (names.length !== per * dirs) throw attributeError(ctx, `${kind} needs ${per} activation(s) per direction`, String(per * dirs), String(names.length));
  const alphas = ctx.attrs.floats("activation_alpha", []);
  const betas = ctx.attrs.floats("activation_beta", []);
  let ai = 0;
  let bi = 0;
  const acts = names.map((raw) => {
    const name = Object.keys(ACTIVATION_PARAMS).find((k) => k.toLowerCase() === raw.toLowerCase());
    if (!name) throw attributeError(ctx, `${kind} activation "${raw}" is not one ONNX defines for recurrent ops`, Object.keys(ACTIVATION_PARAMS).join(", "), raw);
    const d = ACTIVATION_PARAMS[name]!;
    // activation_alpha / activation_beta are consumed in order by the activations that take them
    const alpha = d.alpha === undefined ? 0 : (alphas[ai++] ?? d.alpha);
    const beta = d.beta === undefined ? 0 : (betas[bi++] ?? d.beta);
    return { name, alpha, beta };
  });
  const clip = ctx.attrs.has("clip") ? ctx.attrs.float("clip") : undefined;
  if (clip !== undefined && !(clip > 0)) throw attributeError(ctx, `${kind} clip must be positive`, "> 0", String(clip));
  return {
    kind,
    gates,
    dirs,
    reverse: dirs === 2 ? [false, true] : [direction === "reverse"],
    hidden,
    seq,
    batch,
    input,
    layout,
    activations: Array.from({ length: dirs }, (_, d) => acts.slice(d * per, (d + 1) * per)),
    clip,
    inputForget: kind === "LSTM" && ctx.attrs.int("input_forget", 0) !== 0,
    linearBeforeReset: kind === "GRU" && ctx.attrs.int("linear_before_reset", 0) !== 0,
  };
}

/** Output shapes: Y, Y_h (and Y_c for LSTM). */
export function rnnOutputs(spec: RnnSpec, dtype: OutputInfo["dtype"]): OutputInfo[] {
  const { seq, dirs, batch, hidden, layout } = spec;
  const y = layout === 0 ? [seq, dirs, batch, hidden] : [batch, seq, dirs, hidden];
  const h = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
  const out = [{ dtype, shape: y }, { dtype, shape: h }];
  if (spec.kind === "LSTM") out.push({ dtype, shape: [...h] });
  return out;
}

/** Flat index of X[t][b][i] in the given layout. */
export function xIndex(spec: RnnSpec, t: number, b: number, i: number): number {
  return spec.layout === 0 ? (t * spec.batch + b) * spec.input + i : (b * spec.seq + t) * spec.input + i;
}
/** Flat index of Y[t][d][b][j]. */
export function yIndex(spec: RnnSpec, t: number, d: number, b: number, j: number): number {
  return spec.layout === 0 ? ((t * spec.dirs + d) * spec.batch + b) * spec.hidden + j : ((b * spec.seq + t) * spec.dirs + d) * spec.hidden + j;
}
/** Flat index of a state (Y_h, Y_c, initial_h, initial_c) [d][b][j]. */
export function stateIndex(spec: RnnSpec, d: number, b: number, j: number): number {
  return spec.layout === 0 ? (d * spec.batch + b) * spec.hidden + j : (b * spec.dirs + d) * spec.hidden + j;
}

/**
 * What the cell equations need of a number system: values are [batch, cols] blocks.
 * `linear` multiplies by the transpose of a constant [cols_out, cols_in] matrix.
 */
export interface RnnAlgebra<T> {
  linear(x: T, w: Float64Array, outCols: number, inCols: number): T;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  /** a + a row vector (bias), same for every batch row */
  addRow(a: T, row: Float64Array): T;
  /** a * a row vector (peephole weights) */
  mulRow(a: T, row: Float64Array): T;
  /** 1 - a */
  oneMinus(a: T): T;
  /** an activation, after clipping the argument to [-clip, clip] when given */
  act(a: T, f: RnnActivation, clip: number | undefined): T;
  /** rows of `a` where `fromA[b]`, else rows of `b` */
  pickRows(fromA: readonly boolean[], a: T, b: T): T;
}

/** Constant per-direction pieces of W, R, B, P, as slices per gate. */
export interface RnnWeights {
  /** [dir][gate]: [hidden, input] */
  w: Float64Array[][];
  /** [dir][gate]: [hidden, hidden] */
  r: Float64Array[][];
  /** [dir][gate]: Wb + Rb, or for GRU's h gate with linear_before_reset: Wb only (Rb apart) */
  b: Float64Array[][];
  /** [dir][gate]: Rb (GRU's h gate needs it apart) */
  rb: Float64Array[][];
  /** [dir]: peepholes i, o, f, or undefined */
  p: (Float64Array[] | undefined)[];
}

/** Splits W, R, B and P (constant tensors) into per-direction, per-gate slices. */
export function rnnWeights(spec: RnnSpec, W: Tensor, R: Tensor, B: Tensor | undefined, P: Tensor | undefined): RnnWeights {
  const { dirs, gates, hidden: H, input: I } = spec;
  const out: RnnWeights = { w: [], r: [], b: [], rb: [], p: [] };
  for (let d = 0; d < dirs; d++) {
    out.w.push(Array.from({ length: gates }, (_, g) => W.data.slice((d * gates + g) * H * I, (d * gates + g + 1) * H * I)));
    out.r.push(Array.from({ length: gates }, (_, g) => R.data.slice((d * gates + g) * H * H, (d * gates + g + 1) * H * H)));
    const wb = (g: number) => (B ? B.data.slice(d * 2 * gates * H + g * H, d * 2 * gates * H + (g + 1) * H) : new Float64Array(H));
    const rb = (g: number) => (B ? B.data.slice(d * 2 * gates * H + (gates + g) * H, d * 2 * gates * H + (gates + g + 1) * H) : new Float64Array(H));
    out.rb.push(Array.from({ length: gates }, (_, g) => rb(g)));
    out.b.push(
      Array.from({ length: gates }, (_, g) => {
        const sum = wb(g);
        if (!(spec.kind === "GRU" && spec.linearBeforeReset && g === 2)) for (let j = 0; j < H; j++) sum[j] = sum[j]! + rb(g)[j]!;
        return sum;
      }),
    );
    out.p.push(P ? [0, 1, 2].map((k) => P.data.slice((d * 3 + k) * H, (d * 3 + k + 1) * H)) : undefined);
  }
  return out;
}

/**
 * One direction over the whole sequence: the cell equations at every step (in processing order),
 * returning each step's H (by time index) and the final H (and C).
 * @param xs the input block [batch, input] at each time index
 * @param active per time index, which batch rows are within their length
 */
export function runDirection<T>(
  alg: RnnAlgebra<T>,
  spec: RnnSpec,
  wts: RnnWeights,
  d: number,
  xs: T[],
  h0: T,
  c0: T | undefined,
  active: readonly boolean[][],
): { hs: T[]; h: T; c: T | undefined } {
  const { hidden: H, input: I } = spec;
  const [f, g, hAct] = spec.activations[d]!;
  const pre = (x: T, h: T, gate: number) => alg.addRow(alg.add(alg.linear(x, wts.w[d]![gate]!, H, I), alg.linear(h, wts.r[d]![gate]!, H, H)), wts.b[d]![gate]!);
  const hs: T[] = new Array(spec.seq);
  let h = h0;
  let c = c0;
  const order = Array.from({ length: spec.seq }, (_, k) => (spec.reverse[d] ? spec.seq - 1 - k : k));
  for (const t of order) {
    const x = xs[t]!;
    let hNew: T;
    let cNew: T | undefined;
    if (spec.kind === "RNN") {
      hNew = alg.act(pre(x, h, 0), f!, spec.clip);
    } else if (spec.kind === "GRU") {
      const z = alg.act(pre(x, h, 0), f!, spec.clip);
      const r = alg.act(pre(x, h, 1), f!, spec.clip);
      const xh = alg.addRow(alg.linear(x, wts.w[d]![2]!, H, I), wts.b[d]![2]!);
      const hh = spec.linearBeforeReset
        ? alg.mul(r, alg.addRow(alg.linear(h, wts.r[d]![2]!, H, H), wts.rb[d]![2]!))
        : alg.linear(alg.mul(r, h), wts.r[d]![2]!, H, H);
      const cand = alg.act(alg.add(xh, hh), g!, spec.clip);
      hNew = alg.add(alg.mul(alg.oneMinus(z), cand), alg.mul(z, h));
    } else {
      const p = wts.p[d];
      const peep = (a: T, k: number, state: T) => (p ? alg.add(a, alg.mulRow(state, p[k]!)) : a);
      const i = alg.act(peep(pre(x, h, 0), 0, c!), f!, spec.clip);
      const fg = spec.inputForget ? alg.oneMinus(i) : alg.act(peep(pre(x, h, 2), 2, c!), f!, spec.clip);
      const cand = alg.act(pre(x, h, 3), g!, spec.clip);
      cNew = alg.add(alg.mul(fg, c!), alg.mul(i, cand));
      const o = alg.act(peep(pre(x, h, 1), 1, cNew), f!, spec.clip);
      hNew = alg.mul(o, alg.act(cNew, hAct!, undefined));
    }
    const rows = active[t]!;
    if (rows.every(Boolean)) {
      h = hNew;
      c = cNew;
    } else {
      h = alg.pickRows(rows, hNew, h);
      if (cNew !== undefined) c = alg.pickRows(rows, cNew, c!);
    }
    hs[t] = hNew;
  }
  return { hs, h, c };
}

/** Per time index, which rows are within `lens` (all when absent). */
export function activeRows(spec: RnnSpec, lens: ArrayLike<number> | undefined): boolean[][] {
  return Array.from({ length: spec.seq }, (_, t) => Array.from({ length: spec.batch }, (_, b) => (lens ? t < lens[b]! : true)));
}
