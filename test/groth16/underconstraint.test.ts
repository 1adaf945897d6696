/**
 * The under-constraint checker flags deliberately broken circuits (and each flagged weakness is
 * shown to be real: a second witness with a different output satisfies every constraint), and
 * passes the real gadgets (those run it in gadgets.test.ts and poseidon.test.ts via buildChecked).
 */
import { describe, expect, it } from "vitest";
import {
  checkUnderConstrained,
  checkWitness,
  fieldMod,
  fromBits,
  LinComb,
  R1csBuilder,
  rescale,
  rescaleValue,
  type Signal,
} from "../../backends/groth16/index.js";

/** rescale WITHOUT the remainder range check: rem is a free wire, only q is bit-bounded. */
function unsafeRescale(b: R1csBuilder, x: Signal, k: number, bits: number): Signal {
  const v = b.signedValue(x);
  const q = rescaleValue(v, k);
  const rem = b.witness(v + (1n << BigInt(k - 1)) - q * (1n << BigInt(k)), "rem");
  // q's bits are Boolean and bound q to `bits` bits, but nothing bounds rem
  const bitsQ: Signal[] = [];
  const y = q + (1n << BigInt(bits - 1));
  for (let i = 0; i < bits; i++) {
    const bit = b.witness((y >> BigInt(i)) & 1n, `q[${i}]`);
    b.assertBoolean(bit);
    bitsQ.push(bit);
  }
  const qSig = fromBits(bitsQ).minus(1n << BigInt(bits - 1));
  b.assertEqual(x.plus(1n << BigInt(k - 1)), qSig.times(1n << BigInt(k)).plus(rem));
  return qSig;
}

describe("under-constraint checker", () => {
  it("flags rescale without the remainder range check, and the flaw is real", () => {
    const k = 4;
    const b = new R1csBuilder();
    const x = b.privateInput(37n, "x");
    b.output(unsafeRescale(b, x, k, 8), "q");
    const built = b.build();
    expect(checkWitness(built.r1cs, built.witness).ok).toBe(true);
    const report = checkUnderConstrained(built.r1cs);
    expect(report.ok).toBe(false);
    expect(report.undeterminedOutputs).toEqual([1]);
    expect(report.messages.join("\n")).toMatch(/output wire 1 \(q\) is not determined/);
    // a cheating witness: q + 1 with rem - 2^k satisfies every constraint
    const names = built.r1cs.wireNames;
    const remWire = names.indexOf("rem");
    const q0Wire = names.indexOf("q[0]");
    const cheat = [...built.witness];
    // q = 2 (offset 130 = 0b10000010): q + 1 = 3 sets bit 0
    expect(cheat[q0Wire]).toBe(0n);
    cheat[q0Wire] = 1n;
    cheat[remWire] = fieldMod(cheat[remWire]! - 16n);
    cheat[1] = fieldMod(cheat[1]! + 1n);
    expect(checkWitness(built.r1cs, cheat).ok).toBe(true);
  });

  it("passes the real rescale on the same input", () => {
    const b = new R1csBuilder();
    b.output(rescale(b, [b.privateInput(37n)], 4, 8)[0]!, "q");
    expect(checkUnderConstrained(b.build().r1cs).ok).toBe(true);
  });

  it("flags a wire that no constraint touches", () => {
    const b = new R1csBuilder();
    const x = b.privateInput(3n);
    b.witness(5n, "stray");
    b.output(b.mul(x, x));
    const report = checkUnderConstrained(b.build().r1cs);
    expect(report.ok).toBe(false);
    expect(report.unconstrained.length).toBe(1);
    expect(report.messages[0]).toMatch(/stray.*appears in no constraint/);
  });

  it("flags an output fixed only by a quadratic relation (y·y = x has two roots)", () => {
    const b = new R1csBuilder();
    const x = b.privateInput(9n);
    const y = b.witness(3n, "sqrt");
    b.constrain(y, y, x);
    b.output(y, "root");
    const built = b.build();
    const report = checkUnderConstrained(built.r1cs);
    expect(report.undeterminedOutputs).toEqual([1]);
    const other = [...built.witness];
    other[1] = fieldMod(-3n);
    expect(checkWitness(built.r1cs, other).ok).toBe(true);
  });

  it("does not accept a decomposition whose coefficients are not superincreasing", () => {
    // b0 + b1 + 2·b2 = x has two solutions for x = 2 (b0 = b1 = 1, or b2 = 1)
    const b = new R1csBuilder();
    const x = b.privateInput(2n);
    const bits = [1n, 1n, 0n].map((v, i) => b.witness(v, `b${i}`));
    bits.forEach((bit) => b.assertBoolean(bit));
    b.assertEqual(LinComb.sum([[1n, bits[0]!], [1n, bits[1]!], [2n, bits[2]!]]), x);
    b.output(bits[2]!, "b2");
    expect(checkUnderConstrained(b.build().r1cs).undeterminedOutputs).toEqual([1]);
  });

  it("propagates through products of determined signals and linear layers", () => {
    const b = new R1csBuilder();
    const [x, y] = b.privateInputs([3n, 4n]);
    const p = b.mul(x!, y!);
    const q = b.mul(p.plus(x!), y!.times(5n).plus(1n));
    b.output(q.plus(p));
    const report = checkUnderConstrained(b.build().r1cs);
    expect(report.ok).toBe(true);
  });
});
