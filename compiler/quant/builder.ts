/**
 * ProgramBuilder: what op lowerings call to emit primitives. It names tensors, tracks each
 * tensor's scale and static bound (max |integer|), and refuses, with an error naming the ONNX
 * value, any bound that could leave the safe range (SAFE_MAX_ABS).
 */
import { ZkcError } from "../errors.js";
import type { LookupTable, Prim, PrimOrigin, QProgram, QTensor } from "./prim.js";
import { SAFE_MAX_ABS, tensorLabel } from "./prim.js";

/** Fixed-point settings of one quantisation. */
export interface QuantConfig {
  /** scale exponent of graph inputs */
  inputScale: number;
  /** scale exponent that activations are brought back to after products */
  activationScale: number;
  /** scale exponent of weights (and other float constants) when fixed by the user */
  paramScale: number;
  /**
   * When set, each weight tensor gets its own scale so that its largest value uses this many
   * bits (never below `paramScale`); products are rescaled by the weight's own scale.
   */
  paramBits?: number;
  /** largest lookup table, as a power of two */
  maxTableBits: number;
  /** calibrated ranges are widened by this factor before they bound lookup domains */
  rangeMargin: number;
}

export const DEFAULT_CONFIG: QuantConfig = {
  inputScale: 8,
  activationScale: 8,
  paramScale: 8,
  maxTableBits: 16,
  rangeMargin: 1.25,
};

/** Rounds a real to the integer grid of `scale`: round(x * 2^scale), halves away from zero. */
export function quantiseValue(x: number, scale: number): number {
  const v = x * 2 ** scale;
  return Math.sign(v) * Math.round(Math.abs(v));
}

/**
 * The integer that stands for ±inf in a constant (an attention mask's -inf): far beyond every
 * finite value a tensor holds, so that Softmax gives exactly 0 where it was added, and small
 * enough that sums of a few masks stay below the safe bound.
 */
export const INFINITY_STAND_IN = 2 ** 40;

/** quantiseValue, with ±inf saturated at ±INFINITY_STAND_IN (NaN stays NaN and is refused). */
export function quantiseSaturating(x: number, scale: number): number {
  return x === Infinity ? INFINITY_STAND_IN : x === -Infinity ? -INFINITY_STAND_IN : quantiseValue(x, scale);
}

function maxAbsOf(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

export class ProgramBuilder {
  readonly tensors = new Map<string, QTensor>();
  readonly prims: Prim[] = [];
  readonly inputs: string[] = [];
  readonly outputs: string[] = [];
  /** per primitive, the ONNX node that emitted it (see `attribute`) */
  readonly origins: PrimOrigin[] = [];
  /** source file and node being lowered, for error messages */
  where: { file?: string; node?: string; op?: string } = {};
  private counter = 0;

  constructor(readonly config: QuantConfig) {}

  program(): QProgram {
    const p: QProgram = { tensors: this.tensors, prims: this.prims, inputs: this.inputs, outputs: this.outputs };
    // only a complete record is one: a program built partly by hand has none
    if (this.origins.length === this.prims.length && this.prims.length > 0) p.origins = this.origins;
    return p;
  }

  /** Records `origin` as the ONNX node of every primitive emitted since the last call. */
  attribute(origin: PrimOrigin): void {
    while (this.origins.length < this.prims.length) this.origins.push(origin);
  }

  private fresh(hint: string): string {
    return `${hint}#${this.counter++}`;
  }

  private add(t: QTensor): QTensor {
    if (!(t.maxAbs <= SAFE_MAX_ABS)) {
      // an intermediate has no ONNX name yet: name it by what it is, the node is in `where`
      const what = this.where.node !== undefined || t.onnxName ? tensorLabel(t.name, t) : `tensor "${t.name}"`;
      throw new ZkcError("QUANTISATION", `${what} could hold values up to 2^${Math.log2(t.maxAbs).toFixed(1)}, beyond the safe limit 2^${Math.log2(SAFE_MAX_ABS)}`, {
        ...this.where,
        hint: "lower the quantisation scales (--scale, --param-scale) or the calibrated input range",
      });
    }
    this.tensors.set(t.name, t);
    return t;
  }

  private intermediate(hint: string, shape: number[], scale: number, maxAbs: number): QTensor {
    return this.add({ name: this.fresh(hint), shape: [...shape], scale, maxAbs, kind: "intermediate" });
  }

  /** A graph input quantised at `scale`, with values clamped to ±maxAbs. */
  input(name: string, shape: number[], scale: number, maxAbs: number): QTensor {
    const t = this.add({ name, shape: [...shape], scale, maxAbs, kind: "input", onnxName: name });
    this.inputs.push(name);
    return t;
  }

  /** The scale a weight tensor gets: `paramScale`, raised per tensor when `paramBits` is set. */
  weightScale(floats: ArrayLike<number>): number {
    const { paramScale, paramBits } = this.config;
    if (paramBits === undefined) return paramScale;
    let m = 0;
    for (let i = 0; i < floats.length; i++) m = Math.max(m, Math.abs(floats[i]!));
    if (m === 0) return paramScale;
    return Math.max(paramScale, Math.min(30, Math.floor(Math.log2((2 ** paramBits - 1) / m))));
  }

  /** A public weight from float values, quantised at `scale` ("weight": the tensor's own weight scale). */
  param(hint: string, shape: number[], floats: ArrayLike<number>, scaleOrAuto: number | "weight"): QTensor {
    const scale = scaleOrAuto === "weight" ? this.weightScale(floats) : scaleOrAuto;
    const values = new Float64Array(floats.length);
    for (let i = 0; i < values.length; i++) values[i] = quantiseSaturating(floats[i]!, scale);
    return this.paramInts(hint, shape, values, scale);
  }

  /** A public weight from integers already on the grid of `scale`. */
  paramInts(hint: string, shape: number[], values: Float64Array, scale: number): QTensor {
    return this.add({ name: this.fresh(hint), shape: [...shape], scale, maxAbs: maxAbsOf(values), kind: "param", values });
  }

  /** Marks `t` as representing an ONNX value (names it in reports and errors). */
  label(t: QTensor, onnxName: string): QTensor {
    if (!t.onnxName) t.onnxName = onnxName;
    return t;
  }

  /**
   * A new tensor equal to `x` (a scale by 1 that is always emitted): gives a graph output its own
   * tensor when it would otherwise be a graph input, a constant, another output or a value named
   * after another ONNX value, so the statement proves output = source like any other result.
   */
  copy(x: QTensor): QTensor {
    const out = this.intermediate("copy", x.shape, x.scale, x.maxAbs);
    this.prims.push({ op: "scale", in: x.name, out: out.name, factor: 1 });
    return out;
  }

  markOutput(t: QTensor): void {
    this.outputs.push(t.name);
  }

  // ---- arithmetic ------------------------------------------------------------------------

  /** [batch, m, k] x [bBatch, k, n] -> [batch, m, n]; scale is the sum of the scales. */
  matmul(a: QTensor, b: QTensor, dims: { batch: number; bBatch: number; m: number; k: number; n: number }, shape: number[]): QTensor {
    // tight bounds from actual weights: |out| <= max_row(sum |w|) * bound of the other operand
    let bound = a.maxAbs * b.maxAbs * dims.k;
    const { batch, bBatch, m, k, n } = dims;
    if (b.values) {
      let worst = 0;
      for (let t = 0; t < bBatch; t++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let kk = 0; kk < k; kk++) s += Math.abs(b.values[t * k * n + kk * n + j]!);
          worst = Math.max(worst, s);
        }
      bound = Math.min(bound, a.maxAbs * worst);
    }
    if (a.values) {
      let worst = 0;
      for (let t = 0; t < batch; t++)
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let kk = 0; kk < k; kk++) s += Math.abs(a.values[t * m * k + i * k + kk]!);
          worst = Math.max(worst, s);
        }
      bound = Math.min(bound, b.maxAbs * worst);
    }
    const out = this.intermediate("matmul", shape, a.scale + b.scale, bound);
    this.prims.push({ op: "matmul", a: a.name, b: b.name, out: out.name, ...dims });
    return out;
  }

  /** a + b (same length); the operand at the lower scale is first scaled up exactly. */
  addT(a: QTensor, b: QTensor): QTensor {
    const [x, y] = this.alignScales(a, b);
    const out = this.intermediate("add", x.shape, x.scale, x.maxAbs + y.maxAbs);
    this.prims.push({ op: "add", a: x.name, b: y.name, out: out.name });
    return out;
  }

  subT(a: QTensor, b: QTensor): QTensor {
    const [x, y] = this.alignScales(a, b);
    const out = this.intermediate("sub", x.shape, x.scale, x.maxAbs + y.maxAbs);
    this.prims.push({ op: "sub", a: x.name, b: y.name, out: out.name });
    return out;
  }

  /** Hadamard product; scale is the sum of the scales. */
  mulT(a: QTensor, bIn: QTensor): QTensor {
    const b = this.conform(bIn, a.shape);
    const out = this.intermediate("mul", a.shape, a.scale + b.scale, a.maxAbs * b.maxAbs);
    this.prims.push({ op: "mul", a: a.name, b: b.name, out: out.name });
    return out;
  }

  /** Multiplies by an integer constant (scale unchanged). */
  scaleBy(x: QTensor, factor: number, newScale = x.scale): QTensor {
    if (!Number.isInteger(factor)) throw new ZkcError("INTERNAL", `scale factor ${factor} is not an integer`, this.where);
    if (factor === 1 && newScale === x.scale) return x;
    const out = this.intermediate("scale", x.shape, newScale, x.maxAbs * Math.abs(factor));
    this.prims.push({ op: "scale", in: x.name, out: out.name, factor });
    return out;
  }

  /** Brings `x` to `scale`: exact multiplication when going up, a rounding rescale when going down. */
  toScale(x: QTensor, scale: number): QTensor {
    if (x.scale === scale) return x;
    if (x.scale < scale) return this.scaleBy(x, 2 ** (scale - x.scale), scale);
    return this.rescale(x, x.scale - scale);
  }

  /** Divides by 2^shift rounding half up (scale drops by `shift`). */
  rescale(x: QTensor, shift: number): QTensor {
    if (shift === 0) return x;
    const out = this.intermediate("rescale", x.shape, x.scale - shift, Math.ceil(x.maxAbs / 2 ** shift) + 1);
    this.prims.push({ op: "rescale", in: x.name, out: out.name, shift });
    return out;
  }

  private alignScales(a: QTensor, b: QTensor): [QTensor, QTensor] {
    const s = Math.max(a.scale, b.scale);
    return [this.toScale(a, s), this.conform(this.toScale(b, s), a.shape)];
  }

  /**
   * `b` with the layout of `shape`: element-wise primitives read both operands at the same MLE
   * point, so their padded layouts must agree. Shapes that differ only by axes of length 1 share
   * a layout; anything else is re-laid out by a gather.
   */
  conform(b: QTensor, shape: number[]): QTensor {
    const squeeze = (s: readonly number[]) => s.filter((d) => d !== 1);
    const [x, y] = [squeeze(b.shape), squeeze(shape)];
    if (x.length === y.length && x.every((d, i) => d === y[i])) return b;
    const n = shape.reduce((p, d) => p * d, 1);
    if (n !== b.shape.reduce((p, d) => p * d, 1)) {
      throw new ZkcError("INTERNAL", `element-wise operands differ in size: [${b.shape}] vs [${shape}]`, this.where);
    }
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    return this.gather([b], shape, idx);
  }

  // ---- data movement ---------------------------------------------------------------------

  /** out[i] = sources[src[i]][idx[i]] (0 where idx[i] = -1); sources must share a scale. */
  gather(sources: QTensor[], shape: number[], idx: Int32Array, src?: Int32Array): QTensor {
    const s = Math.max(...sources.map((t) => t.scale));
    const aligned = sources.map((t) => this.toScale(t, s));
    // identity maps are free: skip them
    if (aligned.length === 1 && !src && idx.length === aligned[0]!.shape.reduce((p, d) => p * d, 1) && idx.every((v, i) => v === i)) {
      const t = aligned[0]!;
      if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
    }
    const out = this.intermediate("gather", shape, s, Math.max(...aligned.map((t) => t.maxAbs)));
    this.prims.push({ op: "gather", sources: aligned.map((t) => t.name), out: out.name, idx, ...(src ? { src } : {}) });
    return out;
  }

  reduceSum(x: QTensor, outer: number, reduce: number, inner: number, shape: number[]): QTensor {
    const out = this.intermediate("sum", shape, x.scale, x.maxAbs * reduce);
    this.prims.push({ op: "reduceSum", in: x.name, out: out.name, outer, reduce, inner });
    return out;
  }

  // ---- non-linear ------------------------------------------------------------------------

  lookup(x: QTensor, table: LookupTable, outScale: number): QTensor {
    const out = this.intermediate("lookup", x.shape, outScale, maxAbsOf(table.values));
    this.prims.push({ op: "lookup", in: x.name, out: out.name, table });
    return out;
  }

  /**
   * min(max(x, lo), hi). `outScale` relabels the result: a comparison clamps a difference at
   * scale s to {0, 1}, which is a boolean at scale 0, not the real 2^-s.
   */
  clamp(x: QTensor, lo: number, hi: number, outScale = x.scale): QTensor {
    if (-x.maxAbs >= lo && x.maxAbs <= hi) return this.scaleBy(x, 1, outScale); // already inside: nothing to prove
    // the output range is [min(max(-M, lo), hi), min(max(M, lo), hi)] (M = x's bound), which also
    // covers bounds outside [-M, M] and lo > hi
    const ends = [Math.min(Math.max(-x.maxAbs, lo), hi), Math.min(Math.max(x.maxAbs, lo), hi)];
    const out = this.intermediate("clamp", x.shape, outScale, Math.max(Math.abs(ends[0]!), Math.abs(ends[1]!)));
    this.prims.push({ op: "clamp", in: x.name, out: out.name, lo, hi });
    return out;
  }

  /**
   * Lowers the static bound of a tensor this lowering just built, when its algebra bounds it
   * tighter than the operand-wise rule (x + y - x·y of two booleans is 0 or 1, not up to 3). Sound
   * because the bound follows from the proven relations of its operands, so no honest or
   * dishonest witness can exceed it.
   */
  tighten(t: QTensor, maxAbs: number): QTensor {
    if (t.kind !== "intermediate") throw new ZkcError("INTERNAL", `cannot tighten the bound of ${t.kind} "${t.name}"`, this.where);
    if (maxAbs < t.maxAbs) t.maxAbs = maxAbs;
    return t;
  }

  maxT(a: QTensor, b: QTensor): QTensor {
    const [x, y] = this.alignScales(a, b);
    const out = this.intermediate("max", x.shape, x.scale, Math.max(x.maxAbs, y.maxAbs));
    this.prims.push({ op: "max", a: x.name, b: y.name, out: out.name });
    return out;
  }

  /** floor(num * 2^shift / den), den > 0 (at least `denMin`); scale = num + shift - den. */
  divide(num: QTensor, denIn: QTensor, shift: number, denMin = 1): QTensor {
    const den = this.conform(denIn, num.shape);
    this.checkBound(num.maxAbs * 2 ** shift, "the scaled numerator of a division");
    const out = this.intermediate("div", num.shape, num.scale + shift - den.scale, Math.ceil((num.maxAbs * 2 ** shift) / denMin) + 1);
    this.prims.push({ op: "divide", num: num.name, den: den.name, out: out.name, shift });
    return out;
  }

  /**
   * num * 2^shift / den for a denominator of any sign, zero included (ONNX Div of floats). The
   * sign is handled apart: |den| = max(den, -den) and the sign bit neg = clamp(-den, 0, 1) (1
   * exactly where den <= -1), both proven by range checks; q = floor(num * 2^shift / max(|den|, 1))
   * is the proven division, and the result is q - 2·q·neg. A zero denominator divides by 1, so
   * x/0 comes out as a large value of x's sign that the final clamp saturates at ±`limit` (the
   * calibrated output range): the quantised form of ±inf. 0/0 gives 0 (float: NaN).
   */
  divideSigned(num: QTensor, denIn: QTensor, shift: number, limit: number): QTensor {
    const den = this.conform(denIn, num.shape);
    const negDen = this.scaleBy(den, -1);
    const absDen = this.maxT(den, negDen);
    const safeDen = this.clamp(absDen, 1, Math.max(1, absDen.maxAbs));
    const isNeg = this.clamp(negDen, 0, 1, 0);
    const quot = this.divide(num, safeDen, shift, 1);
    // isNeg is proven 0 or 1, so q - 2·q·isNeg is ±q: its bound is q's
    const signed = this.tighten(this.subT(quot, this.scaleBy(this.mulT(quot, isNeg), 2)), quot.maxAbs);
    return this.clamp(signed, -limit, limit);
  }

  argmax(x: QTensor, outer: number, reduce: number, inner: number, shape: number[]): QTensor {
    const out = this.intermediate("argmax", shape, 0, reduce - 1);
    this.prims.push({ op: "argmax", in: x.name, out: out.name, outer, reduce, inner });
    return out;
  }

  private checkBound(v: number, what: string): void {
    if (!(v <= SAFE_MAX_ABS)) {
      throw new ZkcError("QUANTISATION", `${what} could reach 2^${Math.log2(v).toFixed(1)}, beyond the safe limit 2^${Math.log2(SAFE_MAX_ABS)}`, {
        ...this.where,
        hint: "lower the quantisation scales (--scale, --param-scale)",
      });
    }
  }
}
