/**
 * Polynomial commitments for zkc (BN254 G1): the Hyrax-style multilinear commitment, its curve
 * layer (point encoding, MSM engines) and the hash-derived generators. See docs/commitments.md.
 */
export * from "./curve.js";
export * from "./generators.js";
export * from "./hyrax.js";
