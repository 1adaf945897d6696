/**
 * Minimal typings for the parts of ffjavascript 0.3.1 that the commitment layer uses: the bn128
 * curve's G1 multi-exponentiation over wasm (points as 64-byte affine little-endian Montgomery
 * buffers, scalars as little-endian standard-form integers of any fixed byte width), and the
 * ChaCha stream the powers-of-tau format hashes to G2 points with (backends/groth16/fastptau.ts).
 */
declare module "ffjavascript" {
  export interface WasmG1 {
    /** result is a 96-byte Jacobian Montgomery buffer */
    multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
    isZero(p: Uint8Array): boolean;
    toAffine(p: Uint8Array): Uint8Array;
    /** [x, y, z] as standard-form bigints */
    toObject(p: Uint8Array): bigint[];
  }
  export interface Bn128Curve {
    G1: WasmG1;
    terminate(): Promise<void>;
  }
  /** ChaCha20 keyed by eight 32-bit words, as snarkjs seeds it. */
  export class ChaCha {
    constructor(seed: number[]);
    nextU32(): number;
  }
  export function buildBn128(singleThread?: boolean): Promise<Bn128Curve>;
}
