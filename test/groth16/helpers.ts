/** Shared test helpers for the Groth16 backend: seeded randomness and circuit building. */
import { expect } from "vitest";
import {
  checkUnderConstrained,
  checkWitness,
  fieldMod,
  R1csBuilder,
  writeR1cs,
  type BuiltCircuit,
  type Signal,
} from "../../backends/groth16/index.js";

/** Deterministic PRNG (mulberry32): the shared one. */
export { mulberry32 as rng } from "../../compiler/util/rng.js";

/** Random integer in [lo, hi] (inclusive) as bigint. */
export function randInt(next: () => number, lo: number, hi: number): bigint {
  return BigInt(lo + Math.floor(next() * (hi - lo + 1)));
}

/** A circuit definition: allocates inputs from the given values and builds. */
export type CircuitDef<T> = (b: R1csBuilder, inputs: T) => Signal[] | void;

/**
 * Builds `def` with the real inputs and with dummy inputs (as setup does) and checks:
 * identical R1CS bytes, the real witness satisfies every constraint, the under-constraint checker
 * passes. Returns the real build.
 */
export function buildChecked<T>(def: CircuitDef<T>, real: T, dummy: T): BuiltCircuit {
  const b = new R1csBuilder();
  def(b, real);
  const built = b.build();
  const b0 = new R1csBuilder();
  def(b0, dummy);
  const built0 = b0.build();
  expect(Buffer.from(writeR1cs(built.r1cs)).equals(Buffer.from(writeR1cs(built0.r1cs)))).toBe(true);
  expect(checkWitness(built.r1cs, built.witness)).toEqual({ ok: true });
  const uc = checkUnderConstrained(built.r1cs);
  expect(uc.messages).toEqual([]);
  expect(uc.ok).toBe(true);
  return built;
}

/** Copy of a witness with wire `w` changed by `delta`. */
export function tamper(witness: readonly bigint[], w: number, delta = 1n): bigint[] {
  const out = [...witness];
  out[w] = fieldMod(out[w]! + delta);
  return out;
}

/** Expects the witness with each output wire bumped by one to be rejected. */
export function expectOutputsBound(built: BuiltCircuit): void {
  for (let w = 1; w <= built.r1cs.nPubOut; w++) {
    expect(checkWitness(built.r1cs, tamper(built.witness, w)).ok).toBe(false);
  }
}

/** Signed output values of a build. */
export function outputsOf(built: BuiltCircuit): bigint[] {
  const r = fieldMod(-1n) + 1n;
  return built.publicSignals.slice(0, built.r1cs.nPubOut).map((v) => (v > r / 2n ? v - r : v));
}
