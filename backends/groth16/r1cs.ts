/**
 * R1CS builder with witness assignment.
 *
 * Gadgets call the builder to allocate wires (with their values, computed as hints while building)
 * and to add constraints A·B = C over {@link LinComb}s. The constraint *structure* must depend only
 * on shapes and constants, never on the witness values: setup builds the circuit with dummy (zero)
 * inputs, the prover with real ones, and both must give byte-identical `.r1cs` files.
 *
 * Wire order in the built circuit follows snarkjs: 0 = constant 1, then public outputs, public
 * inputs, private inputs, internal wires. Builder-local ids are remapped in {@link R1csBuilder.build}.
 */
import { ZkcError, internal } from "../../compiler/errors.js";
import { fieldAdd, fieldMod, fieldMul, toSigned } from "./field.js";
import { LinComb, ONE_WIRE, type WireId } from "./lincomb.js";

export { LinComb, ONE_WIRE, type WireId } from "./lincomb.js";

/** A signal is a linear combination of wires (a single wire is the one-term case). */
export type Signal = LinComb;

/** Role of a wire; decides its position in the built R1CS. */
export type WireKind = "one" | "output" | "publicInput" | "privateInput" | "internal";

/** Sparse linear combination in final wire numbering, sorted by wire id. */
export type Terms = ReadonlyArray<readonly [number, bigint]>;

/** One constraint A·B = C in final wire numbering. */
export interface Constraint {
  readonly a: Terms;
  readonly b: Terms;
  readonly c: Terms;
}

/** A rank-1 constraint system in snarkjs's wire order. */
export interface R1cs {
  /** total wires including the constant-one wire 0 */
  readonly nWires: number;
  readonly nPubOut: number;
  readonly nPubIn: number;
  readonly nPrvIn: number;
  readonly constraints: readonly Constraint[];
  /** debug name per final wire (scope path + label) */
  readonly wireNames: readonly string[];
  /** debug scope per constraint */
  readonly constraintNames: readonly string[];
}

/** Result of {@link R1csBuilder.build}: the constraint system plus the witness in final wire order. */
export interface BuiltCircuit {
  readonly r1cs: R1cs;
  /** witness[0] = 1, then outputs, public inputs, private inputs, internals (canonical residues) */
  readonly witness: bigint[];
  /** public signals as snarkjs orders them: witness[1 .. nPubOut + nPubIn] */
  readonly publicSignals: bigint[];
  /** final wire id of a builder-local wire id */
  finalWire(localId: WireId): number;
}

/** Builder options. */
export interface BuilderOptions {
  /**
   * When true (default) a hint that cannot be satisfied (a value outside a range check, say)
   * throws a QUANTISATION error. When false the builder records the failure in
   * {@link R1csBuilder.hintFailures} and keeps going with a witness that will not satisfy the
   * constraints (used by tests to show such witnesses are rejected).
   */
  strict?: boolean;
}

interface PendingConstraint {
  a: LinComb;
  b: LinComb;
  c: LinComb;
  scope: number;
}

/** Builds an R1CS and its witness at the same time. */
export class R1csBuilder {
  private readonly kinds: WireKind[] = ["one"];
  private readonly values: bigint[] = [1n];
  private readonly names: (string | undefined)[] = ["one"];
  private readonly wireScopes: number[] = [0];
  private readonly pending: PendingConstraint[] = [];
  private readonly outputOrder: WireId[] = [];
  private readonly scopeNames: string[] = [""];
  private readonly scopeIndex = new Map<string, number>([["", 0]]);
  private scopeStack: string[] = [];
  private currentScope = 0;
  readonly strict: boolean;
  /** hint failures recorded when `strict` is false */
  readonly hintFailures: string[] = [];

  constructor(options: BuilderOptions = {}) {
    this.strict = options.strict ?? true;
  }

  /** The constant signal 1. */
  get one(): Signal {
    return LinComb.wire(ONE_WIRE);
  }

  /** Number of constraints added so far. */
  get nConstraints(): number {
    return this.pending.length;
  }

  /** Number of wires allocated so far (including wire 0). */
  get nWires(): number {
    return this.kinds.length;
  }

  /** A constant signal (no wire). */
  constant(c: bigint): Signal {
    return LinComb.constant(c);
  }

  /** Runs `fn` with `name` appended to the scope path used for wire and constraint names. */
  scoped<T>(name: string, fn: () => T): T {
    this.scopeStack.push(name);
    const prev = this.currentScope;
    this.currentScope = this.internScope(this.scopeStack.join("/"));
    try {
      return fn();
    } finally {
      this.scopeStack.pop();
      this.currentScope = prev;
    }
  }

  /** Current scope path ("" at top level). */
  get scopePath(): string {
    return this.scopeNames[this.currentScope]!;
  }

  private internScope(path: string): number {
    let id = this.scopeIndex.get(path);
    if (id === undefined) {
      id = this.scopeNames.length;
      this.scopeNames.push(path);
      this.scopeIndex.set(path, id);
    }
    return id;
  }

  private allocate(kind: WireKind, value: bigint, name?: string): WireId {
    const id = this.kinds.length;
    this.kinds.push(kind);
    this.values.push(fieldMod(value));
    this.names.push(name);
    this.wireScopes.push(this.currentScope);
    return id;
  }

  /** A public input wire with the given value (signed values are embedded mod r). */
  publicInput(value: bigint, name = "in"): Signal {
    return LinComb.wire(this.allocate("publicInput", value, name));
  }

  /** A private input wire. */
  privateInput(value: bigint, name = "in"): Signal {
    return LinComb.wire(this.allocate("privateInput", value, name));
  }

  /** Public input wires, one per value, named `name[i]`. */
  publicInputs(values: readonly bigint[], name = "in"): Signal[] {
    return values.map((v, i) => this.publicInput(v, `${name}[${i}]`));
  }

  /** Private input wires, one per value, named `name[i]`. */
  privateInputs(values: readonly bigint[], name = "in"): Signal[] {
    return values.map((v, i) => this.privateInput(v, `${name}[${i}]`));
  }

  /**
   * An internal wire holding a hint value. The caller must constrain it; the under-constraint
   * checker flags wires that no constraint determines.
   */
  witness(value: bigint, name?: string): Signal {
    return LinComb.wire(this.allocate("internal", value, name));
  }

  /** Evaluates a signal on the current witness (canonical residue). */
  value(s: Signal): bigint {
    let acc = 0n;
    for (const [w, c] of s.terms) acc = fieldAdd(acc, c === 1n ? this.values[w]! : fieldMul(c, this.values[w]!));
    return acc;
  }

  /** Evaluates a signal and reads it as a signed integer (values above r/2 are negative). */
  signedValue(s: Signal): bigint {
    return toSigned(this.value(s));
  }

  /**
   * Reports a hint that cannot be satisfied (for example a value outside its range check).
   * Throws in strict mode; otherwise records it and lets the caller continue with a bogus hint.
   */
  hintFailure(reason: string, details: { expected?: string; got?: string; hint?: string } = {}): void {
    const where = this.scopePath || "(top level)";
    if (this.strict) {
      throw new ZkcError("QUANTISATION", reason, {
        node: where,
        op: "groth16 gadget",
        expected: details.expected,
        got: details.got,
        hint: details.hint ?? "widen the bit bound for this kernel or recalibrate the scales so values fit",
      });
    }
    this.hintFailures.push(`${where}: ${reason}`);
  }

  /**
   * Adds the constraint a·b = c. A constraint whose three sides are all constants is checked and
   * dropped (it says nothing about the witness); a false one is a bug in the caller.
   */
  constrain(a: Signal, b: Signal, c: Signal): void {
    if (a.isConstant() && b.isConstant() && c.isConstant()) {
      if (fieldMul(a.constantTerm(), b.constantTerm()) !== c.constantTerm()) {
        internal(`constant constraint is false in scope "${this.scopePath}"`);
      }
      return;
    }
    this.pending.push({ a, b, c, scope: this.currentScope });
  }

  /** Constrains x = y as (x - y)·1 = 0. */
  assertEqual(x: Signal, y: Signal): void {
    this.constrain(x.minus(y), this.one, LinComb.constant(0n));
  }

  /** Constrains a wire to be 0 or 1: b·(b - 1) = 0. */
  assertBoolean(b: Signal): void {
    this.constrain(b, b.minus(1n), LinComb.constant(0n));
  }

  /**
   * x·y as a signal. When either side is constant the product is linear and costs nothing;
   * otherwise a new wire and one constraint.
   */
  mul(x: Signal, y: Signal, name = "mul"): Signal {
    if (x.isConstant()) return y.times(x.constantTerm());
    if (y.isConstant()) return x.times(y.constantTerm());
    const w = this.witness(fieldMul(this.value(x), this.value(y)), name);
    this.constrain(x, y, w);
    return w;
  }

  /**
   * A single wire equal to x (one constraint unless x already is a wire). Useful to stop wide
   * linear combinations from being copied into many constraints.
   */
  materialise(x: Signal, name = "wire"): Signal {
    if (x.singleWire() !== undefined) return x;
    const w = this.witness(this.value(x), name);
    this.assertEqual(w, x);
    return w;
  }

  /**
   * Declares x a public output. An internal wire is re-tagged in place; anything else (a wider
   * linear combination, an input, a wire already output) gets a fresh output wire and one
   * constraint. Outputs keep the order of these calls.
   */
  output(x: Signal, name = "out"): Signal {
    const w = x.singleWire();
    if (w !== undefined && this.kinds[w] === "internal") {
      this.kinds[w] = "output";
      if (this.names[w] === undefined) this.names[w] = name;
      this.outputOrder.push(w);
      return x;
    }
    const id = this.allocate("output", this.value(x), name);
    this.outputOrder.push(id);
    const out = LinComb.wire(id);
    this.assertEqual(out, x);
    return out;
  }

  /** Public outputs for a vector, named `name[i]`. */
  outputs(xs: readonly Signal[], name = "out"): Signal[] {
    return xs.map((x, i) => this.output(x, `${name}[${i}]`));
  }

  /** Freezes the circuit: remaps wires to snarkjs order and returns R1CS + witness. */
  build(): BuiltCircuit {
    const n = this.kinds.length;
    const order: WireId[] = [ONE_WIRE, ...this.outputOrder];
    const pubIn: WireId[] = [];
    const prvIn: WireId[] = [];
    const internals: WireId[] = [];
    for (let id = 1; id < n; id++) {
      const k = this.kinds[id];
      if (k === "publicInput") pubIn.push(id);
      else if (k === "privateInput") prvIn.push(id);
      else if (k === "internal") internals.push(id);
    }
    // a loop, not push(...list): spreading a list passes every element as an argument, which
    // overflows the call stack past ~120k wires
    for (const list of [pubIn, prvIn, internals]) for (const id of list) order.push(id);
    if (order.length !== n) internal("wire remapping lost wires");
    const finalOf = new Int32Array(n);
    order.forEach((local, fin) => (finalOf[local] = fin));

    const remap = (lc: LinComb): Terms => {
      const out: [number, bigint][] = [];
      for (const [w, c] of lc.terms) out.push([finalOf[w]!, c]);
      out.sort((x, y) => x[0] - y[0]);
      return out;
    };
    const constraints: Constraint[] = this.pending.map((p) => ({ a: remap(p.a), b: remap(p.b), c: remap(p.c) }));
    const wireNames = order.map((local) => {
      const scope = this.scopeNames[this.wireScopes[local]!]!;
      const name = this.names[local] ?? `w${local}`;
      return scope ? `${scope}/${name}` : name;
    });
    const constraintNames = this.pending.map((p) => this.scopeNames[p.scope]!);
    const witness = order.map((local) => this.values[local]!);
    const nPubOut = this.outputOrder.length;
    const r1cs: R1cs = {
      nWires: n,
      nPubOut,
      nPubIn: pubIn.length,
      nPrvIn: prvIn.length,
      constraints,
      wireNames,
      constraintNames,
    };
    return {
      r1cs,
      witness,
      publicSignals: witness.slice(1, 1 + nPubOut + pubIn.length),
      finalWire: (local: WireId) => finalOf[local]!,
    };
  }
}

/** Outcome of {@link checkWitness}. */
export type WitnessCheck =
  | { ok: true }
  | { ok: false; constraint: number; name: string; reason: string };

/**
 * Evaluates every constraint A·B = C on a witness (the TypeScript twin of snarkjs's
 * `wtns.check`). Also checks witness length, witness[0] = 1 and that values are canonical.
 */
export function checkWitness(r1cs: R1cs, witness: readonly bigint[]): WitnessCheck {
  if (witness.length !== r1cs.nWires) {
    return { ok: false, constraint: -1, name: "", reason: `witness has ${witness.length} values, circuit has ${r1cs.nWires} wires` };
  }
  if (witness[0] !== 1n) return { ok: false, constraint: -1, name: "", reason: "witness[0] must be 1" };
  for (let i = 0; i < witness.length; i++) {
    const v = witness[i]!;
    if (v < 0n || v !== fieldMod(v)) {
      return { ok: false, constraint: -1, name: r1cs.wireNames[i] ?? "", reason: `witness[${i}] is not a canonical field element` };
    }
  }
  const evalTerms = (t: Terms): bigint => {
    let acc = 0n;
    for (const [w, c] of t) acc += c * witness[w]!;
    return acc % FIELD_R;
  };
  for (let i = 0; i < r1cs.constraints.length; i++) {
    const k = r1cs.constraints[i]!;
    const lhs = (evalTerms(k.a) * evalTerms(k.b)) % FIELD_R;
    if (lhs !== evalTerms(k.c)) {
      return { ok: false, constraint: i, name: r1cs.constraintNames[i] ?? "", reason: `constraint ${i} (${r1cs.constraintNames[i] || "top level"}) is not satisfied` };
    }
  }
  return { ok: true };
}

const FIELD_R = fieldMod(-1n) + 1n;
