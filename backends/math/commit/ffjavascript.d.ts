/**
 * Minimal typings for the parts of ffjavascript 0.3.1 that the commitment layer uses: the bn128
 * curve's G1 multi-exponentiation over wasm (points as 64-byte affine little-endian Montgomery
 * buffers, scalars as little-endian standard-form integers of any fixed byte width).
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
  export function buildBn128(singleThread?: boolean): Promise<Bn128Curve>;
}
