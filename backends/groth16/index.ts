/**
 * Groth16 backend: R1CS builder and gadgets, snarkjs file formats, under-constraint checker,
 * key management and prove/verify through snarkjs. See docs/groth16.md.
 */
export * from "./field.js";
export * from "./r1cs.js";
export * from "./formats.js";
export * from "./underconstraint.js";
export * from "../math/poseidon.js";
export * from "./keys.js";
export * from "./fastptau.js";
export * from "./prove.js";
export * from "./gadgets/arith.js";
export * from "./gadgets/bits.js";
export * from "./gadgets/compare.js";
export * from "./gadgets/lookup.js";
export * from "./gadgets/mle.js";
export * from "./gadgets/poseidon.js";
