/**
 * Constants of the BN254 scalar field Fr (snarkjs's bn128 Fr, EIP-196/197's group order r) and of
 * its Montgomery representation with R = 2^256 over 8 little-endian 32-bit limbs.
 * Shared by the pure-TS kernels, the emitted wasm kernels and `field.ts`.
 */

/** r, the BN254 group order: every zkc value lives in Z/rZ. */
export const FR_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** Limbs per element (32 bits each, little-endian). */
export const LIMBS = 8;

/** Montgomery radix R = 2^256. */
export const MONT_R = 1n << 256n;
/** R mod r: the Montgomery form of 1. */
export const R_MOD = MONT_R % FR_MODULUS;
/** R^2 mod r: multiplying by it (Montgomery) converts a standard value to Montgomery form. */
export const R2_MOD = (MONT_R * MONT_R) % FR_MODULUS;
/** R^-1 mod r: converts Montgomery form back to standard form in bigint code. */
export const R_INV = modInverse(MONT_R % FR_MODULUS, FR_MODULUS);

/** The modulus as 8 little-endian 32-bit limbs. */
export const MODULUS_LIMBS: readonly number[] = toLimbs(FR_MODULUS);

/** -r^-1 mod 2^32, the per-word Montgomery reduction factor. */
export const N_INV_32 = Number((1n << 32n) - modInverse(FR_MODULUS % (1n << 32n), 1n << 32n));

/** x as 8 little-endian 32-bit limbs (x < 2^256). */
export function toLimbs(x: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < LIMBS; i++) out.push(Number((x >> BigInt(32 * i)) & 0xffffffffn));
  return out;
}

/** Modular inverse by the extended Euclidean algorithm; 0 has none (returns 0). */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) return 0n;
  return ((oldS % m) + m) % m;
}
