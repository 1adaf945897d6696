/**
 * RNN (opset 7 and 14), GRU (7, 14) and LSTM (7, 14): float semantics through the shared cell
 * equations of util/recurrent.ts on float rows. Opset 14 added `layout`; earlier versions read it
 * as 0.
 */
import { type Tensor, storeAs, tensor } from "../ir/tensor.js";
import type { OpContext, OpDef } from "./op.js";
import { required } from "./op.js";
import { type RnnAlgebra, type RnnKind, activationFn, activeRows, rnnOutputs, rnnSpec, rnnWeights, runDirection, stateIndex, xIndex, yIndex } from "./util/recurrent.js";

/** A [rows, cols] block of floats. */
interface Rows {
  rows: number;
  cols: number;
  data: Float64Array;
}

const map2 = (a: Rows, b: Rows, f: (x: number, y: number) => number): Rows => ({ rows: a.rows, cols: a.cols, data: a.data.map((v, i) => f(v, b.data[i]!)) });

const floatAlgebra: RnnAlgebra<Rows> = {
  linear(x, w, outCols, inCols) {
    const out = new Float64Array(x.rows * outCols);
    for (let r = 0; r < x.rows; r++)
      for (let j = 0; j < outCols; j++) {
        let s = 0;
        for (let k = 0; k < inCols; k++) s += x.data[r * inCols + k]! * w[j * inCols + k]!;
        out[r * outCols + j] = s;
      }
    return { rows: x.rows, cols: outCols, data: out };
  },
  add: (a, b) => map2(a, b, (x, y) => x + y),
  mul: (a, b) => map2(a, b, (x, y) => x * y),
  addRow: (a, row) => ({ ...a, data: a.data.map((v, i) => v + row[i % a.cols]!) }),
  mulRow: (a, row) => ({ ...a, data: a.data.map((v, i) => v * row[i % a.cols]!) }),
  oneMinus: (a) => ({ ...a, data: a.data.map((v) => 1 - v) }),
  act(a, f, clip) {
    const fn = activationFn(f);
    return { ...a, data: a.data.map((v) => fn(clip === undefined ? v : Math.max(-clip, Math.min(clip, v)))) };
  },
  pickRows(fromA, a, b) {
    const data = new Float64Array(a.data.length);
    for (let r = 0; r < a.rows; r++) data.set((fromA[r] ? a : b).data.subarray(r * a.cols, (r + 1) * a.cols), r * a.cols);
    return { rows: a.rows, cols: a.cols, data };
  },
};

function runRecurrent(kind: RnnKind, inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
  const spec = rnnSpec(kind, inputs, ctx);
  const X = required(ctx, inputs, 0);
  const { seq, batch, hidden: H, input: I, dirs } = spec;
  const wts = rnnWeights(spec, required(ctx, inputs, 1), required(ctx, inputs, 2), inputs[3], kind === "LSTM" ? inputs[7] : undefined);
  const active = activeRows(spec, inputs[4]?.data);
  const block = (t: number): Rows => {
    const data = new Float64Array(batch * I);
    for (let b = 0; b < batch; b++) for (let i = 0; i < I; i++) data[b * I + i] = X.data[xIndex(spec, t, b, i)]!;
    return { rows: batch, cols: I, data };
  };
  const state = (t: Tensor | undefined, d: number): Rows => {
    const data = new Float64Array(batch * H);
    if (t) for (let b = 0; b < batch; b++) for (let j = 0; j < H; j++) data[b * H + j] = t.data[stateIndex(spec, d, b, j)]!;
    return { rows: batch, cols: H, data };
  };
  const xs = Array.from({ length: seq }, (_, t) => block(t));
  const [yInfo, hInfo] = rnnOutputs(spec, X.dtype);
  const y = new Float64Array(yInfo!.shape.reduce((a, b) => a * b, 1));
  const yh = new Float64Array(hInfo!.shape.reduce((a, b) => a * b, 1));
  const yc = new Float64Array(yh.length);
  for (let d = 0; d < dirs; d++) {
    const r = runDirection(floatAlgebra, spec, wts, d, xs, state(inputs[5], d), kind === "LSTM" ? state(inputs[6], d) : undefined, active);
    for (let t = 0; t < seq; t++)
      for (let b = 0; b < batch; b++) if (active[t]![b]) for (let j = 0; j < H; j++) y[yIndex(spec, t, d, b, j)] = r.hs[t]!.data[b * H + j]!;
    for (let b = 0; b < batch; b++)
      for (let j = 0; j < H; j++) {
        yh[stateIndex(spec, d, b, j)] = r.h.data[b * H + j]!;
        if (r.c) yc[stateIndex(spec, d, b, j)] = r.c.data[b * H + j]!;
      }
  }
  const store = (data: Float64Array) => data.map((v) => storeAs(X.dtype, v));
  const outs = [tensor(X.dtype, yInfo!.shape, store(y)), tensor(X.dtype, hInfo!.shape, store(yh))];
  if (kind === "LSTM") outs.push(tensor(X.dtype, [...hInfo!.shape], store(yc)));
  return outs;
}

function recurrentOp(kind: RnnKind, sinceVersion: number): OpDef {
  return {
    opType: kind,
    sinceVersion,
    infer(inputs, ctx) {
      return rnnOutputs(rnnSpec(kind, inputs, ctx), required(ctx, inputs, 0).dtype);
    },
    run: (inputs, ctx) => runRecurrent(kind, inputs, ctx),
  };
}

export const RNN_7 = recurrentOp("RNN", 7);
export const RNN_14 = recurrentOp("RNN", 14);
export const GRU_7 = recurrentOp("GRU", 7);
export const GRU_14 = recurrentOp("GRU", 14);
export const LSTM_7 = recurrentOp("LSTM", 7);
export const LSTM_14 = recurrentOp("LSTM", 14);
