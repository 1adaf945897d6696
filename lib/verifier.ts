/**
 * `zkc/verifier`: the browser-safe entry. Only the proof verifier and the parsers it uses: nothing
 * here, nor in what it imports, needs Node (test/link/browser-safety.test.ts walks the graph of
 * runtime/verify.ts; test/package checks this file adds nothing else). This file only re-exports,
 * so the modules behind it can move without changing the package's public surface.
 */
export { verify, type VerifiedOutput, type VerifyResult, type VerifyOptions, type VerifyTimings } from "../runtime/verify.js";
export { defaultVerifiers } from "../backends/verifiers.js";
export { parseManifest, type Manifest } from "../runtime/manifest.js";
export { parseProof, type ParsedProof, type ProofBundle } from "../runtime/proof.js";
export { parseProofBinary, parseAnyProof, isBinaryProof } from "../runtime/proof-binary.js";
export { ZkcError, type ZkcErrorCode } from "../compiler/errors.js";
