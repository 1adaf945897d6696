/**
 * Lowerings derived from an op's own float semantics, so that the quantised meaning can never
 * drift from the reference:
 * - data movement (Transpose, Slice, Concat, ...) is traced: the op's `run` is applied to tensors
 *   of position codes, and the output tells where every element came from (an index map);
 * - unary non-linear functions (Sigmoid, Exp, Erf, ...) become lookup tables whose entries are
 *   the op's `run` evaluated on the quantised input grid.
 */
import { ZkcError } from "../errors.js";
import { type Tensor, sizeOf, tensor } from "../ir/tensor.js";
import type { OpContext, OpDef } from "../ops/op.js";
import { quantiseValue } from "./builder.js";
import type { LowerContext, LowerInput } from "./lower-context.js";
import type { QTensor } from "./prim.js";

type Lower = NonNullable<OpDef["lower"]>;

function needConstant(ctx: OpContext, input: LowerInput | undefined, i: number): Tensor | undefined {
  if (input === undefined) return undefined;
  if (!input.constant) {
    throw new ZkcError("UNSUPPORTED_FEATURE", `input ${i} ("${input.name}") must be known at compile time to quantise this op`, {
      file: ctx.source,
      node: ctx.node.name,
      op: ctx.node.opType,
      hint: "export the model with constant shapes and indices",
    });
  }
  return input.constant;
}

/**
 * Lowers a pure data-movement op to one gather per output. `dataInputs` are the positions whose
 * elements move; all other inputs (shapes, indices, axes) must be compile-time constants.
 */
export function lowerByTracing(run: OpDef["run"], dataInputs: readonly number[]): Lower {
  return (inputs, ctx) => {
    const sources: QTensor[] = [];
    const offsets: number[] = [];
    let total = 0;
    const traced = inputs.map((inp, i) => {
      if (!dataInputs.includes(i)) return needConstant(ctx, inp, i);
      if (inp === undefined) return undefined;
      const n = sizeOf(inp.shape);
      const codes = new Float64Array(n);
      // code 0 is reserved for "no source" (padding); codes stay exact far beyond any tensor size
      for (let j = 0; j < n; j++) codes[j] = total + j + 1;
      sources.push(inp.value());
      offsets.push(total);
      total += n;
      return tensor("float64", inp.shape, codes);
    });
    const outs = run(traced, ctx);
    return outs.map((out) => {
      const idx = new Int32Array(out.data.length);
      const src = new Int32Array(out.data.length);
      for (let i = 0; i < idx.length; i++) {
        const code = out.data[i]!;
        if (code === 0) {
          idx[i] = -1;
          continue;
        }
        let s = offsets.length - 1;
        while (offsets[s]! > code - 1) s--;
        src[i] = s;
        idx[i] = code - 1 - offsets[s]!;
      }
      return ctx.q.gather(sources, [...out.shape], idx, sources.length > 1 ? src : undefined);
    });
  };
}

/**
 * Lowers a unary function to clamp + lookup. The table domain is the calibrated range of the
 * input widened by the configured margin; inputs beyond it saturate at the domain's ends
 * (documented clamping). When the domain at the input's scale would exceed the largest table,
 * the input is first rescaled to a coarser scale.
 */
export function lowerAsLookup(run: OpDef["run"], constantInputs: readonly number[] = []): Lower {
  return (inputs, ctx) => {
    const extra = constantInputs.map((i) => {
      const c = needConstant(ctx, inputs[i], i);
      if (c && c.data.length !== 1) {
        throw new ZkcError("UNSUPPORTED_FEATURE", `input ${i} must be a single constant to build a lookup table`, {
          file: ctx.source,
          node: ctx.node.name,
          op: ctx.node.opType,
        });
      }
      return c;
    });
    const input = inputs[0]!;
    const x = input.value();
    const { q } = ctx;
    const { rangeMargin, maxTableBits, activationScale } = q.config;
    const r = ctx.range(input.name);
    let lo: number;
    let hi: number;
    if (r) {
      const pad = (r.max - r.min) * (rangeMargin - 1) / 2 + 2 ** -x.scale;
      lo = r.min - pad;
      hi = r.max + pad;
    } else {
      hi = x.maxAbs / 2 ** x.scale;
      lo = -hi;
    }
    let t = x.scale;
    while (t > 0 && Math.ceil(hi * 2 ** t) - Math.floor(lo * 2 ** t) + 1 > 2 ** maxTableBits) t--;
    let loI = Math.max(Math.floor(lo * 2 ** t), -Math.ceil(x.maxAbs / 2 ** (x.scale - t)) - 1);
    let hiI = Math.min(Math.ceil(hi * 2 ** t), Math.ceil(x.maxAbs / 2 ** (x.scale - t)) + 1);
    const n = hiI - loI + 1;
    const grid = new Float64Array(n);
    for (let j = 0; j < n; j++) grid[j] = (loI + j) / 2 ** t;
    const args: (Tensor | undefined)[] = [tensor("float64", [n], grid)];
    constantInputs.forEach((i, k) => (args[i] = extra[k]));
    const fx = run(args, ctx)[0]!;
    // the margin may reach where the function is undefined (Log, Sqrt below 0): trim those ends
    // back, as long as the trimmed points lie outside the calibrated range itself
    let first = 0;
    let last = n - 1;
    const calLo = r ? r.min * 2 ** t : -Infinity;
    const calHi = r ? r.max * 2 ** t : Infinity;
    while (first < last && !Number.isFinite(fx.data[first]!) && loI + first < calLo) first++;
    while (last > first && !Number.isFinite(fx.data[last]!) && loI + last > calHi) last--;
    const values = new Float64Array(last - first + 1);
    for (let j = first; j <= last; j++) {
      const v = fx.data[j]!;
      if (!Number.isFinite(v)) {
        throw new ZkcError("QUANTISATION", `${ctx.node.opType} is not finite at ${grid[j]} inside the calibrated input range`, {
          file: ctx.source,
          node: ctx.node.name,
          op: ctx.node.opType,
          hint: "calibrate with inputs that keep this function's argument in its domain",
        });
      }
      values[j - first] = quantiseValue(v, activationScale);
    }
    loI += first;
    hiI = loI + values.length - 1;
    const xs = q.clamp(q.toScale(x, t), loI, hiI);
    const table = { id: `${ctx.node.opType}:${ctx.node.name}@${t}->${activationScale}`, lo: loI, values };
    return [q.lookup(xs, table, activationScale)];
  };
}
