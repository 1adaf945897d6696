/**
 * The trapdoor forgery of docs/trust.md, for the mutation campaigns: with the public seed's α, β
 * and δ·G1 read from a proving key, B = G2, C = G1, A = αβ·G1 + vk_x + δ·G1 satisfies snarkjs's
 * pairing equation for any public signals. Against seeded keys it verifies; against the default
 * keys the same construction (with the seed's values, the only ones a forger can know) must fail.
 */
import * as snarkjs from "snarkjs";
import { fieldMod, fieldMul } from "../../backends/groth16/field.js";
import { sha256Hex } from "../../backends/groth16/formats.js";
import { INSECURE_DEV_SEED } from "../../backends/groth16/keys.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Curve = any;
let curve: Curve | undefined;

async function bn128(): Promise<Curve> {
  curve ??= await snarkjs.curves.getCurveFromName("bn128");
  return curve;
}

/** The public seed's secret scalar for `label` (what fastptau derives): what the forger knows. */
export function seededSecret(label: string): bigint {
  return fieldMod(BigInt("0x" + sha256Hex(INSECURE_DEV_SEED, "/", label))) || 1n;
}

/** δ·G1 from a zkey: section 2 (the Groth16 header) holds it after α1, β1, β2, γ2. */
function delta1(c: Curve, zkey: Uint8Array): Uint8Array {
  const view = new DataView(zkey.buffer, zkey.byteOffset, zkey.byteLength);
  let pos = 12;
  for (;;) {
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    if (type === 2) {
      const n8q = view.getUint32(pos + 12, true);
      const n8r = view.getUint32(pos + 16 + n8q, true);
      return c.G1.fromRprLEM(zkey, pos + 12 + 4 + n8q + 4 + n8r + 12 + 2 * n8q * 2 + 4 * n8q * 2);
    }
    pos += 12 + size;
  }
}

/** A forged snarkjs proof (decimal-string JSON, as in proof.json) for `signals`. */
export async function forgeGroth16(vkey: { IC: string[][] }, zkey: Uint8Array, signals: readonly string[]): Promise<{ pi_a: string[]; pi_b: string[][]; pi_c: string[]; protocol: string; curve: string }> {
  const c = await bn128();
  const { G1, G2 } = c;
  const g1Of = (p: string[]) => G1.fromObject([BigInt(p[0]!), BigInt(p[1]!), BigInt(p[2]!)]);
  let vkx = g1Of(vkey.IC[0]!);
  signals.forEach((s, i) => (vkx = G1.add(vkx, G1.timesScalar(g1Of(vkey.IC[i + 1]!), fieldMod(BigInt(s))))));
  const a = G1.add(G1.add(G1.timesScalar(G1.g, fieldMul(seededSecret("alpha"), seededSecret("beta"))), vkx), delta1(c, zkey));
  const g1 = (p: Uint8Array) => G1.toObject(G1.toAffine(p)).map((x: bigint) => x.toString());
  const g2 = (p: Uint8Array) => G2.toObject(G2.toAffine(p)).map((cc: bigint[]) => cc.map((x) => x.toString()));
  return { pi_a: g1(a), pi_b: g2(G2.g), pi_c: g1(G1.g), protocol: "groth16", curve: "bn128" };
}
