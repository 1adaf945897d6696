/**
 * Poseidon inside the circuit, matching {@link poseidonHash} and circomlib's `Poseidon(n)`.
 *
 * Each round: add round constants (free), S-box x^5 as x2 = x·x, x4 = x2·x2, x5 = x·x4
 * (3 constraints), on every element in full rounds and on state[0] in partial rounds, then the
 * MDS mix (free, linear).
 *
 * Wide S-box inputs are first copied into one wire (one more constraint). In the partial rounds
 * the state's linear combinations grow by a term per round, and without the copy each would be
 * written three times (in A and B of x·x and in A of x·x4); snarkjs's zkey setup pays
 * elliptic-curve work per nonzero coefficient, G2 work for those in B. Measured on a kernel with
 * one 16-input hash (8-element commitment + MLE claim): setup 19 s without copies (594
 * constraints), 4.8 s with them (678).
 * Cost: 299 constraints for 2 inputs (circomlib's optimised template: 240), 693 for 16 inputs.
 */
import { LinComb, type R1csBuilder, type Signal } from "../r1cs.js";
import { fieldAdd, fieldMod } from "../field.js";
import { COMMIT_CHUNK, poseidonParams } from "../../math/poseidon.js";

function sbox(b: R1csBuilder, x0: Signal, wide: number): Signal {
  const x = x0.terms.size > wide ? b.materialise(x0, "sbox_in") : x0;
  const x2 = b.mul(x, x, "x2");
  const x4 = b.mul(x2, x2, "x4");
  return b.mul(x, x4, "x5"); // the wide side in A: snarkjs setup pays G2 work per nonzero in B
}

/**
 * Poseidon hash of 1..16 signals.
 *
 * The state is kept as dense coefficient rows over a small basis of wires (the constant, the
 * inputs or the last full round's S-box outputs, and the partial rounds' S-box outputs), so the
 * MDS mix is plain multiply-adds with one reduction per entry instead of sparse-map arithmetic.
 * After a full round every element is a single wire and the basis restarts.
 */
export function poseidon(b: R1csBuilder, inputs: readonly Signal[]): Signal {
  const p = poseidonParams(inputs.length);
  const t = p.t;
  return b.scoped(`poseidon${inputs.length}`, () => {
    let basis: Signal[] = [LinComb.constant(1n)];
    let rows: bigint[][] = [[0n]];
    for (const x of inputs) {
      basis.push(x);
      const row = new Array<bigint>(basis.length).fill(0n);
      row[basis.length - 1] = 1n;
      rows.push(row);
    }
    const toSignal = (row: readonly bigint[]): Signal =>
      LinComb.sum(row.flatMap((c, k) => (c === 0n ? [] : [[c, basis[k]!] as const])));
    const rounds = p.roundsFull + p.roundsPartial;
    const halfFull = p.roundsFull / 2;
    for (let r = 0; r < rounds; r++) {
      const rc = p.roundConstants[r]!;
      rows.forEach((row, i) => (row[0] = fieldAdd(row[0]!, rc[i]!)));
      const full = r < halfFull || r >= halfFull + p.roundsPartial;
      if (full) {
        const outs = rows.map((row) => sbox(b, toSignal(row), t + 1));
        basis = [LinComb.constant(1n), ...outs];
        rows = outs.map((_, i) => {
          const row = new Array<bigint>(t + 1).fill(0n);
          row[i + 1] = 1n;
          return row;
        });
      } else {
        const out = sbox(b, toSignal(rows[0]!), t + 1);
        basis.push(out);
        for (const row of rows) row.push(0n);
        rows[0] = new Array<bigint>(basis.length).fill(0n);
        rows[0][basis.length - 1] = 1n;
      }
      const width = basis.length;
      rows = p.mds.map((m) => {
        const acc = new Array<bigint>(width).fill(0n);
        for (let j = 0; j < t; j++) {
          const mj = m[j]!;
          const src = rows[j]!;
          for (let k = 0; k < width; k++) {
            const c = src[k]!;
            if (c !== 0n) acc[k] = acc[k]! + mj * c;
          }
        }
        for (let k = 0; k < width; k++) acc[k] = fieldMod(acc[k]!);
        return acc;
      });
    }
    return toSignal(rows[0]!);
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
