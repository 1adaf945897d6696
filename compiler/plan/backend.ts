/**
 * What the planner needs from a proof system, and the kernel as plain data.
 *
 * The compiler plans through this interface only: it never imports a backend. The backends
 * (`backends/contract.ts` extends this with build, prove and verify) reach the planner as a list,
 * in the registry's order, which is also the order of ties and of the estimates in the manifest.
 */
import type { Prim, PrimOrigin, QTensor } from "../quant/prim.js";
import type { CostConstants, CostEstimate } from "./cost.js";

/**
 * Kinds of kernel: "prims" = primitives [from, to) of the program; "hash-input" / "hash-output" =
 * a commit kernel binding a hashed model input/output to its published Poseidon hash (no
 * primitives, `inputs` = [the tensor]); "whole-model" = the entire program as one kernel whose
 * statement is the public inputs and outputs themselves (the only kernel of its plan).
 */
export type KernelKind = "prims" | "hash-input" | "hash-output" | "whole-model";

/** A kernel as the planner and the backends see it: plain data, no backend state. */
export interface KernelSpec {
  /** stable name ("k0", "hash-in:x", ...): absorbed into the transcript, used in errors */
  name: string;
  kind: KernelKind;
  /** primitive range [from, to) of the program (from = to for a commit kernel) */
  from: number;
  to: number;
  /** the primitives [from, to), in execution order */
  prims: readonly Prim[];
  /** per primitive, the ONNX node it was lowered from, when the program records it (errors name it) */
  origins?: readonly PrimOrigin[];
  /** every tensor the kernel touches (inputs, params, outputs, intermediates); params carry values */
  tensors: ReadonlyMap<string, QTensor>;
  /** tensors read from outside the kernel that are not params, in first-use order */
  inputs: readonly string[];
  /** params (public weights) the kernel reads */
  params: readonly string[];
  /** tensors produced here and needed after the kernel, in production order */
  outputs: readonly string[];
}

/** Whether a backend can prove a kernel; the reason is a sentence for the plan table. */
export type Support = { ok: true } | { ok: false; reason: string };

/** The planning side of a proof system. */
export interface PlannerBackend {
  /** registry key, manifest value and `--backend` choice ("gkr", "groth16", ...) */
  readonly name: string;
  /** one line for `--backend` help */
  readonly summary: string;
  /**
   * "claims": the backend takes claims on its outputs and leaves claims on its inputs (GKR);
   * "committed": every tensor crossing its kernels must be committed in the bundle statement
   * before the first challenge (a circuit that hashes its boundary, as Groth16 kernels do).
   */
  readonly boundary: "claims" | "committed";
  /**
   * True when forcing this backend (`--backend NAME`) means proving the whole program as one
   * kernel of kind "whole-model" instead of a partitioned plan.
   */
  readonly wholeModel: boolean;
  /** this backend's machine constants in the cost model, with their shipped defaults */
  readonly costDefaults: Readonly<Record<string, number>>;
  supports(kernel: KernelSpec): Support;
  /** estimated prover time, memory and proof size (`costs` holds every backend's constants) */
  estimate(kernel: KernelSpec, costs: CostConstants): CostEstimate;
}
