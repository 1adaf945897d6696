/**
 * The registry of proof systems zkc ships (Node: the prover halves use snarkjs keys from the file
 * cache). Order matters: it breaks cost ties and orders the estimates in the manifest. A new proof
 * system is a folder implementing `Backend` (contract.ts) plus one line here and one in
 * `verifiers.ts`; tests and applications may pass their own registry (`registry.with(...)`).
 */
import { defaultCosts, type CostConstants } from "../compiler/plan/cost.js";
import { BackendRegistry, type Backend } from "./contract.js";
import { gkrBackend } from "./gkr/backend.js";
import { groth16Backend } from "./groth16/backend.js";

export const defaultBackends: BackendRegistry<Backend> = new BackendRegistry<Backend>([gkrBackend as Backend, groth16Backend as Backend]);

/** The shipped cost constants of the built-in backends. */
export const DEFAULT_COSTS: CostConstants = defaultCosts(defaultBackends.list());
