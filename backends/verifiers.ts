/**
 * The verifying halves of the built-in proof systems (browser-safe: the bundle verifier and the
 * exported verifier use this registry). Keep it in step with `registry.ts`.
 */
import { BackendRegistry, type BackendVerifier } from "./contract.js";
import { gkrVerifier } from "./gkr/backend.js";
import { groth16Verifier } from "./groth16/verifier.js";

export const defaultVerifiers: BackendRegistry<BackendVerifier> = new BackendRegistry<BackendVerifier>([gkrVerifier as BackendVerifier, groth16Verifier as BackendVerifier]);
