/**
 * Poseidon inside the circuit, matching {@link poseidonHash} and circomlib's `Poseidon(n)`.
 *
 * Each round: add round constants (free), S-box x^5 as x2 = x·x, x4 = x2·x2, x5 = x4·x
 * (3 constraints), on every element in full rounds and on state[0] in partial rounds, then the
 * MDS mix (free, linear). Cost: 3·(8·t + RP) constraints, e.g. 243 for 2 inputs (circomlib's
 * optimised template: 240), 612 for 16 inputs.
 */
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";
import { COMMIT_CHUNK, poseidonParams } from "../poseidon.js";

function sbox(b: R1csBuilder, x: Signal): Signal {
  const x2 = b.mul(x, x, "x2");
  const x4 = b.mul(x2, x2, "x4");
  return b.mul(x4, x, "x5");
}

/** Poseidon hash of 1..16 signals. */
export function poseidon(b: R1csBuilder, inputs: readonly Signal[]): Signal {
  const p = poseidonParams(inputs.length);
  return b.scoped(`poseidon${inputs.length}`, () => {
    let state: Signal[] = [LinComb.constant(0n), ...inputs];
    const rounds = p.roundsFull + p.roundsPartial;
    const halfFull = p.roundsFull / 2;
    for (let r = 0; r < rounds; r++) {
      const rc = p.roundConstants[r]!;
      state = state.map((s, i) => s.plus(rc[i]!));
      const full = r < halfFull || r >= halfFull + p.roundsPartial;
      state = state.map((s, i) => (full || i === 0 ? sbox(b, s) : s));
      state = p.mds.map((row) => LinComb.sum(row.map((m, j) => [m, state[j]!] as const)));
    }
    return state[0]!;
  });
}

/** In-circuit twin of {@link poseidonCommitTensor}: the Poseidon chain over 15-element chunks. */
export function commitTensor(b: R1csBuilder, values: readonly Signal[]): Signal {
  return b.scoped("commit", () => {
    let acc: Signal = LinComb.constant(BigInt(values.length));
    const chunks = Math.max(1, Math.ceil(values.length / COMMIT_CHUNK));
    for (let j = 0; j < chunks; j++) {
      const chunk: Signal[] = [acc];
      for (let i = 0; i < COMMIT_CHUNK; i++) chunk.push(values[j * COMMIT_CHUNK + i] ?? LinComb.constant(0n));
      acc = poseidon(b, chunk);
    }
    return acc;
  });
}
