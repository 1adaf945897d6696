/**
 * Claim combination on its own: k claims on one tensor -> one claim that holds; equal points need no
 * proof; a false claim among true ones, disagreeing values at one point, a tampered proof, a missing
 * or superfluous proof and another transcript are rejected.
 */
import { describe, expect, it } from "vitest";
import { FR_MODULUS } from "../../backends/math/field.js";
import { evaluateMle } from "../../backends/math/mle.js";
import { Transcript } from "../../backends/math/transcript.js";
import { proveCombine, verifyCombine } from "../../backends/math/claims.js";
import { integerTable } from "../../backends/math/layout.js";
import type { Claim } from "../../backends/gkr/messages.js";
import { makeRng, randomInts } from "./helpers.js";

const rng = makeRng(8);
const shape = [5, 6];
const table = integerTable(randomInts(rng, 30, 1000), shape);
const claimAt = (point: bigint[]): Claim => ({ tensor: "t", point, value: evaluateMle(table, point) });
const randomPoint = () => Array.from({ length: 6 }, () => rng.field());
const claims = [claimAt(randomPoint()), claimAt(randomPoint()), claimAt(randomPoint())];

describe("claim combination", () => {
  it("three claims at different points combine into one true claim", () => {
    const p = proveCombine(claims, table, new Transcript("c"));
    expect(p.proof).toBeDefined();
    const v = verifyCombine(claims, p.proof, new Transcript("c"));
    expect(v).toEqual({ ok: true, claim: p.claim });
    expect(evaluateMle(table, p.claim.point)).toBe(p.claim.value);
  });

  it("equal points: no proof, values must agree", () => {
    const same = [claims[0]!, { ...claims[0]! }];
    const p = proveCombine(same, table, new Transcript("c"));
    expect(p.proof).toBeUndefined();
    expect(verifyCombine(same, undefined, new Transcript("c"))).toMatchObject({ ok: true });
    const disagree = [claims[0]!, { ...claims[0]!, value: (claims[0]!.value + 1n) % FR_MODULUS }];
    expect(verifyCombine(disagree, undefined, new Transcript("c"))).toMatchObject({ ok: false, reason: expect.stringMatching(/disagree/) });
    expect(() => proveCombine(disagree, table, new Transcript("c"))).toThrow(RangeError);
    expect(verifyCombine(same, { kind: "combine" }, new Transcript("c")).ok).toBe(false);
  });

  it("a false claim among true ones is rejected (the honest proof of the true ones does not carry it)", () => {
    const p = proveCombine(claims, table, new Transcript("c"));
    const bent = claims.map((c, i) => (i === 1 ? { ...c, value: (c.value + 1n) % FR_MODULUS } : c));
    expect(verifyCombine(bent, p.proof, new Transcript("c")).ok).toBe(false);
  });

  it("tampered rounds or evaluation, a missing proof and another transcript are rejected", () => {
    const p = proveCombine(claims, table, new Transcript("c"));
    const proof = p.proof!;
    for (let r = 0; r < proof.sumcheck.rounds.length; r++)
      for (let j = 0; j < proof.sumcheck.rounds[r]!.length; j++) {
        const bad = structuredClone(proof);
        bad.sumcheck.rounds[r]![j] = (bad.sumcheck.rounds[r]![j]! + 1n) % FR_MODULUS;
        expect(verifyCombine(claims, bad, new Transcript("c")).ok, `round ${r} value ${j}`).toBe(false);
      }
    expect(verifyCombine(claims, { ...proof, eval: (proof.eval + 1n) % FR_MODULUS }, new Transcript("c")).ok).toBe(false);
    expect(verifyCombine(claims, undefined, new Transcript("c")).ok).toBe(false);
    expect(verifyCombine(claims, proof, new Transcript("other")).ok).toBe(false);
  });
});
