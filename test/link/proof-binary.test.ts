/**
 * proof.bin (runtime/proof-binary.ts): real proofs of three plans (all GKR; mixed GKR + Groth16
 * for an ArgMax; hashed input and output with Groth16 commit kernels) round trip between the bundle
 * and its bytes, verify from the bytes, and every tamper class is rejected: flipped bytes sampled
 * across every section, truncation, trailing bytes, a bad version, non-canonical field elements,
 * points off the curve or outside the subgroup. Each rejection has a reason; `verify` never throws.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bn254 } from "@noble/curves/bn254.js";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { GROTH16_PROOF_BYTES, packGroth16Proof, unpackGroth16Proof } from "../../backends/groth16/points.js";
import { COMPRESSED_POINT_BYTES, G1, compressPoint, decompressPoint, terminateCurve } from "../../backends/math/commit/curve.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { defaultVerifiers } from "../../backends/verifiers.js";
import { ByteReader, ByteWriter, decodeTree, encodeTree } from "../../runtime/link/binary.js";
import { PROOF_MAGIC, isBinaryProof, parseProofBinary, serializeProofBinary } from "../../runtime/proof-binary.js";
import { serializeProof, type ProofBundle } from "../../runtime/proof.js";
import { verify } from "../../runtime/verify.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { compile, filesOf, tinyClassifier } from "./helpers.js";
import { prove } from "../../runtime/prove.js";

interface Case {
  name: string;
  compiled: CompiledModel;
  bundle: ProofBundle;
  bytes: Uint8Array;
}
const cases: Case[] = [];

beforeAll(async () => {
  const plans = [
    { name: "gkr", model: tinyClassifier(1, false), opts: { backend: "gkr" as const } },
    { name: "mixed", model: tinyClassifier(1), opts: { backend: "auto" as const } },
    { name: "hashed", model: tinyClassifier(4, false), opts: { backend: "gkr" as const, inputVisibility: "hashed" as const, outputVisibility: "hashed" as const } },
  ];
  for (const p of plans) {
    const compiled = await compile(p.model, p.opts);
    const { stats: _stats, hashedOutputs: _h, ...bundle } = await prove(compiled.manifest, filesOf(compiled), p.model.input);
    cases.push({ name: p.name, compiled, bundle, bytes: serializeProofBinary(bundle, defaultVerifiers) });
  }
}, 300_000);

afterAll(async () => {
  await terminateSnarkjs();
  await terminateCurve();
});

const check = (c: Case, proof: unknown) => verify(c.compiled.manifest, proof, filesOf(c.compiled));

/** Section boundaries of a proof.bin: [kind, start of the header, start of the payload, end]. */
function sectionsOf(bytes: Uint8Array): { kind: number; header: number; body: number; end: number }[] {
  const r = new ByteReader(bytes);
  r.take(PROOF_MAGIC.length, "magic");
  r.varint("version");
  const out = [];
  while (r.remaining) {
    const header = r.pos;
    const kind = r.byte("kind");
    const n = r.varint("length");
    out.push({ kind, header, body: r.pos, end: r.pos + n });
    r.take(n, "body");
  }
  return out;
}

/** Rebuild a file from its sections with one section's payload replaced. */
function withSection(bytes: Uint8Array, index: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  const secs = sectionsOf(bytes);
  w.bytes(bytes.subarray(0, secs[0]!.header));
  secs.forEach((s, i) => {
    const body = i === index ? payload : bytes.subarray(s.body, s.end);
    w.byte(s.kind);
    w.varint(body.length);
    w.bytes(body);
  });
  return w.finish();
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const le32 = (v: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

describe("binary encodings", () => {
  it("compressed G1 points round trip (random multiples, negations, the identity) and reject bad bytes", () => {
    let p = G1.BASE;
    for (let i = 0; i < 20; i++) {
      p = p.multiply(BigInt(i * 7919 + 3));
      for (const q of [p, p.negate()]) expect(decompressPoint(compressPoint(q))!.equals(q)).toBe(true);
    }
    expect(decompressPoint(compressPoint(G1.ZERO))!.is0()).toBe(true);
    const zero = new Uint8Array(32);
    zero[31] = 0xc0; // identity flag with the sign bit: not canonical
    expect(decompressPoint(zero)).toBeNull();
    expect(decompressPoint(le32(G1.Fp.ORDER))).toBeNull(); // x = p
    // an x with no point: x^3 + 3 not a square
    let x = 1n;
    while (G1.Fp.pow(G1.Fp.add(G1.Fp.mul(G1.Fp.sqr(x), x), 3n), (G1.Fp.ORDER - 1n) / 2n) === 1n) x++;
    expect(decompressPoint(le32(x))).toBeNull();
    expect(decompressPoint(new Uint8Array(31))).toBeNull();
  });

  it("Groth16 points pack to 128 bytes and back; pi_b outside the G2 subgroup is rejected", () => {
    const g2 = bn254.G2.Point.BASE.multiply(12345n).toAffine();
    const g1 = G1.BASE.multiply(777n).toAffine();
    const proof = {
      pi_a: [g1.x.toString(), g1.y.toString(), "1"],
      pi_b: [[g2.x.c0.toString(), g2.x.c1.toString()], [g2.y.c0.toString(), g2.y.c1.toString()], ["1", "0"]],
      pi_c: [g1.x.toString(), (G1.Fp.ORDER - g1.y).toString(), "1"],
    };
    const packed = packGroth16Proof(proof);
    expect(packed.length).toBe(GROTH16_PROOF_BYTES);
    expect(unpackGroth16Proof(packed)).toEqual({ ok: true, proof });
    // a point of the twist curve outside the prime-order subgroup
    const Fp2 = bn254.fields.Fp2;
    const b = bn254.G2.Point.CURVE().b;
    let c0 = 5n;
    for (;;) {
      const x = Fp2.create({ c0, c1: 1n });
      try {
        Fp2.sqrt(Fp2.add(Fp2.mul(Fp2.sqr(x), x), b));
        break;
      } catch {
        c0++;
      }
    }
    const bad = packed.slice();
    bad.set(le32(c0), COMPRESSED_POINT_BYTES);
    bad.set(le32(1n), COMPRESSED_POINT_BYTES + 32);
    expect(unpackGroth16Proof(bad)).toEqual({ ok: false, reason: "groth16.pi_b: not in the prime-order subgroup" });
    expect(unpackGroth16Proof(packed.subarray(0, 127))).toMatchObject({ ok: false });
  });

  it("the value-tree codec round trips and has one encoding per tree", () => {
    const tree = { a: [1n, 2n], b: [], c: -5, d: 0.25, e: "x", f: ["x", "y", "x"], g: new Uint8Array([1, 2, 3]), h: [undefined, true, false, 1n], i: { a: 2 ** 53 - 1, x: -(2 ** 53 - 1) } };
    const w = new ByteWriter();
    encodeTree(tree, w);
    const bytes = w.finish();
    const back = decodeTree(new ByteReader(bytes), "$");
    expect(back).toEqual(tree);
    const reject = (b: Uint8Array, pattern: RegExp) => expect(() => decodeTree(new ByteReader(b), "$")).toThrow(pattern);
    reject(Uint8Array.from([3, 0x80, 0x00]), /non-minimal varint/);
    reject(Uint8Array.from([9, 1, 5, ...le32(1n)]), /packed form/);
    reject(Uint8Array.from([5, ...le32(FR_MODULUS)]), /non-canonical field element/);
    reject(Uint8Array.from([9, 2, 7, 1, 0x61, 7, 1, 0x61]), /referenced/);
    reject(Uint8Array.from([10, 1, 7, 1, 0x61, 0]), /absent members/);
    reject(Uint8Array.from([4, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]), /should be an integer/); // 1.0 as float64
    reject(Uint8Array.from([12]), /unknown value tag/);
    expect(() => encodeTree({ x: FR_MODULUS }, new ByteWriter())).toThrow(/not a field element/);
  });
});

describe.each(["gkr", "mixed", "hashed"])("proof.bin of the %s plan", (name) => {
  const c = () => cases.find((x) => x.name === name)!;

  it("round trips to the same bundle and the same bytes, verifies from bytes, is far smaller than JSON", async () => {
    const { bundle, bytes } = c();
    expect(isBinaryProof(bytes)).toBe(true);
    const parsed = parseProofBinary(bytes, defaultVerifiers);
    if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.reason}`);
    expect(serializeProof(parsed.proof)).toBe(serializeProof(bundle));
    expect(serializeProofBinary(parsed.proof, defaultVerifiers)).toEqual(bytes);
    const v = await check(c(), bytes);
    if (!v.ok) throw new Error(v.reason);
    // also as an ArrayBuffer (what fetch() gives a browser) and JSON as UTF-8 bytes
    expect((await check(c(), bytes.slice().buffer)).ok).toBe(true);
    const json = serializeProof(bundle);
    expect((await check(c(), new TextEncoder().encode(json))).ok).toBe(true);
    expect(bytes.length).toBeLessThan(json.length * 0.6);
  });

  it("rejects structural damage with reasons naming the place", async () => {
    const { bytes } = c();
    const secs = sectionsOf(bytes);
    const reasonOf = async (b: Uint8Array): Promise<string> => {
      const v = await check(c(), b);
      expect(v.ok).toBe(false);
      return v.ok ? "" : v.reason;
    };
    // truncation: at the end, inside each section, inside the header
    for (const cut of [bytes.length - 1, ...secs.map((s) => Math.floor((s.body + s.end) / 2)), 3]) expect(await reasonOf(bytes.subarray(0, cut))).toMatch(/truncated|magic|not JSON|neither/);
    expect(await reasonOf(Uint8Array.from([...bytes, 0]))).toMatch(/after the claims section: 1 trailing byte/);
    // a trailing byte inside a section (its length says one more)
    const claims = secs.length - 1;
    expect(await reasonOf(withSection(bytes, claims, Uint8Array.from([...bytes.subarray(secs[claims]!.body, secs[claims]!.end), 7])))).toMatch(/claims: 1 trailing byte/);
    expect(await reasonOf(withSection(bytes, 0, Uint8Array.from([...bytes.subarray(secs[0]!.body, secs[0]!.end), 7])))).toMatch(/statement: 1 trailing byte/);
    const v2 = bytes.slice();
    v2[PROOF_MAGIC.length] = 2;
    expect(await reasonOf(v2)).toMatch(/unsupported binary proof version 2: this zkc reads version 1/);
    // the last claim value set to r: non-canonical
    const r = bytes.slice();
    r.set(le32(FR_MODULUS), bytes.length - 32);
    expect(await reasonOf(r)).toMatch(new RegExp(`claims\\[\\d+\\]\\.value: non-canonical field element`));
    // a kernel section dropped
    const noKernel = new Uint8Array([...bytes.subarray(0, secs[1]!.header), ...bytes.subarray(secs[1]!.end)]);
    expect(await reasonOf(noKernel)).toMatch(/kernel/);
  });

  it("rejects a flipped byte anywhere: ~80 positions sampled across every section", async () => {
    const { bytes } = c();
    const secs = sectionsOf(bytes);
    const positions = new Set<number>([0, PROOF_MAGIC.length]);
    // every section header, and positions spread evenly through each payload (more in larger ones)
    for (const s of secs) {
      positions.add(s.header).add(s.header + 1);
      const n = Math.max(4, Math.round((70 * (s.end - s.body)) / bytes.length));
      for (let k = 0; k < n; k++) positions.add(s.body + Math.floor(((k + 0.5) * (s.end - s.body)) / n));
    }
    expect(positions.size).toBeGreaterThanOrEqual(70);
    let decodeFailures = 0;
    for (const [i, at] of [...positions].entries()) {
      const bad = bytes.slice();
      bad[at]! ^= 1 << (i % 8);
      const parsed = parseProofBinary(bad, defaultVerifiers);
      if (!parsed.ok) {
        decodeFailures++;
        expect(parsed.reason.length).toBeGreaterThan(5);
        continue;
      }
      const v = await check(c(), bad);
      expect(v.ok, `flipped bit ${i % 8} of byte ${at} was accepted`).toBe(false);
    }
    expect(decodeFailures).toBeGreaterThan(0);
  }, 120_000);
});

describe("a whole-model Groth16 proof", () => {
  it("round trips through proof.bin and verifies; its kernel section is the 128 point bytes and the signals", async () => {
    const m = tinyClassifier(2, false);
    const compiled = await compile(m, { backend: "groth16" });
    const { stats: _s, hashedOutputs: _h, ...bundle } = await prove(compiled.manifest, filesOf(compiled), m.input);
    const bytes = serializeProofBinary(bundle, defaultVerifiers);
    const parsed = parseProofBinary(bytes, defaultVerifiers);
    if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.reason}`);
    expect(serializeProof(parsed.proof)).toBe(serializeProof(bundle));
    const c: Case = { name: "whole", compiled, bundle, bytes };
    const v = await check(c, bytes);
    if (!v.ok) throw new Error(v.reason);
    const json = serializeProof(bundle).length;
    expect(bytes.length).toBeLessThan(json / 2);
    // the sign bit of pi_c: the negated point is a valid point, and the pairing check fails
    const at = indexOfBytes(bytes, packGroth16Proof(bundle.kernels[0]!.groth16)) + GROTH16_PROOF_BYTES - 1;
    const neg = bytes.slice();
    neg[at]! ^= 0x80;
    expect(await check(c, neg)).toMatchObject({ ok: false, reason: expect.stringMatching(/pairing/) });
  }, 120_000);
});

describe("garbage", () => {
  it("verify returns a reason (never throws) for empty, magic-only and random bytes", async () => {
    const c = cases[0]!;
    let seed = 7;
    const random = Uint8Array.from({ length: 2000 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    for (const b of [new Uint8Array(0), PROOF_MAGIC, Uint8Array.from([...PROOF_MAGIC, 1]), Uint8Array.from([...PROOF_MAGIC, 1, ...random]), random, Uint8Array.from([0xff, 0xfe])]) {
      const v = await check(c, b);
      expect(v.ok).toBe(false);
      expect(v.ok ? "" : v.reason).toMatch(/malformed proof: field /);
    }
  });
});

describe("points in a proof.bin", () => {
  it("a Hyrax row off the curve and a Groth16 pi_a off the curve are rejected", async () => {
    const mixed = cases.find((x) => x.name === "mixed")!;
    const tag = new TextEncoder().encode("hyrax-bn254-v1");
    const at = indexOfBytes(mixed.bytes, tag);
    expect(at).toBeGreaterThan(0);
    let x = 1n;
    while (G1.Fp.pow(G1.Fp.add(G1.Fp.mul(G1.Fp.sqr(x), x), 3n), (G1.Fp.ORDER - 1n) / 2n) === 1n) x++;
    const row = mixed.bytes.slice();
    row.set(le32(x), at + tag.length + 4);
    const v = await check(mixed, row);
    expect(v).toMatchObject({ ok: false, reason: expect.stringMatching(/commitment .* is malformed/) });
    // pi_a: find the packed Groth16 proof's bytes in the file
    const g = mixed.bundle.kernels.find((k) => k.backend === "groth16")!;
    const packed = packGroth16Proof(g.groth16);
    const pa = indexOfBytes(mixed.bytes, packed);
    expect(pa).toBeGreaterThan(0);
    const offCurve = mixed.bytes.slice();
    offCurve.set(le32(x), pa);
    expect(await check(mixed, offCurve)).toMatchObject({ ok: false, reason: expect.stringMatching(/groth16\.pi_a: not a canonical compressed point of the curve/) });
  });
});
