/**
 * The R1CS builder freezes circuits of any size: a 320k-wire circuit (past the ~120k wires where
 * spreading wire lists into push() overflowed the call stack) builds, keeps snarkjs's wire order
 * and its witness satisfies every constraint. Building only: nothing is proven.
 */
import { describe, expect, it } from "vitest";
import { checkWitness, LinComb, R1csBuilder } from "../../backends/groth16/index.js";

describe("R1csBuilder at scale", () => {
  it("builds a 320k-wire circuit in snarkjs order, with a satisfying witness", () => {
    const n = 160_000;
    const b = new R1csBuilder();
    const pub = b.publicInputs([3n, 5n], "p");
    const xs = b.privateInputs(
      Array.from({ length: n }, (_, i) => BigInt(i + 1)),
      "x",
    );
    // one internal wire per private input: x_i · x_(7i mod n), summed into one public output
    const terms = new Map<number, bigint>();
    for (let i = 0; i < n; i++) terms.set(b.mul(xs[i]!, xs[(7 * i) % n]!, "m").singleWire()!, 1n);
    b.output(LinComb.fromTerms(terms).plus(pub[0]!).plus(pub[1]!), "out");
    expect(b.nWires).toBeGreaterThan(300_000);

    const built = b.build();
    const { r1cs, witness } = built;
    expect(r1cs.nWires).toBe(1 + 1 + 2 + n + n);
    expect([r1cs.nPubOut, r1cs.nPubIn, r1cs.nPrvIn]).toEqual([1, 2, n]);
    // order: the constant one, outputs, public inputs, private inputs, internals
    expect(witness[0]).toBe(1n);
    expect(witness.slice(2, 4)).toEqual([3n, 5n]);
    expect(witness[4]).toBe(1n);
    expect(witness[3 + n]).toBe(BigInt(n));
    let expected = 8n;
    for (let i = 0; i < n; i++) expected += BigInt(i + 1) * BigInt(((7 * i) % n) + 1);
    expect(built.publicSignals).toEqual([expected, 3n, 5n]);
    expect(checkWitness(r1cs, witness)).toEqual({ ok: true });
    // and a wrong witness is caught: the check is real
    const bad = [...witness];
    bad[4 + n + 12345] = bad[4 + n + 12345]! + 1n;
    expect(checkWitness(r1cs, bad).ok).toBe(false);
  }, 60_000);
});
