/**
 * The Groth16 backend's cost model: constraints (exact once the circuit is built, else the
 * per-primitive estimate below) times `groth16Ns`, plus `groth16ProveMs` fixed (circuit build,
 * witness, key read and snarkjs start-up); memory `groth16BaseBytes` + `groth16BytesPerConstraint`
 * per constraint.
 */
import type { KernelSpec } from "../../compiler/plan/backend.js";
import { costConstant, rangeCheckBits, type CostConstants, type CostEstimate } from "../../compiler/plan/cost.js";
import { numVarsOfShape } from "../math/layout.js";

/**
 * Shipped defaults, from the measured toolchain facts at scale (2^16 constraints prove in 8.5 s
 * with 643 MB peak RSS, 2^10 in 0.33 s with 243 MB): small chains give a higher per-constraint
 * slope (~260–300 µs) because fixed FFT and MSM set-up dominates there. A small Groth16 kernel
 * takes 1.5–1.9 s in `prove()`'s per-kernel stats, hence groth16ProveMs 1200.
 */
export const GROTH16_COST_DEFAULTS = { groth16Ns: 130_000, groth16ProveMs: 1200, groth16BaseBytes: 240e6, groth16BytesPerConstraint: 6200 } as const;

/** Poseidon constraints per committed element (693 per 15-element chunk) */
const POSEIDON_PER_ELEMENT = 47;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const bits = (x: number): number => Math.max(1, Math.ceil(Math.log2(x + 1)));

/**
 * Estimated constraints of a kernel's circuit: its primitives, plus (for linked kernels) the
 * Poseidon commitments and MLE evaluations of its boundary tensors.
 */
export function groth16Constraints(kernel: Pick<KernelSpec, "kind" | "prims" | "tensors" | "inputs" | "outputs">): number {
  const info = (t: string) => kernel.tensors.get(t)!;
  const size = (t: string) => sizeOf(info(t).shape);
  let constraints = 0;
  for (const p of kernel.prims) {
    switch (p.op) {
      case "matmul": {
        // a product with a constant operand is linear (free in R1CS); two private operands pay per term
        if (info(p.b).kind !== "param" && info(p.a).kind !== "param") constraints += p.batch * p.m * p.k * p.n;
        break;
      }
      case "mul":
        constraints += size(p.out);
        break;
      case "rescale":
      case "clamp":
      case "max":
      case "divide":
      case "lookup": {
        const b = rangeCheckBits(p, (t) => info(t).maxAbs);
        constraints += size(p.out) * (p.op === "lookup" ? 8 : p.op === "rescale" ? p.shift + b : 2 * b + 2);
        break;
      }
      case "argmax":
        constraints += p.outer * p.inner * p.reduce * (bits(info(p.in).maxAbs) + 1 + 4);
        break;
      default:
        break; // add, sub, scale, gather, reduceSum: linear, no constraints
    }
  }
  if (kernel.kind === "whole-model") return constraints; // public I/O: no commitments, no claims
  const boundary = [...kernel.inputs, ...kernel.outputs];
  constraints += boundary.reduce((s, t) => s + size(t), 0) * POSEIDON_PER_ELEMENT + boundary.reduce((s, t) => s + 2 ** numVarsOfShape(info(t).shape), 0);
  return constraints;
}

/** Groth16 estimate for a circuit of `constraints` constraints with `nPublic` public signals. */
export function groth16EstimateOf(constraints: number, nPublic: number, c: CostConstants): CostEstimate {
  const k = (name: keyof typeof GROTH16_COST_DEFAULTS) => costConstant(c, GROTH16_COST_DEFAULTS, name);
  return {
    proveSeconds: constraints * k("groth16Ns") * 1e-9 + k("groth16ProveMs") * 1e-3,
    memoryBytes: k("groth16BaseBytes") + constraints * k("groth16BytesPerConstraint"),
    // three curve points as snarkjs JSON (~700 bytes) plus the decimal public signals
    proofBytes: 700 + 78 * nPublic,
  };
}
