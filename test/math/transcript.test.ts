import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FR_MODULUS as P, Fr, FrVector } from "../../backends/math/field.js";
import { sha256, sha256Pure } from "../../backends/math/sha256.js";
import { Transcript } from "../../backends/math/transcript.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("SHA-256", () => {
  it("matches the FIPS 180-4 examples", () => {
    // FIPS 180-4 / NIST CSRC example values
    expect(hex(sha256Pure(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha256Pure(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(sha256Pure(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });
  it("pure and Node implementations agree on every length 0..300 (padding boundaries)", () => {
    for (let n = 0; n <= 300; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(hex(sha256Pure(data))).toBe(createHash("sha256").update(data).digest("hex"));
      expect(hex(sha256(data))).toBe(hex(sha256Pure(data)));
    }
  });
});

/** An independent implementation of the documented format, on node:crypto. */
function referenceFirstChallenge(protocol: string, label: string, data: Uint8Array, chLabel: string): bigint {
  const H = (...parts: Uint8Array[]): Uint8Array => {
    const h = createHash("sha256");
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  };
  const enc = (s: string): Uint8Array => {
    const b = utf8(s);
    const out = new Uint8Array(4 + b.length);
    new DataView(out.buffer).setUint32(0, b.length, true);
    out.set(b, 4);
    return out;
  };
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(data.length), true);
  let state = H(utf8("zkc/transcript/v1"), enc(protocol));
  state = H(state, Uint8Array.of(1), enc(label), len, data);
  state = H(state, Uint8Array.of(2), enc(chLabel));
  const wide = new Uint8Array([...H(state, Uint8Array.of(0)), ...H(state, Uint8Array.of(1))]);
  let x = 0n;
  for (let i = wide.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(wide[i]!);
  return x % P;
}

describe("Fiat-Shamir transcript", () => {
  const run = (protocol: string, absorbLabel: string, value: bigint, chLabel = "c"): bigint[] => {
    const t = new Transcript(protocol);
    t.absorbField(absorbLabel, value);
    return t.challenges(chLabel, 3);
  };

  it("follows the documented byte format (checked by an independent node:crypto implementation)", () => {
    const t = new Transcript("zkc/test");
    t.absorbBytes("msg", utf8("hello"));
    expect(t.challenge("alpha")).toBe(referenceFirstChallenge("zkc/test", "msg", utf8("hello"), "alpha"));
    const u = new Transcript("zkc/test");
    u.absorbField("x", 5n);
    expect(u.challenge("alpha")).toBe(referenceFirstChallenge("zkc/test", "x", Fr.toBytes(5n), "alpha"));
  });

  it("is deterministic", () => {
    expect(run("p", "a", 42n)).toEqual(run("p", "a", 42n));
  });

  it("separates protocols, absorb labels, challenge labels and values", () => {
    const base = run("p", "a", 42n);
    expect(run("q", "a", 42n)).not.toEqual(base);
    expect(run("p", "b", 42n)).not.toEqual(base);
    expect(run("p", "a", 43n)).not.toEqual(base);
    expect(run("p", "a", 42n, "d")).not.toEqual(base);
    // successive challenges differ
    expect(new Set(base.map(String)).size).toBe(3);
  });

  it("frames messages: splitting the same bytes differently changes the state", () => {
    const a = new Transcript("p");
    a.absorbBytes("m", utf8("ab"));
    a.absorbBytes("m", utf8("c"));
    const b = new Transcript("p");
    b.absorbBytes("m", utf8("a"));
    b.absorbBytes("m", utf8("bc"));
    expect(hex(a.digest())).not.toBe(hex(b.digest()));
  });

  it("absorbs vectors as the concatenated canonical encodings of their elements", () => {
    const vals = [0n, 1n, P - 1n, 12345n];
    const a = new Transcript("p");
    a.absorbVector("v", FrVector.fromBigints(vals));
    const b = new Transcript("p");
    b.absorbFields("v", vals);
    expect(a.challenge("c")).toBe(b.challenge("c"));
  });

  it("squeezes canonical challenges and rejects non-canonical input and empty labels", () => {
    const t = new Transcript("p");
    for (let i = 0; i < 50; i++) {
      const c = t.challenge("c");
      expect(c >= 0n && c < P).toBe(true);
    }
    expect(() => t.absorbField("x", P)).toThrow(RangeError);
    expect(() => t.absorbFields("x", [1n, -1n])).toThrow(RangeError);
    expect(() => t.challenge("")).toThrow(TypeError);
  });

  it("clone continues identically and independently", () => {
    const t = new Transcript("p");
    t.absorbField("x", 7n);
    const c = t.clone();
    expect(c.challenge("c")).toBe(t.challenge("c"));
    c.absorbField("y", 1n);
    expect(c.challenge("c")).not.toBe(t.challenge("c"));
  });
});
