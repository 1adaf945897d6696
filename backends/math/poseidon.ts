/**
 * circomlib-compatible Poseidon over BN254 Fr, outside the circuit (via @noble/curves), and the
 * tensor commitment built on it.
 *
 * Parameters: width t = nInputs + 1 (1..16 inputs), 8 full rounds, partial rounds from
 * {@link POSEIDON_PARTIAL_ROUNDS}, S-box x^5, constants from the Grain LFSR (`grainGenConstants`
 * reproduces circomlib's). State [0, in_1, ..., in_n]; the hash is state[0] after the permutation.
 */
import { grainGenConstants, poseidon as noblePoseidon } from "@noble/curves/abstract/poseidon.js";
import { bn254_Fr } from "@noble/curves/bn254.js";
import { FR_MODULUS } from "./field.js";

/** Canonical residue of any bigint (negative included). */
const fieldMod = (x: bigint): bigint => ((x % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;

/** circomlib's partial round counts for t = 2 .. 17. */
export const POSEIDON_PARTIAL_ROUNDS = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68] as const;
/** Full rounds (4 before and 4 after the partial rounds). */
export const POSEIDON_FULL_ROUNDS = 8;
/** Most inputs one Poseidon call takes (t = 17). */
export const POSEIDON_MAX_INPUTS = 16;

/** Round constants (per round, t each) and MDS matrix for one width. */
export interface PoseidonParams {
  readonly t: number;
  readonly roundsFull: number;
  readonly roundsPartial: number;
  readonly roundConstants: readonly (readonly bigint[])[];
  readonly mds: readonly (readonly bigint[])[];
}

const paramsCache = new Map<number, PoseidonParams>();
const hashCache = new Map<number, (state: bigint[]) => bigint[]>();

function checkInputs(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > POSEIDON_MAX_INPUTS) {
    throw new RangeError(`${fn}: Poseidon takes 1 to ${POSEIDON_MAX_INPUTS} inputs, got ${n}`);
  }
}

/** Constants for Poseidon with `nInputs` inputs (t = nInputs + 1); generated once and cached. */
export function poseidonParams(nInputs: number): PoseidonParams {
  checkInputs("poseidonParams", nInputs);
  const t = nInputs + 1;
  let p = paramsCache.get(t);
  if (!p) {
    const roundsPartial = POSEIDON_PARTIAL_ROUNDS[t - 2]!;
    const c = grainGenConstants({ Fp: bn254_Fr, t, roundsFull: POSEIDON_FULL_ROUNDS, roundsPartial });
    p = { t, roundsFull: POSEIDON_FULL_ROUNDS, roundsPartial, roundConstants: c.roundConstants, mds: c.mds };
    paramsCache.set(t, p);
  }
  return p;
}

/** Poseidon hash of 1..16 field elements, equal to circomlib's `Poseidon(n)` template. */
export function poseidonHash(inputs: readonly bigint[]): bigint {
  checkInputs("poseidonHash", inputs.length);
  const t = inputs.length + 1;
  let h = hashCache.get(t);
  if (!h) {
    const p = poseidonParams(inputs.length);
    h = noblePoseidon({
      Fp: bn254_Fr,
      t,
      roundsFull: p.roundsFull,
      roundsPartial: p.roundsPartial,
      sboxPower: 5,
      mds: p.mds.map((row) => [...row]),
      roundConstants: p.roundConstants.map((row) => [...row]),
    });
    hashCache.set(t, h);
  }
  return h([0n, ...inputs.map(fieldMod)])[0]!;
}

/** Elements absorbed per Poseidon call by the tensor commitment (the 16th input is the chain value). */
export const COMMIT_CHUNK = POSEIDON_MAX_INPUTS - 1;

/**
 * Commitment to a whole tensor (flattened row-major) as a Poseidon chain:
 *   acc_0 = n (the element count), then for each chunk j of 15 elements (the last one padded
 *   with zeros; an empty tensor has one all-zero chunk): acc_{j+1} = Poseidon(acc_j, e_{15j}, ..., e_{15j+14}),
 *   commitment = acc_last.
 * The count in acc_0 keeps zero padding from colliding with real trailing zeros.
 */
export function poseidonCommitTensor(values: readonly bigint[]): bigint {
  let acc = BigInt(values.length);
  const chunks = Math.max(1, Math.ceil(values.length / COMMIT_CHUNK));
  for (let j = 0; j < chunks; j++) {
    const chunk: bigint[] = [acc];
    for (let i = 0; i < COMMIT_CHUNK; i++) chunk.push(fieldMod(values[j * COMMIT_CHUNK + i] ?? 0n));
    acc = poseidonHash(chunk);
  }
  return acc;
}
