/**
 * Whole-model mode: a whole `QProgram` as one Groth16 circuit (the monolithic baseline, and an
 * option for tiny models). Statement: public inputs = the quantised graph inputs, public outputs =
 * the integer graph outputs; weights are circuit constants (bound by the verification key).
 *
 * Public signals (snarkjs order): every output tensor flattened row-major, in `program.outputs`
 * order, then every input tensor likewise in `program.inputs` order; see {@link PublicLayout}.
 *
 * Input bounds: the circuit's widths assume |input| <= maxAbs (what `quantiseInput` produces).
 * The inputs are public, so {@link verifyWholeModel} checks that bound itself; with
 * `rangeCheckInputs` the circuit checks it instead (costs bits + 1 constraints per input element).
 */
import { ZkcError } from "../../../compiler/errors.js";
import type { QProgram } from "../../../compiler/quant/prim.js";
import { FIELD_MODULUS, fieldMod, toSigned } from "../field.js";
import { sha256Hex, writeR1cs, writeWtns } from "../formats.js";
import { rangeCheck } from "../gadgets/bits.js";
import { setupGroth16, type Groth16Keys, type KeyOptions } from "../keys.js";
import { proveGroth16, verifyGroth16, type Groth16Proof, type VerifyResult } from "../prove.js";
import { LinComb, R1csBuilder, type BuiltCircuit, type R1cs } from "../r1cs.js";
import { bitLength, compilePrims, compileState, type PrimCost } from "./compile.js";
import { checkCodegenCircuit, finalAssumptions, type CodegenCheckReport, type FinalAssumption } from "./check.js";

/** One tensor's place among the public signals. */
export interface PublicTensor {
  name: string;
  shape: number[];
  /** fixed-point scale: value = integer / 2^scale */
  scale: number;
  /** index of its first element in `publicSignals` */
  offset: number;
  length: number;
  /** inputs: the bound the verifier checks (|v| <= maxAbs) */
  maxAbs: number;
}

/** Where every tensor sits in the public signals: outputs first, then inputs, then the binding (if any). */
export interface PublicLayout {
  outputs: PublicTensor[];
  inputs: PublicTensor[];
  /** total number of public signals */
  count: number;
  /** index of the binding signal, when the circuit has one */
  binding?: number;
}

/** Sizes of a generated circuit. */
export interface CircuitStats {
  constraints: number;
  wires: number;
  /** nonzero coefficients over A, B and C (snarkjs's setup cost follows these) */
  nonzeros: number;
  publicSignals: number;
  /** constraints per primitive, in program order */
  perPrim: PrimCost[];
}

/** Options for {@link buildWholeModelCircuit}. */
export interface WholeModelOptions {
  /** range-check every input element inside the circuit (default false: the verifier checks the bound) */
  rangeCheckInputs?: boolean;
  /**
   * a value the circuit fixes as its last public signal (the backend's `kernelBinding` of the
   * program), so the verification key is only usable for this program and these weights
   */
  binding?: bigint;
}

/** A witness for one input. */
export interface WholeModelWitness {
  /** full witness in snarkjs wire order */
  witness: bigint[];
  /** `.wtns` bytes */
  wtns: Uint8Array;
  publicSignals: bigint[];
  /** integer outputs read from the witness, by tensor name */
  outputs: Map<string, Float64Array>;
}

/** The compiled whole-model circuit. */
export interface WholeModelCircuit {
  readonly r1cs: R1cs;
  /** `.r1cs` bytes (snarkjs format) */
  readonly r1csBytes: Uint8Array;
  /** sha256 of `r1csBytes` */
  readonly digest: string;
  readonly layout: PublicLayout;
  readonly stats: CircuitStats;
  /** divide quotients the under-constraint check takes as determined once their structure is verified */
  readonly assumptions: FinalAssumption[];
  /**
   * The witness for quantised inputs (integers, e.g. from `quantiseInput`).
   * @throws ZkcError INPUT for a missing input, a wrong length, a non-integer or a value beyond its bound
   */
  witness(inputs: ReadonlyMap<string, ArrayLike<number>>): WholeModelWitness;
  /** the under-constraint check of this circuit (with the divide assumptions) */
  check(): CodegenCheckReport;
}

function countNonzeros(r1cs: R1cs): number {
  let n = 0;
  for (const k of r1cs.constraints) n += k.a.length + k.b.length + k.c.length;
  return n;
}

/**
 * Constraint and wire counts of the whole-model circuit without freezing it (no `build()`, no
 * nonzero count): for models too large to prove here, as the benchmark reports them.
 */
export function countWholeModel(program: QProgram, options: WholeModelOptions = {}): Pick<CircuitStats, "constraints" | "wires" | "publicSignals" | "perPrim"> {
  const b = new R1csBuilder({ strict: false });
  let publicSignals = 0;
  const st = compileState(b, program.tensors, "whole model");
  for (const name of program.inputs) {
    const t = program.tensors.get(name)!;
    const n = t.shape.reduce((a, c) => a * c, 1);
    const signals = b.publicInputs(new Array<bigint>(n).fill(0n), name);
    if (options.rangeCheckInputs) signals.forEach((s) => rangeCheck(b, s, bitLength(t.maxAbs) + 1, true));
    st.env.set(name, { signals, lo: -t.maxAbs, hi: t.maxAbs });
    publicSignals += n;
  }
  compilePrims(st, program.prims, program.origins);
  for (const name of program.outputs) {
    const t = st.env.get(name)!;
    b.outputs(t.signals, name);
    publicSignals += t.signals.length;
  }
  // the binding: one public signal, one constraint
  if (options.binding !== undefined) return { constraints: b.nConstraints + 1, wires: b.nWires + 1, publicSignals: publicSignals + 1, perPrim: st.costs };
  return { constraints: b.nConstraints, wires: b.nWires, publicSignals, perPrim: st.costs };
}

/**
 * Compiles a whole integer program into one circuit.
 * @throws ZkcError UNSUPPORTED_OP for a primitive without an encoding, QUANTISATION for bounds
 * beyond the exact range
 */
export function buildWholeModelCircuit(program: QProgram, options: WholeModelOptions = {}): WholeModelCircuit {
  // `unused`: positions (among all input elements) that no constraint reads; each gets x·0 = 0
  const emit = (b: R1csBuilder, values: ReadonlyMap<string, ArrayLike<number>> | undefined, unused: ReadonlySet<number>) => {
    const st = compileState(b, program.tensors, "whole model");
    let position = 0;
    for (const name of program.inputs) {
      const t = program.tensors.get(name)!;
      const n = t.shape.reduce((a, c) => a * c, 1);
      const vals = values?.get(name);
      const signals = b.scoped(name, () => b.publicInputs(Array.from({ length: n }, (_, i) => BigInt(vals ? vals[i]! : 0)), name));
      if (options.rangeCheckInputs) {
        const w = bitLength(t.maxAbs) + 1;
        b.scoped(`${name}/range`, () => signals.forEach((s) => rangeCheck(b, s, w, true)));
      }
      st.env.set(name, { signals, lo: -t.maxAbs, hi: t.maxAbs });
      for (const s of signals) {
        // snarkjs binds every public signal anyway; this keeps the checker's "untouched wire" rule exact
        if (unused.has(position++)) b.scoped(`${name}/unused`, () => b.constrain(s, LinComb.constant(0n), LinComb.constant(0n)));
      }
    }
    if (options.binding !== undefined) {
      const binding = options.binding;
      b.scoped("binding", () => b.assertEqual(b.publicInput(binding, "binding"), b.constant(binding)));
    }
    compilePrims(st, program.prims, program.origins);
    program.outputs.forEach((name) => {
      const t = st.env.get(name)!;
      b.scoped(`output/${name}`, () => b.outputs(t.signals, name));
    });
    return st;
  };

  const setup = (unused: ReadonlySet<number>) => {
    const b = new R1csBuilder({ strict: false });
    const st = emit(b, undefined, unused);
    return { st, built: b.build() };
  };
  let { st: st0, built: built0 } = setup(new Set());
  const unused = unusedPublicInputs(built0);
  if (unused.size > 0) ({ st: st0, built: built0 } = setup(unused));
  const r1csBytes = writeR1cs(built0.r1cs);
  const digest = sha256Hex(r1csBytes);

  let offset = 0;
  const layoutOf = (name: string): PublicTensor => {
    const t = program.tensors.get(name)!;
    const length = t.shape.reduce((a, c) => a * c, 1);
    const entry = { name, shape: [...t.shape], scale: t.scale, offset, length, maxAbs: t.maxAbs };
    offset += length;
    return entry;
  };
  const outputs = program.outputs.map(layoutOf);
  const inputs = program.inputs.map(layoutOf);
  const layout: PublicLayout = options.binding !== undefined ? { outputs, inputs, count: offset + 1, binding: offset } : { outputs, inputs, count: offset };
  const assumptions = finalAssumptions(st0.assumptions, built0);

  return {
    r1cs: built0.r1cs,
    r1csBytes,
    digest,
    layout,
    assumptions,
    stats: {
      constraints: built0.r1cs.constraints.length,
      wires: built0.r1cs.nWires,
      nonzeros: countNonzeros(built0.r1cs),
      publicSignals: layout.count,
      perPrim: st0.costs,
    },
    check: () => checkCodegenCircuit(built0.r1cs, assumptions),
    witness(values) {
      for (const name of program.inputs) {
        const t = program.tensors.get(name)!;
        const v = values.get(name);
        const n = t.shape.reduce((a, c) => a * c, 1);
        if (!v) throw new ZkcError("INPUT", `missing value for input "${name}"`, { hint: `inputs: ${program.inputs.join(", ")}` });
        if (v.length !== n) throw new ZkcError("INPUT", `input "${name}" has ${v.length} values`, { expected: `${n} (shape [${t.shape.join(", ")}])`, got: String(v.length) });
        for (let i = 0; i < n; i++) {
          const x = v[i]!;
          if (!Number.isSafeInteger(x) || Math.abs(x) > t.maxAbs) {
            throw new ZkcError("INPUT", `input "${name}" holds ${x} at position ${i}`, {
              expected: `integers in [-${t.maxAbs}, ${t.maxAbs}]`,
              got: String(x),
              hint: "quantise the input with quantiseInput (runtime/witness.ts), which clamps to the calibrated bound",
            });
          }
        }
      }
      const b = new R1csBuilder();
      emit(b, values, unused);
      const built = b.build();
      if (sha256Hex(writeR1cs(built.r1cs)) !== digest) {
        throw new ZkcError("INTERNAL", "the circuit built with real inputs differs from the one built for setup", { hint: "this is a bug in the Groth16 code generator (structure must not depend on values); please report it" });
      }
      const outs = new Map<string, Float64Array>();
      for (const o of outputs) outs.set(o.name, Float64Array.from(built.publicSignals.slice(o.offset, o.offset + o.length), (x) => Number(toSigned(x))));
      return { witness: built.witness, wtns: writeWtns(built.witness), publicSignals: built.publicSignals, outputs: outs };
    },
  };
}

/** Positions (0-based over all public input elements) of public inputs no constraint reads. */
function unusedPublicInputs(built: BuiltCircuit): Set<number> {
  const { r1cs } = built;
  const touched = new Uint8Array(r1cs.nWires);
  for (const k of r1cs.constraints) for (const t of [k.a, k.b, k.c]) for (const [w] of t) touched[w] = 1;
  const out = new Set<number>();
  for (let i = 0; i < r1cs.nPubIn; i++) if (!touched[1 + r1cs.nPubOut + i]) out.add(i);
  return out;
}

/** Quantised input values as they appear among the public signals, checked against their bounds. */
export function checkPublicInputs(layout: PublicLayout, publicSignals: readonly (string | bigint)[]): VerifyResult {
  if (publicSignals.length !== layout.count) return { ok: false, reason: `expected ${layout.count} public signals, got ${publicSignals.length}` };
  for (const t of layout.inputs) {
    for (let i = 0; i < t.length; i++) {
      const raw = publicSignals[t.offset + i]!;
      let v: bigint;
      try {
        v = typeof raw === "bigint" ? raw : BigInt(raw);
      } catch {
        return { ok: false, reason: `public signal ${t.offset + i} is not an integer` };
      }
      if (v < 0n || v >= FIELD_MODULUS) return { ok: false, reason: `public signal ${t.offset + i} is not a canonical field element` };
      const s = toSigned(v);
      if (s > BigInt(t.maxAbs) || s < -BigInt(t.maxAbs)) {
        return { ok: false, reason: `input "${t.name}"[${i}] = ${s} is outside its bound ±${t.maxAbs}` };
      }
    }
  }
  return { ok: true };
}

/** Groth16 setup for a whole-model circuit (cached development ptau and zkey unless options say otherwise). */
export async function setupWholeModel(circuit: WholeModelCircuit, options: KeyOptions = {}): Promise<Groth16Keys> {
  return setupGroth16(circuit.r1cs, options);
}

/** A whole-model proof with its public signals and the integer outputs. */
export interface WholeModelProof {
  proof: Groth16Proof;
  publicSignals: string[];
  outputs: Map<string, Float64Array>;
}

/** Proves one inference: witness, then snarkjs. */
export async function proveWholeModel(circuit: WholeModelCircuit, keys: Pick<Groth16Keys, "zkey" | "r1csDigest">, inputs: ReadonlyMap<string, ArrayLike<number>>): Promise<WholeModelProof> {
  const w = circuit.witness(inputs);
  const { proof, publicSignals } = await proveGroth16(circuit.r1cs, w.witness, keys);
  return { proof, publicSignals, outputs: w.outputs };
}

/** Verifies a whole-model proof: the input bounds (public) and the Groth16 proof. Never throws. */
export async function verifyWholeModel(layout: PublicLayout, vkey: unknown, publicSignals: unknown, proof: unknown): Promise<VerifyResult> {
  if (!Array.isArray(publicSignals)) return { ok: false, reason: "public signals must be an array" };
  const bounds = checkPublicInputs(layout, publicSignals as (string | bigint)[]);
  if (!bounds.ok) return bounds;
  return verifyGroth16(vkey, publicSignals, proof);
}

/** Integer outputs from public signals (signed), by tensor name. */
export function outputsFromSignals(layout: PublicLayout, publicSignals: readonly (string | bigint)[]): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const t of layout.outputs) {
    out.set(t.name, Float64Array.from(publicSignals.slice(t.offset, t.offset + t.length), (s) => Number(toSigned(fieldMod(BigInt(s))))));
  }
  return out;
}
