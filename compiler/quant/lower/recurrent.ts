/**
 * RNN, GRU and LSTM unrolled over the static sequence: the cell equations of
 * ops/util/recurrent.ts on QTensors. Every block is [batch, cols] at the activation scale: linear
 * maps are `matmul`s by the constant weights (W and R, transposed) rescaled once, products of two
 * gates rescale once, activations are clamps (Relu) or tables. W, R, B, P and sequence_lens must
 * be constants; initial_h and initial_c may be runtime values.
 */
import { sizeOf, tensor } from "../../ir/tensor.js";
import { type RnnActivation, type RnnAlgebra, type RnnKind, activationFn, activeRows, rnnOutputs, rnnSpec, rnnWeights, runDirection, stateIndex, xIndex, yIndex } from "../../ops/util/recurrent.js";
import type { LowerContext, LowerInput } from "../lower-context.js";
import type { QTensor } from "../prim.js";
import { type Lower, constantAs, filled, notQuantisable, tableOn } from "./common.js";

/** Where an activation saturates (|x| beyond it changes the value by less than the output grid). */
function saturation(f: RnnActivation): number {
  switch (f.name) {
    case "Sigmoid":
    case "Tanh":
      return 8;
    case "ScaledTanh":
      return 8 / Math.max(Math.abs(f.beta), 1e-6);
    case "HardSigmoid":
      return Math.max(Math.abs((1 - f.beta) / f.alpha), Math.abs(f.beta / f.alpha));
    default:
      return Infinity;
  }
}

function quantAlgebra(ctx: LowerContext): RnnAlgebra<QTensor> {
  const { q } = ctx;
  const act = q.config.activationScale;
  let tables = 0;
  return {
    linear(x, w, outCols, inCols) {
      const wt = new Float64Array(inCols * outCols);
      for (let j = 0; j < outCols; j++) for (let k = 0; k < inCols; k++) wt[k * outCols + j] = w[j * inCols + k]!;
      const rows = x.shape[0]!;
      const y = q.matmul(x, q.param(`${ctx.node.name}.w`, [inCols, outCols], wt, "weight"), { batch: 1, bBatch: 1, m: rows, k: inCols, n: outCols }, [rows, outCols]);
      return q.toScale(y, act);
    },
    add: (a, b) => q.toScale(q.addT(a, b), act),
    mul: (a, b) => q.toScale(q.mulT(a, b), act),
    addRow: (a, row) => q.addT(a, constantAs(q, tensor("float64", [row.length], row), a.shape, a.scale, `${ctx.node.name}.b`)),
    mulRow: (a, row) => q.toScale(q.mulT(a, constantAs(q, tensor("float64", [row.length], row), a.shape, "weight", `${ctx.node.name}.p`)), act),
    oneMinus: (a) => q.subT(filled(q, a.shape, 2 ** a.scale, a.scale, "one"), a),
    act(a, f, clip) {
      let x = a;
      if (clip !== undefined) x = q.clamp(x, -Math.round(clip * 2 ** x.scale), Math.round(clip * 2 ** x.scale));
      if (f.name === "Relu") return q.clamp(x, 0, x.maxAbs);
      // the table covers the static bound of the argument, or where the function saturates
      const bound = Math.min(x.maxAbs / 2 ** x.scale, saturation(f));
      return tableOn(q, x, activationFn(f), -bound, bound, act, `${f.name}(${f.alpha},${f.beta}):${ctx.node.name}#${tables++}`);
    },
    pickRows(fromA, a, b) {
      const [rows, cols] = a.shape as [number, number];
      const idx = new Int32Array(rows * cols);
      const src = new Int32Array(rows * cols);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < cols; j++) {
          idx[r * cols + j] = r * cols + j;
          src[r * cols + j] = fromA[r] ? 0 : 1;
        }
      return q.gather([a, b], [rows, cols], idx, src);
    },
  };
}

function lowerRecurrent(kind: RnnKind): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const spec = rnnSpec(kind, inputs, ctx);
    const [X, W, R, B, lens, h0, c0, P] = inputs;
    for (const [t, what] of [[W, "W"], [R, "R"], [B, "B"], [P, "P"], [lens, "sequence_lens"]] as const) {
      if (t && !t.constant) throw notQuantisable(ctx, `${kind} needs a constant ${what}`);
    }
    const { seq, batch, hidden: H, input: I, dirs } = spec;
    const act = q.config.activationScale;
    const wts = rnnWeights(spec, W!.constant!, R!.constant!, B?.constant, kind === "LSTM" ? P?.constant : undefined);
    const active = activeRows(spec, lens?.constant?.data);
    const x = X!.value();
    const xs = Array.from({ length: seq }, (_, t) => {
      const idx = new Int32Array(batch * I);
      for (let b = 0; b < batch; b++) for (let i = 0; i < I; i++) idx[b * I + i] = xIndex(spec, t, b, i);
      return q.toScale(q.gather([x], [batch, I], idx), act);
    });
    const state = (s: LowerInput | undefined, d: number): QTensor => {
      if (!s) return filled(q, [batch, H], 0, act, "zero-state");
      const idx = new Int32Array(batch * H);
      for (let b = 0; b < batch; b++) for (let j = 0; j < H; j++) idx[b * H + j] = stateIndex(spec, d, b, j);
      return q.toScale(q.gather([s.value()], [batch, H], idx), act);
    };
    const alg = quantAlgebra(ctx);
    const hs: QTensor[][] = [];
    const finals: { h: QTensor; c: QTensor | undefined }[] = [];
    for (let d = 0; d < dirs; d++) {
      const r = runDirection(alg, spec, wts, d, xs, state(h0, d), kind === "LSTM" ? state(c0, d) : undefined, active);
      hs.push(r.hs);
      finals.push({ h: r.h, c: r.c });
    }
    // Y: every (t, d) block in the layout's order, zeros past each row's length
    const [yInfo, hInfo, cInfo] = rnnOutputs(spec, "float32");
    const yShape = yInfo!.shape;
    const sources = hs.flat();
    const yIdx = new Int32Array(sizeOf(yShape)).fill(-1);
    const ySrc = new Int32Array(yIdx.length);
    for (let d = 0; d < dirs; d++)
      for (let t = 0; t < seq; t++)
        for (let b = 0; b < batch; b++) {
          if (!active[t]![b]) continue;
          for (let j = 0; j < H; j++) {
            const at = yIndex(spec, t, d, b, j);
            yIdx[at] = b * H + j;
            ySrc[at] = d * seq + t;
          }
        }
    const stack = (blocks: QTensor[], shape: number[]) => {
      const idx = new Int32Array(sizeOf(shape));
      const src = new Int32Array(idx.length);
      for (let d = 0; d < dirs; d++)
        for (let b = 0; b < batch; b++)
          for (let j = 0; j < H; j++) {
            idx[stateIndex(spec, d, b, j)] = b * H + j;
            src[stateIndex(spec, d, b, j)] = d;
          }
      return q.gather(blocks, shape, idx, blocks.length > 1 ? src : undefined);
    };
    // only the outputs the node declares (Y, Y_h, Y_c are each optional)
    const wanted = (i: number) => ctx.outputs[i] !== undefined && (ctx.node.outputs[i] ?? "") !== "";
    const outs: QTensor[] = [];
    outs.push(wanted(0) ? q.gather(sources, yShape, yIdx, sources.length > 1 ? ySrc : undefined) : finals[0]!.h);
    outs.push(wanted(1) ? stack(finals.map((f) => f.h), hInfo!.shape) : finals[0]!.h);
    if (kind === "LSTM") outs.push(wanted(2) ? stack(finals.map((f) => f.c!), cInfo!.shape) : finals[0]!.h);
    return outs.slice(0, Math.max(1, ctx.node.outputs.length));
  };
}

export const lowerRNN = lowerRecurrent("RNN");
export const lowerGRU = lowerRecurrent("GRU");
export const lowerLSTM = lowerRecurrent("LSTM");
