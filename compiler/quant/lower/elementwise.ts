/**
 * Lowerings of element-wise ops: arithmetic with numpy broadcasting, ReLU-like clamps, max/min
 * and every unary function as a lookup table over its calibrated domain.
 */
import { sizeOf } from "../../ir/tensor.js";
import type { OpDef } from "../../ops/op.js";
import { broadcastIndex } from "../../ops/util/broadcast.js";
import { quantiseValue } from "../builder.js";
import { lowerAsLookup } from "../generic.js";
import type { QTensor } from "../prim.js";
import { type Lower, broadcastTo, constantAs, constantInput, mulByConstant, negate, notQuantisable, operand } from "./common.js";

/** Add / Sub: a constant operand is quantised at the other operand's scale (no rescale). */
function addLike(kind: "add" | "sub"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const shape = ctx.outputs[0]!.shape;
    const [A, B] = [inputs[0]!, inputs[1]!];
    const varScale = (A.constant ? B : A).value().scale;
    const a = operand(q, A, shape, varScale);
    const b = operand(q, B, shape, varScale);
    return [kind === "add" ? q.addT(a, b) : q.subT(a, b)];
  };
}
export const lowerAdd = addLike("add");
export const lowerSub = addLike("sub");

/** Mul: by a constant at the param scale then rescale; two tensors multiply then rescale. */
export const lowerMul: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const shape = ctx.outputs[0]!.shape;
  const [A, B] = [inputs[0]!, inputs[1]!];
  if (A.constant || B.constant) {
    const [v, c] = A.constant ? [B, A] : [A, B];
    const x = broadcastTo(q, v.value(), shape);
    const w = constantAs(q, c.constant!, shape, "weight", c.name);
    return [q.rescale(q.mulT(x, w), w.scale)];
  }
  const a = broadcastTo(q, A.value(), shape);
  const b = broadcastTo(q, B.value(), shape);
  return [q.toScale(q.mulT(a, b), q.config.activationScale)];
};

/**
 * Div: by a constant = times its reciprocal; by a tensor = proven integer division. A divisor
 * positive on every calibration sample gets the plain division (den > 0 is part of its proof); one
 * that can be zero or negative gets the sign-handling form (`ProgramBuilder.divideSigned`), whose
 * x/0 saturates at the calibrated output range.
 */
export const lowerDiv: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const shape = ctx.outputs[0]!.shape;
  const [A, B] = [inputs[0]!, inputs[1]!];
  if (B.constant) {
    const x = broadcastTo(q, A.value(), shape);
    const inv = { ...B.constant, data: B.constant.data.map((v) => 1 / v) };
    const w = constantAs(q, inv, shape, "weight", `1/${B.name}`);
    return [q.rescale(q.mulT(x, w), w.scale)];
  }
  const r = ctx.range(B.name);
  const num = broadcastTo(q, A.value(), shape);
  const den = broadcastTo(q, B.value(), shape);
  const act = q.config.activationScale;
  const shift = act - num.scale + den.scale;
  const n = shift >= 0 ? num : q.scaleBy(num, 2 ** -shift, num.scale - shift);
  if (r && r.min > 0) {
    const denMin = Math.max(1, Math.floor(r.min * 2 ** den.scale / 2));
    return [q.divide(n, den, Math.max(0, shift), denMin)];
  }
  // saturation at the calibrated output range (finite values only), widened by the margin
  const out = ctx.range(ctx.node.outputs[0]!);
  const real = out ? Math.max(Math.abs(out.min), Math.abs(out.max)) * q.config.rangeMargin : Infinity;
  const bound = (n.maxAbs * 2 ** Math.max(0, shift)) + 1;
  const limit = Number.isFinite(real) ? Math.min(bound, Math.max(1, Math.ceil(real * 2 ** act))) : bound;
  return [q.divideSigned(n, den, Math.max(0, shift), limit)];
};

export const lowerNeg: Lower = (inputs, ctx) => [negate(ctx.q, inputs[0]!.value())];

/** |x| = max(x, -x) */
export const lowerAbs: Lower = (inputs, ctx) => {
  const x = inputs[0]!.value();
  return [ctx.q.maxT(x, negate(ctx.q, x))];
};

/** ReLU = clamp(x, 0, bound): one sign decomposition. */
export const lowerRelu: Lower = (inputs, ctx) => {
  const x = inputs[0]!.value();
  return [ctx.q.clamp(x, 0, x.maxAbs)];
};

/** Shared by LeakyRelu and PRelu: relu(x) + slope * (x - relu(x)), slope at the param scale. */
function leaky(ctx: Parameters<Lower>[1], x: QTensor, slope: QTensor): QTensor {
  const { q } = ctx;
  const pos = q.clamp(x, 0, x.maxAbs);
  const neg = q.subT(x, pos);
  return q.addT(pos, q.rescale(q.mulT(neg, slope), slope.scale));
}

export const lowerLeakyRelu: Lower = (inputs, ctx) => {
  const x = inputs[0]!.value();
  const alpha = ctx.attrs.float("alpha", 0.01);
  const slope = ctx.q.param("alpha", x.shape, new Float64Array(sizeOf(x.shape)).fill(alpha), "weight");
  return [leaky(ctx, x, slope)];
};

export const lowerPRelu: Lower = (inputs, ctx) => {
  const S = inputs[1]!;
  if (!S.constant) throw notQuantisable(ctx, "PRelu needs a constant slope");
  const shape = ctx.outputs[0]!.shape;
  const x = broadcastTo(ctx.q, inputs[0]!.value(), shape);
  return [leaky(ctx, x, constantAs(ctx.q, S.constant, shape, "weight", S.name))];
};

/**
 * Clip: bounds from attributes (opset < 11) or inputs, constant or not. min(max(x, lo), hi):
 * a constant bound is a clamp (quantised at x's scale), a tensor bound a proven max (the min as
 * -max(-y, -hi)), applied in that order so that lo > hi gives hi everywhere, as ONNX says.
 */
export const lowerClip: Lower = (inputs, ctx) => {
  const { q } = ctx;
  let y = inputs[0]!.value();
  const bound = (i: 1 | 2, attr: "min" | "max"): number | QTensor | undefined => {
    if (ctx.attrs.has(attr)) return ctx.attrs.float(attr);
    const inp = inputs[i];
    if (!inp) return undefined;
    if (inp.constant) return inp.constant.data[0]!;
    return broadcastTo(q, inp.value(), y.shape);
  };
  const lo = bound(1, "min");
  const hi = bound(2, "max");
  const onGrid = (v: number | QTensor | undefined) => (typeof v === "number" && Number.isFinite(v) ? quantiseValue(v, y.scale) : undefined);
  const loI = onGrid(lo);
  if (typeof lo === "object") y = q.maxT(y, lo);
  else if (loI !== undefined && onGrid(hi) === undefined) y = q.clamp(y, loI, Math.max(y.maxAbs, loI));
  // after a tensor lower bound y may sit at a finer scale: quantise a constant upper bound there
  const hiI = onGrid(hi);
  if (typeof hi === "object") y = negate(q, q.maxT(negate(q, y), negate(q, hi)));
  // two constant bounds are one clamp; min > max gives max everywhere: a clamp to [max, max]
  else if (hiI !== undefined) y = q.clamp(y, loI !== undefined && typeof lo === "number" ? Math.min(loI, hiI) : Math.min(-y.maxAbs, hiI), hiI);
  return [y];
};

/** The present operands of a variadic op at the output shape; constants at the tensors' scale. */
function variadicOperands(inputs: Parameters<Lower>[0], ctx: Parameters<Lower>[1]): QTensor[] {
  const shape = ctx.outputs[0]!.shape;
  const present = inputs.filter((x) => x !== undefined);
  const scale = Math.max(...present.filter((x) => !x.constant).map((x) => x.value().scale));
  return present.map((x) => operand(ctx.q, x, shape, scale));
}

/** Variadic Max / Min with broadcasting; min(a, b) = -max(-a, -b). */
function extremum(kind: "max" | "min"): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    let ops = variadicOperands(inputs, ctx);
    if (kind === "min") ops = ops.map((t) => negate(q, t));
    let acc = ops[0]!;
    for (const t of ops.slice(1)) acc = q.maxT(acc, t);
    return [kind === "min" ? negate(q, acc) : acc];
  };
}
export const lowerMax = extremum("max");
export const lowerMin = extremum("min");

/** Variadic Sum and Mean. */
function sumLike(mean: boolean): Lower {
  return (inputs, ctx) => {
    const { q } = ctx;
    const ops = variadicOperands(inputs, ctx);
    let acc = ops[0]!;
    for (const t of ops.slice(1)) acc = q.addT(acc, t);
    if (!mean || ops.length === 1) return [acc];
    return [mulByConstant(q, acc, new Float64Array(sizeOf(acc.shape)).fill(1 / ops.length), "1/n")];
  };
}
export const lowerSum = sumLike(false);
export const lowerMean = sumLike(true);

/** Pow with a constant exponent: x^1, x^2 exactly; anything else as a lookup table. */
export function lowerPow(def: OpDef): Lower {
  const table = lowerAsLookup(def.run, [1]);
  return (inputs, ctx) => {
    const e = inputs[1]!;
    if (!e.constant) throw notQuantisable(ctx, "Pow needs a constant exponent");
    const ex = e.constant.data;
    if (ex.length === 1 && sizeOf(inputs[0]!.shape) === sizeOf(ctx.outputs[0]!.shape)) {
      const x = inputs[0]!.value();
      if (ex[0] === 1) return [x];
      if (ex[0] === 2) return [ctx.q.toScale(ctx.q.mulT(x, x), ctx.q.config.activationScale)];
    }
    return table(inputs, ctx);
  };
}

/** A unary function as a lookup table derived from the op's own float semantics. */
export function lowerUnary(def: OpDef): Lower {
  return lowerAsLookup(def.run);
}

/**
 * Mod by a constant divisor d (non-zero), on x's grid (d rounded onto it; integers exactly):
 * fmod = 0 (Python %, the divisor's sign): x - d·floor(x/d), the floor a proven `divide` of
 * sign(d)·x by |d|; fmod = 1 (C fmod, the dividend's sign): sign(x)·(|x| - |d|·floor(|x|/|d|)).
 * The division proves 0 <= rem < |d|, so the remainder is bounded by the largest |d|.
 */
export const lowerMod: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const shape = ctx.outputs[0]!.shape;
  const [A, B] = [inputs[0]!, inputs[1]!];
  const divisor = constantInput(ctx, B, 1, "a runtime divisor is not proven yet", "export the model with a constant divisor");
  const x = broadcastTo(q, A.value(), shape);
  const at = broadcastIndex(divisor.shape, shape);
  const d = Float64Array.from(at, (i) => quantiseValue(divisor.data[i]!, x.scale));
  if (d.some((v) => v === 0)) throw notQuantisable(ctx, `Mod by a divisor that is 0 on x's grid (constant "${B.name}")`, "use a non-zero divisor");
  const absD = q.paramInts(`|${B.name}|`, shape, d.map(Math.abs), x.scale);
  const bound = absD.maxAbs;
  if (ctx.attrs.int("fmod", 0) === 1) {
    const absX = q.maxT(x, negate(q, x));
    const rem = q.tighten(q.subT(absX, q.mulT(q.divide(absX, absD, 0), absD)), bound);
    return [q.tighten(q.mulT(q.clamp(x, -1, 1, 0), rem), bound)];
  }
  const signed = q.mulT(x, q.paramInts(`sign(${B.name})`, shape, d.map(Math.sign), 0));
  const quotient = q.divide(signed, absD, 0);
  return [q.tighten(q.subT(x, q.mulT(quotient, q.paramInts(B.name, shape, d, x.scale))), bound)];
};

const UNSIGNED_MAX: Readonly<Record<string, number>> = { uint8: 255, uint16: 65535, uint32: 4294967295 };

/**
 * BitShift by constant amounts k: LEFT multiplies by 2^k, RIGHT is floor(x / 2^k), a proven
 * `divide` by the constant 2^k. Bits shifted past the type's width wrap around in ONNX; that is
 * not reproduced, so a LEFT shift whose calibrated (or static) input range could overflow is refused.
 */
export const lowerBitShift: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const shape = ctx.outputs[0]!.shape;
  const [A, B] = [inputs[0]!, inputs[1]!];
  const amounts = constantInput(ctx, B, 1, "runtime shift amounts are not proven yet", "export the model with constant shift amounts");
  const x = broadcastTo(q, A.value(), shape);
  const at = broadcastIndex(amounts.shape, shape);
  const powers = Float64Array.from(at, (i) => 2 ** amounts.data[i]!);
  const p = q.paramInts(`2^${B.name}`, shape, powers, 0);
  if (ctx.attrs.string("direction") === "RIGHT") return [q.divide(x, p, 0)];
  const r = ctx.range(A.name);
  const hi = (r ? r.max : x.maxAbs) * p.maxAbs;
  const max = UNSIGNED_MAX[ctx.outputs[0]!.dtype];
  if (max !== undefined && hi > max) {
    throw notQuantisable(ctx, `BitShift LEFT of "${A.name}" could pass ${max} (${r ? "calibrated" : "static"} range up to ${r ? r.max : x.maxAbs}, shifted by up to ${Math.log2(p.maxAbs)} bits), and zkc does not reproduce wrap-around`, "mask the input first, or calibrate with inputs that do not overflow");
  }
  return [q.mulT(x, p)];
};
