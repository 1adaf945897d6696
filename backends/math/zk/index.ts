/**
 * The zero-knowledge layer: hiding Pedersen commitments, Σ-protocols on them, the hiding Hyrax
 * evaluation proof and the Hyrax-style zero-knowledge sumcheck. Verifiers return group equations
 * (`MsmCheck`); check them together with `verifyMsmChecks` (commit/hyrax.ts). See
 * docs/zero-knowledge.md.
 */
export * from "./pedersen.js";
export * from "./sigma.js";
export * from "./dot-log.js";
export * from "./hyrax.js";
export * from "./sumcheck.js";
export { verifyMsmChecks, type MsmCheck } from "../commit/hyrax.js";
