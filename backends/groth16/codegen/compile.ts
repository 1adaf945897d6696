/**
 * Compiles a run of zkc primitives (compiler/quant/prim.ts) into R1CS through the builder, so that
 * a satisfying witness exists iff every tensor equals the result of compiler/quant/semantics.ts.
 *
 * Every tensor is a vector of signals (linear combinations) plus an integer interval [lo, hi]
 * holding all its elements. The intervals come from interval arithmetic over the circuit itself,
 * starting from the inputs' declared bounds and the params' actual values; since every signal is
 * forced to equal its semantic value, they bound the values the constraints admit and give every
 * decomposition its width. Costs (constraints per element, p = width of a sign test):
 *
 * | primitive | encoding | constraints |
 * |---|---|---|
 * | matmul with a constant side, add, sub, scale, gather, reduceSum | linear combinations | 0 |
 * | matmul of two signals, mul | one product per multiply | 1 per product |
 * | rescale by 2^k | one decomposition of x + 2^(k−1) + offset·2^k: low k bits = remainder, high bits = quotient | k + w + 1 |
 * | clamp | sign of x − lo and/or hi − x, one select each (ReLU after a rescale reuses its sign bit) | (p + 3) per active side; 1 for ReLU after rescale |
 * | clamp to [−L, L] after a rescale | one sign test of L − |q|, |q| = (2s − 1)·q from the free sign bit s | p + 4 |
 * | max | sign of a − b, select | p + 3 |
 * | lookup | index bits (+ bound checks only where the input's interval leaves the domain), split MLE evaluation ({@link tableAtBits}) | m + 1 + ≈2·2^(m/2) |
 * | divide | q·den = num·2^s − rem, rem and den − 1 − rem in w_r bits, q in w_q bits | w_q + 2·w_r + 2 |
 * | argmax over n | running scan: sign of x − m − 1, two selects | (n − 1)(p + 4) |
 *
 * Divide is the one encoding the under-constraint checker's rules cannot justify (q·den = c
 * determines q only when den ≠ 0, which the range checks prove but the rules cannot see): its
 * quotient bits are returned as {@link Assumption}s with the structure that makes them unique;
 * `checkCodegenCircuit` verifies that structure in the R1CS, then takes the bits as determined.
 */
import { ZkcError, internal } from "../../../compiler/errors.js";
import { atOrigin, tensorLabel, type Prim, type PrimOp, type PrimOrigin, type QTensor } from "../../../compiler/quant/prim.js";
import { floorDiv, toSigned } from "../field.js";
import { fromBits, toBits } from "../gadgets/bits.js";
import { select } from "../gadgets/compare.js";
import { LinComb, type R1csBuilder, type Signal, type WireId } from "../r1cs.js";
import { tableAtBits } from "./table.js";

/** What the compiler needs to know about a tensor (a subset of QTensor). */
export type TensorInfo = Pick<QTensor, "name" | "shape" | "maxAbs" | "kind" | "values"> & Partial<Pick<QTensor, "scale" | "onnxName">>;

/** A tensor inside the circuit. */
export interface CircuitTensor {
  readonly signals: Signal[];
  /** every element's integer value lies in [lo, hi] */
  readonly lo: number;
  readonly hi: number;
  /** per element, a Boolean signal equal to [x >= 0] that came for free (a rescale's sign bit) */
  readonly nonNegative?: Signal[];
}

/**
 * Wires the under-constraint rules cannot determine — one divide element's quotient bits — with
 * the structure that makes them unique: the product constraint q·den = numerator − rem and the
 * gap decomposition den − 1 − rem = Σ gap·2^i (builder-local wires and constraint indices;
 * `checkCodegenCircuit` verifies the structure before it takes the bits as determined).
 */
export interface Assumption {
  readonly reason: string;
  /** q = qlo + Σ qBits[j]·2^j */
  readonly qBits: WireId[];
  readonly qlo: bigint;
  /** rem = Σ remBits[i]·2^i */
  readonly remBits: WireId[];
  /** den − 1 − rem = Σ gapBits[i]·2^i (as many bits as rem) */
  readonly gapBits: WireId[];
  readonly den: Signal;
  /** num·2^shift */
  readonly numerator: Signal;
  /** index of q·den = numerator − rem */
  readonly productConstraint: number;
  /** index of (Σ gap·2^i − (den − 1 − rem))·1 = 0 */
  readonly gapConstraint: number;
}

/** Constraints spent per primitive (for reports and the benchmark). */
export interface PrimCost {
  readonly op: PrimOp;
  readonly out: string;
  readonly constraints: number;
}

/** Mutable state of one compilation. */
export interface CompileState {
  readonly b: R1csBuilder;
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** circuit tensors by name; inputs must be present before {@link compilePrims} */
  readonly env: Map<string, CircuitTensor>;
  readonly assumptions: Assumption[];
  readonly costs: PrimCost[];
  /** for error messages */
  readonly where: string;
}

/** A fresh compile state. */
export function compileState(b: R1csBuilder, tensors: ReadonlyMap<string, TensorInfo>, where: string): CompileState {
  return { b, tensors, env: new Map(), assumptions: [], costs: [], where };
}

/** Largest |bound| the interval arithmetic accepts: float64 stays exact, the field never wraps. */
const MAX_INTERVAL = 2 ** 52;

/** Smallest w with 2^w > n, for an integer n >= 0 (0 for n = 0). */
export function bitLength(n: number): number {
  let w = 0;
  while (2 ** w <= n) w++;
  return w;
}

const big = (x: number): bigint => BigInt(x);

function constantTensor(values: ArrayLike<number>): CircuitTensor {
  let lo = 0;
  let hi = 0;
  const signals: Signal[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i === 0 || v < lo) lo = v;
    if (i === 0 || v > hi) hi = v;
    signals.push(LinComb.constant(big(v)));
  }
  return { signals, lo, hi };
}

/** A tensor from signals, refusing bounds that could leave the exact range. */
function tensorOf(st: CompileState, out: string, signals: Signal[], lo: number, hi: number, nonNegative?: Signal[]): CircuitTensor {
  if (!(Math.abs(lo) <= MAX_INTERVAL && Math.abs(hi) <= MAX_INTERVAL)) {
    throw new ZkcError("QUANTISATION", `${tensorLabel(out, st.tensors.get(out))} could hold values in [${lo}, ${hi}], beyond 2^52`, {
      node: st.where,
      op: "groth16 codegen",
      hint: "lower the quantisation scales so intermediate products stay below 2^50",
    });
  }
  return nonNegative ? { signals, lo, hi, nonNegative } : { signals, lo, hi };
}

/** The circuit tensor of `name` (params become constants on first use). */
export function tensorIn(st: CompileState, name: string): CircuitTensor {
  const have = st.env.get(name);
  if (have) return have;
  const info = st.tensors.get(name);
  if (info?.kind === "param" && info.values) {
    const t = constantTensor(info.values);
    st.env.set(name, t);
    return t;
  }
  return internal(`groth16 codegen (${st.where}): tensor "${name}" has no value (not an input, param or earlier output)`);
}

/**
 * [d >= 0] for an integer signal d known to lie in [lo, hi], as a Boolean signal.
 * Decomposes d + 2^p over p + 1 bits (2^p >= −lo, 2^p > hi); the top bit is the sign.
 * Cost: p + 2 constraints (0 when the interval decides the sign).
 */
export function signOf(b: R1csBuilder, d: Signal, lo: number, hi: number): Signal {
  if (lo >= 0) return LinComb.constant(1n);
  if (hi < 0) return LinComb.constant(0n);
  let p = 0;
  while (2 ** p < -lo || 2 ** p <= hi) p++;
  const bits = toBits(b, d.plus(1n << big(p)), p + 1, "sgn");
  return bits[p]!;
}

/** Allocates n Boolean wires holding the bits of `value` (no sum constraint). Cost: n. */
function freeBits(b: R1csBuilder, value: bigint, n: number, name: string): Signal[] {
  const bits: Signal[] = [];
  for (let i = 0; i < n; i++) {
    const bit = b.witness((value >> big(i)) & 1n, `${name}[${i}]`);
    b.assertBoolean(bit);
    bits.push(bit);
  }
  return bits;
}

/** zkc's rounding of x / 2^k (half up), on numbers (exact below 2^53). */
function rescaleNumber(x: number, k: number): number {
  const d = 2 ** k;
  return Math.floor((x + d / 2) / d);
}

function intervalProduct(alo: number, ahi: number, blo: number, bhi: number): [number, number] {
  const c = [alo * blo, alo * bhi, ahi * blo, ahi * bhi];
  return [Math.min(...c), Math.max(...c)];
}

// ---- primitives ----------------------------------------------------------------------------

function compileMatmul(st: CompileState, p: Extract<Prim, { op: "matmul" }>): CircuitTensor {
  const { b } = st;
  const A = tensorIn(st, p.a);
  const B = tensorIn(st, p.b);
  const { batch, bBatch, m, k, n } = p;
  const out: Signal[] = new Array(batch * m * n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < batch; t++) {
    const aOff = t * m * k;
    const bOff = (bBatch === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const parts: [bigint, Signal][] = [];
        let elo = 0;
        let ehi = 0;
        for (let kk = 0; kk < k; kk++) {
          const x = A.signals[aOff + i * k + kk]!;
          const y = B.signals[bOff + kk * n + j]!;
          if (x.isConstant() || y.isConstant()) {
            // a constant times a signal (or two constants) is linear: no constraint
            const xConst = x.isConstant();
            const c = Number(toSigned((xConst ? x : y).constantTerm()));
            if (c === 0) continue;
            const s = xConst ? y : x;
            parts.push([big(c), s]);
            const [slo, shi] = s.isConstant() ? [Number(toSigned(s.constantTerm())), Number(toSigned(s.constantTerm()))] : xConst ? [B.lo, B.hi] : [A.lo, A.hi];
            const [plo, phi] = intervalProduct(c, c, slo, shi);
            elo += plo;
            ehi += phi;
          } else {
            parts.push([1n, b.mul(x, y, "mac")]);
            const [plo, phi] = intervalProduct(A.lo, A.hi, B.lo, B.hi);
            elo += plo;
            ehi += phi;
          }
        }
        out[t * m * n + i * n + j] = LinComb.sum(parts);
        lo = Math.min(lo, elo);
        hi = Math.max(hi, ehi);
      }
  }
  return tensorOf(st, p.out, out, lo === Infinity ? 0 : lo, hi === -Infinity ? 0 : hi);
}

function sameLength(st: CompileState, p: Prim, a: CircuitTensor, c: CircuitTensor): void {
  if (a.signals.length !== c.signals.length) {
    throw new ZkcError("INTERNAL", `${p.op} operands differ in length (${a.signals.length} vs ${c.signals.length})`, { node: st.where, op: p.op });
  }
}

/** Rescale of each element of x by 2^k: one fused decomposition per element. */
function compileRescale(st: CompileState, x: CircuitTensor, k: number, out: string): CircuitTensor {
  const { b } = st;
  const qlo = rescaleNumber(x.lo, k);
  const qhi = rescaleNumber(x.hi, k);
  const half = 1n << big(k - 1);
  // Signed quotients use a power-of-two offset so the top bit is the sign (ReLU reuses it);
  // otherwise the tight offset qlo.
  let offset: number;
  let width: number;
  let signBit: number | undefined;
  if (qlo < 0 && qhi >= 0) {
    let p = 0;
    while (2 ** p < -qlo || 2 ** p <= qhi) p++;
    offset = -(2 ** p);
    width = p + 1;
    signBit = p;
  } else {
    offset = qlo;
    width = bitLength(qhi - qlo);
  }
  const signals: Signal[] = [];
  const nonNegative: Signal[] = [];
  b.scoped("rescale", () => {
    for (const s of x.signals) {
      // y = x + 2^(k-1) − offset·2^k = rem + 2^k·(q − offset), 0 <= rem < 2^k, 0 <= q − offset < 2^width
      const y = s.plus(half - (big(offset) << big(k)));
      const bits = toBits(b, y, k + width, "rq");
      const high = bits.slice(k);
      signals.push(fromBits(high).plus(big(offset)));
      nonNegative.push(signBit !== undefined ? high[signBit]! : LinComb.constant(qlo >= 0 ? 1n : 0n));
    }
  });
  return tensorOf(st, out, signals, qlo, qhi, nonNegative);
}

function compileClamp(st: CompileState, x: CircuitTensor, lo: number, hi: number, out: string): CircuitTensor {
  const { b } = st;
  const olo = Math.min(Math.max(x.lo, lo), hi);
  const ohi = Math.min(Math.max(x.hi, lo), hi);
  if (lo > hi) return tensorOf(st, out, x.signals.map(() => LinComb.constant(big(hi))), hi, hi);
  if (x.lo >= lo && x.hi <= hi) return x;
  if (x.hi <= lo) return tensorOf(st, out, x.signals.map(() => LinComb.constant(big(lo))), lo, lo);
  if (x.lo >= hi) return tensorOf(st, out, x.signals.map(() => LinComb.constant(big(hi))), hi, hi);
  // [out >= 0] = [x >= 0] when lo <= 0 <= hi: a later ReLU can reuse the input's sign
  const nonNegative = x.nonNegative && lo <= 0 && hi >= 0 ? x.nonNegative : undefined;
  const lowerActive = x.lo < lo;
  const upperActive = x.hi > hi;
  if (lowerActive && upperActive && lo === -hi && x.nonNegative) {
    // Symmetric saturation with a free sign bit s = [x >= 0] (after a rescale): one comparison of
    // |x| = (2s − 1)·x with hi instead of two, and the saturated value (2s − 1)·hi is linear in s.
    const signs = x.nonNegative;
    const absMax = Math.max(-x.lo, x.hi);
    const signals = b.scoped("clamp_sym", () =>
      x.signals.map((s, i) => {
        const pos = signs[i]!;
        const abs = b.mul(pos, s, "sx").times(2n).minus(s);
        const inside = signOf(b, LinComb.constant(big(hi)).minus(abs), hi - absMax, hi);
        return select(b, inside, s, pos.times(big(2 * hi)).minus(big(hi)), "sat");
      }),
    );
    return tensorOf(st, out, signals, olo, ohi, nonNegative);
  }
  const signals = b.scoped("clamp", () =>
    x.signals.map((s, i) => {
      let v = s;
      if (upperActive) {
        // min(x, hi): keep x when hi − x >= 0
        const keep = signOf(b, LinComb.constant(big(hi)).minus(s), hi - x.hi, hi - x.lo);
        v = select(b, keep, s, LinComb.constant(big(hi)), "min");
      }
      if (lowerActive) {
        // max(·, lo): keep when x − lo >= 0 (x, not v: for x < lo, v = x as hi > lo)
        const keep = lo === 0 && x.nonNegative ? x.nonNegative[i]! : signOf(b, s.minus(big(lo)), x.lo - lo, x.hi - lo);
        v = select(b, keep, v, LinComb.constant(big(lo)), "max");
      }
      return v;
    }),
  );
  return tensorOf(st, out, signals, olo, ohi, nonNegative);
}

function compileMax(st: CompileState, p: Extract<Prim, { op: "max" }>): CircuitTensor {
  const { b } = st;
  const A = tensorIn(st, p.a);
  const B = tensorIn(st, p.b);
  sameLength(st, p, A, B);
  const signals = b.scoped("max", () =>
    A.signals.map((a, i) => {
      const c = B.signals[i]!;
      const ge = signOf(b, a.minus(c), A.lo - B.hi, A.hi - B.lo);
      return select(b, ge, a, c, "max");
    }),
  );
  return tensorOf(st, p.out, signals, Math.max(A.lo, B.lo), Math.max(A.hi, B.hi));
}

function compileLookup(st: CompileState, p: Extract<Prim, { op: "lookup" }>): CircuitTensor {
  const { b } = st;
  const X = tensorIn(st, p.in);
  const { lo, values } = p.table;
  const n = values.length;
  if (n === 0) throw new ZkcError("INTERNAL", `lookup table ${p.table.id} is empty`, { node: st.where, op: "lookup" });
  const needLower = X.lo < lo;
  const needUpper = X.hi > lo + n - 1;
  // the index runs over [base, top]: the input's interval cut to the table's domain
  const base = needLower ? lo : X.lo;
  const top = needUpper ? lo + n - 1 : X.hi;
  if (top < base) {
    throw new ZkcError("QUANTISATION", `lookup ${p.table.id}: the input's range [${X.lo}, ${X.hi}] misses the table's domain [${lo}, ${lo + n - 1}]`, { node: st.where, op: "lookup" });
  }
  const m = bitLength(top - base);
  const table: bigint[] = [];
  let olo = Infinity;
  let ohi = -Infinity;
  for (let t = 0; t <= top - base; t++) {
    const v = values[base + t - lo]!;
    table.push(big(v));
    olo = Math.min(olo, v);
    ohi = Math.max(ohi, v);
  }
  const signals = b.scoped(`lookup_${p.table.id.replace(/[^A-Za-z0-9_.@-]/g, "_")}`, () =>
    X.signals.map((x) => {
      const offset = x.minus(big(base));
      if (m === 0) {
        if (needLower || needUpper) b.assertEqual(offset, LinComb.constant(0n));
        return LinComb.constant(table[0]!);
      }
      // the decomposition proves x >= base (needed when base = the domain's lo) and x < base + 2^m
      const bits = toBits(b, offset, m, "idx");
      if (needUpper && 2 ** m - 1 > top - base) b.scoped("upper", () => toBits(b, LinComb.constant(big(top - base)).minus(offset), m, "ub"));
      return tableAtBits(b, bits, table);
    }),
  );
  return tensorOf(st, p.out, signals, olo, ohi);
}

function compileDivide(st: CompileState, p: Extract<Prim, { op: "divide" }>): CircuitTensor {
  const { b } = st;
  const num = tensorIn(st, p.num);
  const den = tensorIn(st, p.den);
  sameLength(st, p, num, den);
  if (den.hi < 1) {
    throw new ZkcError("QUANTISATION", `divide: the denominator's range [${den.lo}, ${den.hi}] has no positive value`, { node: st.where, op: "divide" });
  }
  const scale = 2 ** p.shift;
  const nlo = big(num.lo) * big(scale);
  const nhi = big(num.hi) * big(scale);
  const dmin = big(Math.max(1, den.lo));
  const dmax = big(den.hi);
  const qs = [floorDiv(nlo, dmin), floorDiv(nlo, dmax), floorDiv(nhi, dmin), floorDiv(nhi, dmax)];
  const qlo = qs.reduce((a, c) => (c < a ? c : a));
  const qhi = qs.reduce((a, c) => (c > a ? c : a));
  const wq = bitLength(Number(qhi - qlo));
  const wr = bitLength(den.hi - 1);
  const signals = b.scoped("divide", () =>
    num.signals.map((ns, i) => {
      const N = ns.times(big(scale));
      const d = den.signals[i]!;
      const nv = b.signedValue(N);
      const dv = b.signedValue(d);
      // the hint; a non-positive denominator (setup's dummy inputs) gets q = 0 and fails the checks
      const q = dv > 0n ? floorDiv(nv, dv) : 0n;
      const rem = nv - q * dv;
      const qOff = q - qlo;
      if (qOff < 0n || qOff >= 1n << big(wq)) b.hintFailure(`divide: quotient ${q} outside [${qlo}, ${qhi}]`);
      const qBits = freeBits(b, qOff < 0n ? 0n : qOff, wq, "q");
      const qSig = fromBits(qBits).plus(qlo);
      if (wr > 0 && (rem < 0n || rem >= 1n << big(wr))) b.hintFailure(`divide: remainder ${rem} outside [0, ${den.hi - 1}]`);
      const remBits = freeBits(b, rem < 0n ? 0n : rem & ((1n << big(wr)) - 1n), wr, "rem");
      const remSig = fromBits(remBits);
      const productConstraint = b.nConstraints;
      b.constrain(qSig, d, N.minus(remSig));
      // rem <= den − 1 (with rem >= 0 this proves den >= 1); for wr = 0 it reads den = 1
      const gapBits = b.scoped("rem_lt_den", () => (wr > 0 ? toBits(b, d.minus(1n).minus(remSig), wr, "gap") : (b.assertEqual(LinComb.constant(0n), d.minus(1n)), [])));
      st.assumptions.push({
        reason: `divide ${p.out}[${i}]: q·den = num·2^${p.shift} − rem with 0 <= rem <= den − 1 and q in [${qlo}, ${qlo + (1n << big(wq)) - 1n}] has one integer solution`,
        qBits: qBits.map((x) => x.singleWire()!),
        qlo,
        remBits: remBits.map((x) => x.singleWire()!),
        gapBits: gapBits.map((x) => x.singleWire()!),
        den: d,
        numerator: N,
        productConstraint,
        gapConstraint: b.nConstraints - 1,
      });
      return qSig;
    }),
  );
  return tensorOf(st, p.out, signals, Number(qlo), Number(qhi));
}

function compileArgmax(st: CompileState, p: Extract<Prim, { op: "argmax" }>): CircuitTensor {
  const { b } = st;
  const X = tensorIn(st, p.in);
  const { outer, reduce, inner } = p;
  const signals: Signal[] = [];
  b.scoped("argmax", () => {
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let best = X.signals[o * reduce * inner + i]!;
        let index: Signal = LinComb.constant(0n);
        for (let r = 1; r < reduce; r++) {
          const x = X.signals[(o * reduce + r) * inner + i]!;
          // strictly greater replaces: ties keep the first index, as semantics.ts does
          const greater = signOf(b, x.minus(best).minus(1n), X.lo - X.hi - 1, X.hi - X.lo - 1);
          best = select(b, greater, x, best, "best");
          index = select(b, greater, LinComb.constant(big(r)), index, "idx");
        }
        signals.push(index);
      }
  });
  return tensorOf(st, p.out, signals, 0, reduce - 1);
}

/** Compiles one primitive; its output tensor goes into `st.env`. */
export function compilePrim(st: CompileState, p: Prim): void {
  const { b } = st;
  const before = b.nConstraints;
  let out: CircuitTensor;
  switch (p.op) {
    case "matmul":
      out = compileMatmul(st, p);
      break;
    case "add":
    case "sub": {
      const A = tensorIn(st, p.a);
      const B = tensorIn(st, p.b);
      sameLength(st, p, A, B);
      out =
        p.op === "add"
          ? tensorOf(st, p.out, A.signals.map((a, i) => a.plus(B.signals[i]!)), A.lo + B.lo, A.hi + B.hi)
          : tensorOf(st, p.out, A.signals.map((a, i) => a.minus(B.signals[i]!)), A.lo - B.hi, A.hi - B.lo);
      break;
    }
    case "mul": {
      const A = tensorIn(st, p.a);
      const B = tensorIn(st, p.b);
      sameLength(st, p, A, B);
      const [lo, hi] = intervalProduct(A.lo, A.hi, B.lo, B.hi);
      out = tensorOf(st, p.out, b.scoped("mul", () => A.signals.map((a, i) => b.mul(a, B.signals[i]!, "prod"))), lo, hi);
      break;
    }
    case "scale": {
      const X = tensorIn(st, p.in);
      const [lo, hi] = intervalProduct(X.lo, X.hi, p.factor, p.factor);
      out = tensorOf(st, p.out, X.signals.map((s) => s.times(big(p.factor))), lo, hi);
      break;
    }
    case "gather": {
      const srcs = p.sources.map((s) => tensorIn(st, s));
      const signals: Signal[] = new Array(p.idx.length);
      let lo = Infinity;
      let hi = -Infinity;
      const used = new Set<number>();
      for (let i = 0; i < p.idx.length; i++) {
        const j = p.idx[i]!;
        if (j < 0) {
          signals[i] = LinComb.constant(0n);
          lo = Math.min(lo, 0);
          hi = Math.max(hi, 0);
          continue;
        }
        const s = p.src ? p.src[i]! : 0;
        const src = srcs[s];
        const sig = src?.signals[j];
        if (!src || !sig) throw new ZkcError("INTERNAL", `gather reads source ${s} at ${j}, outside it`, { node: st.where, op: "gather" });
        signals[i] = sig;
        used.add(s);
      }
      for (const s of used) {
        lo = Math.min(lo, srcs[s]!.lo);
        hi = Math.max(hi, srcs[s]!.hi);
      }
      // wire renaming keeps known signs (padding zeros are non-negative)
      let nonNegative: Signal[] | undefined;
      if ([...used].every((s) => srcs[s]!.nonNegative)) {
        nonNegative = Array.from(p.idx, (j, i) => (j < 0 ? LinComb.constant(1n) : srcs[p.src ? p.src[i]! : 0]!.nonNegative![j]!));
      }
      out = tensorOf(st, p.out, signals, lo === Infinity ? 0 : lo, hi === -Infinity ? 0 : hi, nonNegative);
      break;
    }
    case "reduceSum": {
      const X = tensorIn(st, p.in);
      const { outer, reduce, inner } = p;
      const signals: Signal[] = [];
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const parts: [bigint, Signal][] = [];
          for (let r = 0; r < reduce; r++) parts.push([1n, X.signals[(o * reduce + r) * inner + i]!]);
          signals.push(LinComb.sum(parts));
        }
      out = tensorOf(st, p.out, signals, X.lo * reduce, X.hi * reduce);
      break;
    }
    case "rescale":
      out = p.shift === 0 ? tensorIn(st, p.in) : compileRescale(st, tensorIn(st, p.in), p.shift, p.out);
      break;
    case "clamp":
      out = compileClamp(st, tensorIn(st, p.in), p.lo, p.hi, p.out);
      break;
    case "max":
      out = compileMax(st, p);
      break;
    case "lookup":
      out = compileLookup(st, p);
      break;
    case "divide":
      out = compileDivide(st, p);
      break;
    case "argmax":
      out = compileArgmax(st, p);
      break;
    default: {
      const op = (p as { op: string }).op;
      throw new ZkcError("UNSUPPORTED_OP", `the Groth16 code generator has no encoding for primitive "${op}"`, {
        node: st.where,
        op,
        hint: "route this primitive to the GKR backend, or add its encoding to backends/groth16/codegen/compile.ts",
      });
    }
  }
  st.env.set(p.out, out);
  st.costs.push({ op: p.op, out: p.out, constraints: b.nConstraints - before });
}

/** Compiles primitives in order (their inputs must be in `st.env` or be params). */
export function compilePrims(st: CompileState, prims: readonly Prim[], origins?: readonly PrimOrigin[]): void {
  prims.forEach((p, i) => {
    try {
      st.b.scoped(p.out, () => compilePrim(st, p));
    } catch (e) {
      throw e instanceof ZkcError ? atOrigin(e, origins?.[i], `${st.where}, primitive ${p.op}`) : e;
    }
  });
}

