/**
 * Poseidon: circomlib's published vectors outside (noble) and inside the circuit, every width
 * 1..16 in-circuit vs outside, and the tensor commitment chain on both sides.
 */
import { describe, expect, it } from "vitest";
import {
  checkUnderConstrained,
  checkWitness,
  commitTensor,
  fieldMod,
  poseidon,
  poseidonCommitTensor,
  poseidonHash,
  R1csBuilder,
} from "../../backends/groth16/index.js";
import { buildChecked, expectOutputsBound, randInt, rng } from "./helpers.js";

// circomlib test vectors (circomlib test/poseidoncircuit.js, from the reference sage script)
const P12 = 7853200120776062878684798364095072458815029376092732009249414926327459813530n;
const P1234 = 0x299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465n;

describe("Poseidon outside the circuit", () => {
  it("reproduces circomlib's vectors", () => {
    expect(poseidonHash([1n, 2n])).toBe(P12);
    expect(poseidonHash([1n, 2n, 3n, 4n])).toBe(P1234);
  });

  it("refuses 0 or more than 16 inputs", () => {
    expect(() => poseidonHash([])).toThrow(RangeError);
    expect(() => poseidonHash(new Array(17).fill(1n))).toThrow(RangeError);
  });
});

describe("Poseidon inside the circuit", () => {
  it("poseidon([1, 2]) and poseidon([1, 2, 3, 4]) match the vectors; a wrong output is rejected", () => {
    const def = (b: R1csBuilder, v: bigint[]) => [b.output(poseidon(b, b.privateInputs(v)))];
    for (const [inputs, expected] of [[[1n, 2n], P12], [[1n, 2n, 3n, 4n], P1234]] as const) {
      const built = buildChecked(def, [...inputs], inputs.map(() => 0n));
      expect(built.publicSignals[0]).toBe(expected);
      expectOutputsBound(built);
    }
  });

  it("costs 299 constraints for 2 inputs and 693 for 16 (documented in docs/groth16.md)", () => {
    // 3 per S-box, plus one copy per wide S-box input, minus the free S-box on the constant state[0]
    for (const [n, cost] of [[2, 299], [16, 693]] as const) {
      const b = new R1csBuilder();
      poseidon(b, b.privateInputs(new Array<bigint>(n).fill(1n)));
      expect(b.nConstraints).toBe(cost);
    }
  });

  it("widths 1, 3, 4, 8 and 16 inputs agree with the outside hash", () => {
    // the round structure does not depend on the width; these cover t = 2, 4, 5, 9, 17
    const next = rng(7);
    for (const n of [1, 3, 4, 8, 16]) {
      const inputs = [...Array(n)].map(() => fieldMod(randInt(next, 0, 2 ** 30) * 987654321987654321n));
      const b = new R1csBuilder();
      const out = poseidon(b, b.privateInputs(inputs));
      expect(b.value(out)).toBe(poseidonHash(inputs));
      b.output(out);
      const built = b.build();
      expect(checkWitness(built.r1cs, built.witness).ok).toBe(true);
      expect(checkUnderConstrained(built.r1cs).ok).toBe(true);
    }
  });
});

describe("tensor commitment (Poseidon chain over 15-element chunks)", () => {
  it("in-circuit and outside agree for 0, 1, 15 and 16 elements", () => {
    const next = rng(8);
    for (const n of [0, 1, 15, 16]) {
      const t = [...Array(n)].map(() => randInt(next, -1000, 1000));
      const built = buildChecked((b, v: bigint[]) => [b.output(commitTensor(b, b.privateInputs(v)))], t, t.map(() => 0n));
      expect(built.publicSignals[0]).toBe(poseidonCommitTensor(t));
      expectOutputsBound(built);
    }
  });

  it("follows the documented construction exactly", () => {
    const t = [...Array(17)].map((_, i) => BigInt(i + 1));
    const acc1 = poseidonHash([17n, ...t.slice(0, 15)]);
    const acc2 = poseidonHash([acc1, 16n, 17n, ...new Array(13).fill(0n)]);
    expect(poseidonCommitTensor(t)).toBe(acc2);
    expect(poseidonCommitTensor([])).toBe(poseidonHash(new Array(16).fill(0n)));
  });

  it("trailing zeros, order and single elements change the commitment", () => {
    const base = poseidonCommitTensor([1n, 2n, 3n]);
    expect(poseidonCommitTensor([1n, 2n, 3n, 0n])).not.toBe(base);
    expect(poseidonCommitTensor([2n, 1n, 3n])).not.toBe(base);
    expect(poseidonCommitTensor([1n, 2n, 4n])).not.toBe(base);
    expect(poseidonCommitTensor([-1n])).toBe(poseidonCommitTensor([fieldMod(-1n)]));
  });
});
