/**
 * Linked kernel circuits (DESIGN §4.3): a run of primitives inside a bigger plan, with the public
 * statement of backends/groth16/statement.ts: Poseidon commitments of the input and output
 * tensors (computed inside), then an MLE claim (point, value) per output and per input, checked
 * inside in the GKR tensor layout of backends/math/mle.ts.
 *
 * Wiring: commitments are snarkjs outputs (they come first among the public signals); points and
 * values are public inputs allocated in statement order. Each value is a public input wire equal
 * (one constraint) to the in-circuit MLE evaluation. Inputs are private wires; those of kind
 * "input" (model inputs: user data) are range-checked to ±maxAbs, the others are the values of
 * their producers (bound by the claim chain), which satisfy their static bounds.
 */
import { ZkcError } from "../../../compiler/errors.js";
import {
  groth16SignalCount,
  kernelBinding,
  mleVarsOfShape,
  type CompileGroth16Kernel,
  type Groth16KernelAssignment,
  type Groth16KernelCircuit,
  type Groth16KernelSpec,
} from "../statement.js";
import { primInputs, type QProgram, type QTensor } from "../../../compiler/quant/prim.js";
import { paddedPositions } from "../../math/layout.js";
import { FIELD_MODULUS } from "../field.js";
import { rangeCheck } from "../gadgets/bits.js";
import { mleEvaluate } from "../gadgets/mle.js";
import { commitTensor } from "../gadgets/poseidon.js";
import { LinComb, R1csBuilder, type BuiltCircuit, type Signal } from "../r1cs.js";
import { checkCodegenCircuit, finalAssumptions, type CodegenCheckReport } from "./check.js";
import { bitLength, compilePrims, compileState, type PrimCost } from "./compile.js";

/** MLE of a tensor (GKR layout: per-axis padding, variable 0 = most significant) at a point, in circuit. */
export function tensorMleInCircuit(b: R1csBuilder, values: readonly Signal[], shape: readonly number[], point: readonly Signal[]): Signal {
  const nVars = mleVarsOfShape(shape);
  if (point.length !== nVars) throw new RangeError(`tensorMleInCircuit: shape [${shape.join(", ")}] needs ${nVars} coordinates, got ${point.length}`);
  const positions = paddedPositions(shape);
  const padded: Signal[] = new Array(2 ** nVars).fill(LinComb.constant(0n));
  positions.forEach((pos, i) => (padded[pos] = values[i]!));
  // the gadget reads point[j] as index bit j (least significant first): reverse the GKR order
  return mleEvaluate(b, padded, [...point].reverse());
}

/** A kernel circuit plus what tests and reports need. */
export interface CompiledKernel extends Groth16KernelCircuit {
  /** constraints per primitive (commitments and claims excluded) */
  readonly perPrim: PrimCost[];
  /** the under-constraint check of the setup build, with the divide assumptions */
  check(): CodegenCheckReport;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, c) => a * c, 1);
}

/** Emits a kernel's circuit: inputs, primitives, commitments, claims (in the statement's order). */
function emitKernel(spec: Groth16KernelSpec, b: R1csBuilder, a: Groth16KernelAssignment | undefined) {
  const where = `kernel ${spec.name}`;
  const info = (name: string) => {
    const t = spec.tensors.get(name);
    if (!t) throw new ZkcError("INTERNAL", `tensor "${name}" is not in the kernel's tensor map`, { node: where });
    return t;
  };
  const st = compileState(b, spec.tensors, where);
  const inputSignals: Signal[][] = [];
  for (const name of spec.inputs) {
    const t = info(name);
    const n = sizeOf(t.shape);
    const vals = a?.values.get(name);
    if (a) {
      if (!vals || vals.length !== n) {
        throw new ZkcError("INPUT", `kernel ${spec.name}: input "${name}" needs ${n} values`, { node: where, expected: String(n), got: vals ? String(vals.length) : "none" });
      }
      for (let i = 0; i < n; i++) {
        const x = vals[i]!;
        if (!Number.isSafeInteger(x) || Math.abs(x) > t.maxAbs) {
          throw new ZkcError("INPUT", `kernel ${spec.name}: input "${name}" holds ${x} at position ${i}`, { node: where, expected: `integers in [-${t.maxAbs}, ${t.maxAbs}]`, got: String(x) });
        }
      }
    }
    const signals = b.scoped(`in/${name}`, () => b.privateInputs(Array.from({ length: n }, (_, i) => BigInt(vals ? vals[i]! : 0)), name));
    if (t.kind === "input") {
      // user data: nothing upstream proves its bound
      const w = bitLength(t.maxAbs) + 1;
      b.scoped(`in/${name}/range`, () => signals.forEach((s) => rangeCheck(b, s, w, true)));
    }
    st.env.set(name, { signals, lo: -t.maxAbs, hi: t.maxAbs });
    inputSignals.push(signals);
  }
  compilePrims(st, spec.prims, spec.origins);
  const outputSignals = spec.outputs.map((name) => {
    const t = st.env.get(name);
    if (!t) throw new ZkcError("INTERNAL", `kernel output "${name}" is not produced by its primitives`, { node: where });
    return t.signals;
  });
  // public outputs: commitments, inputs' first
  b.scoped("commit", () => {
    inputSignals.forEach((s, j) => b.output(commitTensor(b, s), `inCommit[${j}]`));
    outputSignals.forEach((s, k) => b.output(commitTensor(b, s), `outCommit[${k}]`));
  });
  // public inputs: points and values, outputs' claims first
  const claim = (tag: string, values: Signal[], shape: readonly number[], point: readonly bigint[] | undefined) => {
    const nVars = mleVarsOfShape(shape);
    if (point && point.length !== nVars) {
      throw new ZkcError("INPUT", `kernel ${spec.name}: ${tag} point has ${point.length} coordinates`, { node: where, expected: String(nVars), got: String(point.length) });
    }
    if (point?.some((c) => c < 0n || c >= FIELD_MODULUS)) {
      throw new ZkcError("INPUT", `kernel ${spec.name}: ${tag} point has a coordinate outside the field`, { node: where });
    }
    const pt = b.scoped(tag, () => b.publicInputs(point ? [...point] : new Array<bigint>(nVars).fill(0n), "point"));
    const mle = b.scoped(tag, () => tensorMleInCircuit(b, values, shape, pt));
    const value = b.scoped(tag, () => b.publicInput(b.value(mle), "value"));
    b.scoped(tag, () => b.assertEqual(value, mle));
  };
  spec.outputs.forEach((name, k) => claim(`outClaim[${k}]`, outputSignals[k]!, info(name).shape, a?.outputPoints[k]));
  spec.inputs.forEach((name, j) => claim(`inClaim[${j}]`, inputSignals[j]!, info(name).shape, a?.inputPoints[j]));
  // last public input: the kernel's binding, fixed in the circuit (statement.ts)
  const binding = kernelBinding(spec);
  b.scoped("binding", () => b.assertEqual(b.publicInput(binding, "binding"), b.constant(binding)));
  return st;
}

/**
 * Constraint and wire counts of a kernel without freezing the circuit (kernels too large for
 * `R1csBuilder.build()`, see docs/groth16.md).
 */
export function countGroth16Kernel(spec: Groth16KernelSpec): { constraints: number; wires: number; perPrim: PrimCost[] } {
  const b = new R1csBuilder({ strict: false });
  const st = emitKernel(spec, b, undefined);
  return { constraints: b.nConstraints, wires: b.nWires, perPrim: st.costs };
}

/**
 * Compiles a Groth16 kernel (the entry point named in backends/groth16/statement.ts).
 * @throws ZkcError UNSUPPORTED_OP for a primitive without an encoding
 */
export function compileGroth16Kernel(spec: Groth16KernelSpec): CompiledKernel {
  const where = `kernel ${spec.name}`;
  const emit = (b: R1csBuilder, a: Groth16KernelAssignment | undefined) => emitKernel(spec, b, a);
  const b0 = new R1csBuilder({ strict: false });
  const st0 = emit(b0, undefined);
  const built0 = b0.build();
  const nPublic = groth16SignalCount(spec);
  if (built0.publicSignals.length !== nPublic) {
    throw new ZkcError("INTERNAL", `kernel ${spec.name}: ${built0.publicSignals.length} public signals, the statement has ${nPublic}`, { node: where });
  }
  const assumed = finalAssumptions(st0.assumptions, built0);
  return {
    spec,
    nPublic,
    nConstraints: built0.r1cs.constraints.length,
    perPrim: st0.costs,
    check: () => checkCodegenCircuit(built0.r1cs, assumed),
    build(assignment?: Groth16KernelAssignment): BuiltCircuit {
      if (!assignment) return built0;
      if (assignment.inputPoints.length !== spec.inputs.length || assignment.outputPoints.length !== spec.outputs.length) {
        throw new ZkcError("INPUT", `kernel ${spec.name}: expected ${spec.inputs.length} input points and ${spec.outputs.length} output points`, {
          node: where,
          got: `${assignment.inputPoints.length} and ${assignment.outputPoints.length}`,
        });
      }
      const b = new R1csBuilder();
      emit(b, assignment);
      return b.build();
    },
  };
}

/** The entry point has the signature the plan's contract names (checked at compile time). */
export const compileGroth16KernelEntry: CompileGroth16Kernel = compileGroth16Kernel;

/**
 * The kernel spec of the primitives `program.prims[start..end)`: inputs are the non-param tensors
 * they read but do not produce (in first-use order), outputs the tensors they produce that later
 * primitives read or that are program outputs (in production order). For benchmarks, tests and
 * planners that cut a program into consecutive runs.
 */
export function kernelSpecOfRange(program: QProgram, start: number, end: number, name = `prims ${start}..${end}`): Groth16KernelSpec {
  const prims = program.prims.slice(start, end);
  const produced = new Set(prims.map((p) => p.out));
  const inputs: string[] = [];
  const tensors = new Map<string, QTensor>();
  const touch = (n: string) => {
    const t = program.tensors.get(n);
    if (!t) throw new ZkcError("INTERNAL", `tensor "${n}" is not in the program`, { node: name });
    tensors.set(n, t);
    return t;
  };
  for (const p of prims) {
    for (const n of primInputs(p)) {
      const t = touch(n);
      if (!produced.has(n) && t.kind !== "param" && !inputs.includes(n)) inputs.push(n);
    }
    touch(p.out);
  }
  const readLater = new Set(program.prims.slice(end).flatMap(primInputs));
  const outputs = prims.map((p) => p.out).filter((n) => readLater.has(n) || program.outputs.includes(n));
  return { name, prims, tensors, inputs, outputs };
}
