/**
 * Relations of the non-linear primitives (exact semantics: `compiler/quant/semantics.ts`). Each op
 * gives a static `RelationSpec` (from shapes, static bounds and the primitive's parameters: the
 * verifier builds the same one) and its aux witness from the exact integers.
 *
 * Padding: every relation also holds on the padding positions of the layout, where inputs are 0;
 * constants enter as `mask` operands (0 on padding), so the output is pinned to 0 there too.
 *
 * - rescale (shift s >= 1): x + 2^(s-1)·[real] = 2^s·q + rem, rem in [0, 2^s), q in [-B, B) with
 *   B = 2^(kq-1) > the output's static bound. Linear: no sumcheck. (s = 0: out = x.)
 * - lookup: out = y committed; rows (x, y, [real]) looked up in {(lo+t, values[t], 1)} ∪ {(0, 0, 0)}
 *   (the extra row only when the layout has padding): real positions match the function, padding
 *   positions must be (0, 0).
 * - max(a, b): sign bit s in [0, 2), t = (2s-1)(a-b) in [0, 2^k): out = b + s(a-b).
 * - clamp(x, lo, hi) (lo <= hi): bits sl = [x < lo], sh = [x > hi] with
 *   tl = (1-2sl)(x-LO) - sl >= 0, th = (1-2sh)(HI-x) - sh >= 0 (LO, HI = lo, hi on real positions);
 *   out = x + sl(LO-x) + sh(HI-x). (lo > hi: out = hi everywhere, as the semantics give.)
 * - divide(num, den, s): 2^s·num = q·den + rem, rem in [0, 2^k), den - [real] - rem in [0, 2^k)
 *   (so den >= 1 and rem < den), q in [-B, B), and q·(1 - [real]) = 0 (q is 0 on padding).
 */
import { ZkcError } from "../../../compiler/errors.js";
import type { Prim } from "../../../compiler/quant/prim.js";
import { SAFE_MAX_ABS } from "../../../compiler/quant/prim.js";
import { divideValue, rescaleValue } from "../../../compiler/quant/semantics.js";
import { Fr } from "../../math/field.js";
import { sameLayout } from "../../math/layout.js";
import type { RelationSpec, Term } from "./relation.js";

/** Primitive ops this module proves. */
export const NONLINEAR_OPS = ["rescale", "lookup", "clamp", "max", "divide"] as const;
export type NonlinearOp = (typeof NONLINEAR_OPS)[number];
export type NonlinearPrim = Extract<Prim, { op: NonlinearOp }>;

/** What a spec needs to know about the kernel's tensors. */
export interface SpecContext {
  shapeOf(tensor: string): readonly number[];
  /** static bound |v| <= bound of a tensor's integers */
  boundOf(tensor: string): number;
}

/** Bits k such that [-2^(k-1), 2^(k-1)) contains [-bound, bound]. */
function signedBits(bound: number): number {
  return Math.max(1, Math.ceil(Math.log2(bound + 1))) + 1;
}

/** Bits k such that [0, 2^k) contains [0, bound]. */
function unsignedBits(bound: number): number {
  return Math.max(1, Math.ceil(Math.log2(bound + 1)));
}

const one = 1n;
const neg = (c: bigint): bigint => Fr.neg(c);
const c = (v: number | bigint): bigint => Fr.fromSigned(v);
const term = (coeff: bigint, ...factors: number[]): Term => ({ coeff, factors });

function checkShapes(p: NonlinearPrim, ins: readonly string[], sc: SpecContext): readonly number[] {
  const shape = sc.shapeOf(p.out);
  for (const t of ins) {
    if (!sameLayout(sc.shapeOf(t), shape)) {
      throw new ZkcError("UNSUPPORTED_FEATURE", `GKR ${p.op} -> "${p.out}": input "${t}" of shape [${sc.shapeOf(t).join(", ")}] is laid out differently from the output [${shape.join(", ")}]`, {
        op: p.op,
        hint: "reshape the input to the output's shape before this primitive",
      });
    }
  }
  return shape;
}

/**
 * The relation of a non-linear primitive.
 * @throws ZkcError UNSUPPORTED_FEATURE for inputs laid out unlike the output
 */
export function relationSpec(p: NonlinearPrim, sc: SpecContext): RelationSpec {
  switch (p.op) {
    case "rescale": {
      const shape = checkShapes(p, [p.in], sc);
      if (p.shift === 0) return { shape, operands: [{ kind: "input", tensor: p.in }], out: [term(one, 0)], constraints: [], lookups: [] };
      const kq = signedBits(sc.boundOf(p.out));
      // operands: 0 x, 1 q, 2 rem, 3 half
      return {
        shape,
        operands: [
          { kind: "input", tensor: p.in },
          { kind: "aux", name: "q", range: { bits: kq, offset: 1n << BigInt(kq - 1) } },
          { kind: "aux", name: "rem", range: { bits: p.shift, offset: 0n } },
          { kind: "mask", constant: 1n << BigInt(p.shift - 1) },
        ],
        out: [term(one, 1)],
        constraints: [[term(one, 0), term(one, 3), term(neg(1n << BigInt(p.shift)), 1), term(neg(one), 2)]],
        lookups: [],
      };
    }
    case "lookup": {
      const shape = checkShapes(p, [p.in], sc);
      const { lo, values } = p.table;
      const rows: number[][] = Array.from(values, (v, t) => [lo + t, v, 1]);
      if (hasPadding(shape)) rows.push([0, 0, 0]); // padding positions are (0, 0) with mask 0
      return {
        shape,
        operands: [{ kind: "input", tensor: p.in }, { kind: "aux", name: "y" }, { kind: "mask", constant: one }],
        out: [term(one, 1)],
        constraints: [],
        lookups: [{ id: `table.${p.table.id}`, rows, columns: [0, 1, 2] }],
      };
    }
    case "max": {
      const shape = checkShapes(p, [p.a, p.b], sc);
      const k = unsignedBits(sc.boundOf(p.a) + sc.boundOf(p.b));
      // operands: 0 a, 1 b, 2 s, 3 t;  out = b + s a - s b;  t - 2 s a + 2 s b + a - b = 0
      return {
        shape,
        operands: [
          { kind: "input", tensor: p.a },
          { kind: "input", tensor: p.b },
          { kind: "aux", name: "s", range: { bits: 1, offset: 0n } },
          { kind: "aux", name: "t", range: { bits: k, offset: 0n } },
        ],
        out: [term(one, 1), term(one, 2, 0), term(neg(one), 2, 1)],
        constraints: [[term(one, 3), term(c(-2), 2, 0), term(c(2), 2, 1), term(one, 0), term(neg(one), 1)]],
        lookups: [],
      };
    }
    case "clamp": {
      const shape = checkShapes(p, [p.in], sc);
      if (p.lo > p.hi) {
        return { shape, operands: [{ kind: "mask", constant: c(p.hi) }], out: [term(one, 0)], constraints: [], lookups: [] };
      }
      const k = unsignedBits(sc.boundOf(p.in) + Math.max(Math.abs(p.lo), Math.abs(p.hi)) + 1);
      // operands: 0 x, 1 LO, 2 HI, 3 sl, 4 sh, 5 tl, 6 th
      return {
        shape,
        operands: [
          { kind: "input", tensor: p.in },
          { kind: "mask", constant: c(p.lo) },
          { kind: "mask", constant: c(p.hi) },
          { kind: "aux", name: "sl", range: { bits: 1, offset: 0n } },
          { kind: "aux", name: "sh", range: { bits: 1, offset: 0n } },
          { kind: "aux", name: "tl", range: { bits: k, offset: 0n } },
          { kind: "aux", name: "th", range: { bits: k, offset: 0n } },
        ],
        // out = x + sl LO - sl x + sh HI - sh x
        out: [term(one, 0), term(one, 3, 1), term(neg(one), 3, 0), term(one, 4, 2), term(neg(one), 4, 0)],
        constraints: [
          // tl - x + LO + 2 sl x - 2 sl LO + sl = 0
          [term(one, 5), term(neg(one), 0), term(one, 1), term(c(2), 3, 0), term(c(-2), 3, 1), term(one, 3)],
          // th - HI + x + 2 sh HI - 2 sh x + sh = 0
          [term(one, 6), term(neg(one), 2), term(one, 0), term(c(2), 4, 2), term(c(-2), 4, 0), term(one, 4)],
        ],
        lookups: [],
      };
    }
    case "divide": {
      const shape = checkShapes(p, [p.num, p.den], sc);
      const kq = signedBits(sc.boundOf(p.out));
      const kr = unsignedBits(sc.boundOf(p.den));
      // operands: 0 num, 1 den, 2 q, 3 rem, 4 t, 5 real
      return {
        shape,
        operands: [
          { kind: "input", tensor: p.num },
          { kind: "input", tensor: p.den },
          { kind: "aux", name: "q", range: { bits: kq, offset: 1n << BigInt(kq - 1) } },
          { kind: "aux", name: "rem", range: { bits: kr, offset: 0n } },
          { kind: "aux", name: "t", range: { bits: kr, offset: 0n } },
          { kind: "mask", constant: one },
        ],
        out: [term(one, 2)],
        constraints: [
          [term(1n << BigInt(p.shift), 0), term(neg(one), 2, 1), term(neg(one), 3)],
          [term(one, 4), term(neg(one), 1), term(one, 5), term(one, 3)],
          [term(one, 2), term(neg(one), 2, 5)],
        ],
        lookups: [],
      };
    }
  }
}

function hasPadding(shape: readonly number[]): boolean {
  return shape.some((d) => (d & (d - 1)) !== 0);
}

/**
 * The aux witness of a primitive from the exact integers of its inputs.
 * @throws ZkcError QUANTISATION for a divide by a non-positive denominator
 */
export function auxWitness(p: NonlinearPrim, values: (tensor: string) => Float64Array): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  switch (p.op) {
    case "rescale": {
      if (p.shift === 0) return out;
      const x = values(p.in);
      const q = new Float64Array(x.length);
      const rem = new Float64Array(x.length);
      const d = 2 ** p.shift;
      for (let i = 0; i < x.length; i++) {
        q[i] = rescaleValue(x[i]!, p.shift);
        rem[i] = x[i]! + d / 2 - q[i]! * d;
      }
      out.set("q", q).set("rem", rem);
      return out;
    }
    case "lookup": {
      const x = values(p.in);
      const y = new Float64Array(x.length);
      const { lo, values: tv } = p.table;
      for (let i = 0; i < x.length; i++) {
        const j = x[i]! - lo;
        if (!(j >= 0 && j < tv.length)) {
          throw new ZkcError("QUANTISATION", `lookup ${p.table.id} -> "${p.out}": input ${x[i]} at index ${i} is outside the table domain [${lo}, ${lo + tv.length - 1}]`, {
            op: "lookup",
            hint: "clamp the input into the table's domain first",
          });
        }
        y[i] = tv[j]!;
      }
      out.set("y", y);
      return out;
    }
    case "max": {
      const a = values(p.a);
      const b = values(p.b);
      const s = new Float64Array(a.length);
      const t = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        s[i] = a[i]! >= b[i]! ? 1 : 0;
        t[i] = Math.abs(a[i]! - b[i]!);
      }
      out.set("s", s).set("t", t);
      return out;
    }
    case "clamp": {
      if (p.lo > p.hi) return out;
      const x = values(p.in);
      const [sl, sh, tl, th] = [0, 1, 2, 3].map(() => new Float64Array(x.length)) as [Float64Array, Float64Array, Float64Array, Float64Array];
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        sl[i] = v < p.lo ? 1 : 0;
        sh[i] = v > p.hi ? 1 : 0;
        tl[i] = v < p.lo ? p.lo - v - 1 : v - p.lo;
        th[i] = v > p.hi ? v - p.hi - 1 : p.hi - v;
      }
      out.set("sl", sl).set("sh", sh).set("tl", tl).set("th", th);
      return out;
    }
    case "divide": {
      const num = values(p.num);
      const den = values(p.den);
      const q = new Float64Array(num.length);
      const rem = new Float64Array(num.length);
      const t = new Float64Array(num.length);
      for (let i = 0; i < num.length; i++) {
        if (!(den[i]! > 0)) {
          throw new ZkcError("INPUT", `the divisor is ${den[i]} at position ${i}, but this division was compiled for a positive divisor`, {
            op: "divide",
            hint: "compile again with calibration inputs for which the divisor can be zero or negative (--calibrate): zkc then proves the division for any sign",
          });
        }
        q[i] = divideValue(num[i]!, den[i]!, p.shift);
        rem[i] = num[i]! * 2 ** p.shift - q[i]! * den[i]!;
        t[i] = den[i]! - 1 - rem[i]!;
      }
      out.set("q", q).set("rem", rem).set("t", t);
      return out;
    }
  }
}

/** The static bound of a tensor: `maxAbs` when the kernel's tensor record has one, else SAFE_MAX_ABS. */
export function staticBound(info: unknown): number {
  const m = (info as { maxAbs?: unknown } | undefined)?.maxAbs;
  return typeof m === "number" && Number.isFinite(m) && m >= 0 ? m : SAFE_MAX_ABS;
}
