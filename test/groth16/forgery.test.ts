/**
 * The forgery that a public-seed setup allows, run for real through snarkjs.groth16.verify.
 *
 * snarkjs checks e(A, B) = e(α, β) · e(vk_x, γ) · e(C, δ), with vk_x = IC_0 + Σ s_i·IC_i and
 * γ = the G2 generator. Whoever knows the scalars α and β (a seeded phase 1) and reads δ·G1 from
 * the proving key sets B = G2, C = G1 and A = αβ·G1 + vk_x + δ·G1; then
 * e(A, G2) = e(αβ·G1, G2) · e(vk_x, G2) · e(δ·G1, G2) = e(α, β) · e(vk_x, γ) · e(G1, δ),
 * which is the check, for ANY public signals s. Phase 2 randomises only δ, and δ·G1 is public.
 *
 * Against seeded keys the forgery verifies; against the default keys (fresh CSPRNG secrets) the
 * same construction with the public seed's α, β is rejected. Then the same at the model level:
 * a manifest compiled with the insecure setup is refused by verify() unless explicitly allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { forgeGroth16, seededSecret } from "../fuzz/forge.js";
import { setupGroth16, terminateSnarkjs, type Groth16Keys } from "../../backends/groth16/keys.js";
import { proveGroth16 } from "../../backends/groth16/prove.js";
import { R1csBuilder } from "../../backends/groth16/r1cs.js";
import { verify } from "../../runtime/verify.js";
import { insecureSetupReason } from "../../runtime/trust.js";
import { compile, filesOf, proveJson, tinyClassifier } from "../link/helpers.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Curve = any;
let curve: Curve;

afterAll(async () => {
  await terminateSnarkjs();
});

const g1Json = (p: Uint8Array) => curve.G1.toObject(curve.G1.toAffine(p)).map((x: bigint) => x.toString());
const g2Json = (p: Uint8Array) => curve.G2.toObject(curve.G2.toAffine(p)).map((c: bigint[]) => c.map((x) => x.toString()));

/** The forged proof for `signals` from the seed's α, β and the zkey's δ·G1 (test/fuzz/forge.ts). */
const forge = (keys: Groth16Keys, signals: string[]): Promise<snarkjs.Groth16Proof> =>
  forgeGroth16(keys.vkey as unknown as { IC: string[][] }, keys.zkey, signals) as unknown as Promise<snarkjs.Groth16Proof>;

/** out = x·y with public x, y: the forger claims a product that is false. */
function circuit() {
  const b = new R1csBuilder();
  const [x, y] = b.publicInputs([6n, 7n]);
  b.output(b.mul(x!, y!));
  return b.build();
}

describe("Groth16 forgery from a public-seed setup", () => {
  const falseStatement = ["1000", "6", "7"]; // 6 · 7 ≠ 1000
  let seeded: Groth16Keys;
  let local: Groth16Keys;

  beforeAll(async () => {
    curve = await snarkjs.curves.getCurveFromName("bn128");
    const built = circuit();
    seeded = await setupGroth16(built.r1cs, { insecureSeededSetup: true });
    local = await setupGroth16(built.r1cs);
    expect(seeded.setup).toBe("insecure-seeded");
    expect(local.setup).toBe("local-random");
  });

  it("verifies a forged proof of a false statement against seeded keys (the attack works)", async () => {
    // γ is the G2 generator and α·G1 is what the seed predicts: the forger's knowledge is exact
    expect(seeded.vkey.vk_gamma_2).toEqual(g2Json(curve.G2.g));
    expect((seeded.vkey as unknown as { vk_alpha_1: string[] }).vk_alpha_1).toEqual(g1Json(curve.G1.timesScalar(curve.G1.g, seededSecret("alpha"))));
    expect(await snarkjs.groth16.verify(seeded.vkey, falseStatement, await forge(seeded, falseStatement))).toBe(true);
    expect(await snarkjs.groth16.verify(seeded.vkey, ["123456789", "1", "2"], await forge(seeded, ["123456789", "1", "2"]))).toBe(true);
  });

  it("rejects the same construction against the default (local random) keys", async () => {
    expect((local.vkey as unknown as { vk_alpha_1: string[] }).vk_alpha_1).not.toEqual((seeded.vkey as unknown as { vk_alpha_1: string[] }).vk_alpha_1);
    expect(await snarkjs.groth16.verify(local.vkey, falseStatement, await forge(local, falseStatement))).toBe(false);
    // the keys themselves work: an honest proof of the true statement verifies
    const built = circuit();
    const honest = await proveGroth16(built.r1cs, built.witness, local);
    expect(honest.publicSignals).toEqual(["42", "6", "7"]);
    expect(await snarkjs.groth16.verify(local.vkey, honest.publicSignals, honest.proof)).toBe(true);
  });
});

describe("verify() refuses manifests built on the insecure setup", () => {
  it("refuses by default with the reason, accepts with allowInsecureDevKeys; default keys are accepted", async () => {
    const m = tinyClassifier(5, false, 1);
    const insecure = await compile(m, { backend: "groth16", insecureDevSetup: true });
    expect(insecure.manifest.developmentPtau).toBe(true);
    const { json } = await proveJson(insecure, m.input);
    const refused = await verify(insecure.manifest, json, filesOf(insecure));
    expect(refused).toEqual({ ok: false, reason: insecureSetupReason(insecure.manifest) });
    expect(refused.ok ? "" : refused.reason).toMatch(/insecure development setup \(public seed\): anyone can forge proofs/);
    expect((await verify(insecure.manifest, json, filesOf(insecure), { allowInsecureDevKeys: true })).ok).toBe(true);

    const safe = await compile(m, { backend: "groth16" });
    expect(safe.manifest.developmentPtau).toBe(false);
    expect(insecureSetupReason(safe.manifest)).toBeUndefined();
    const proved = await proveJson(safe, m.input);
    expect((await verify(safe.manifest, proved.json, filesOf(safe))).ok).toBe(true);
  });
});
