/**
 * Writers for snarkjs's binary `.r1cs` (version 1) and `.wtns` (version 2) formats.
 *
 * Both are "iden3 binfile" containers, all integers little-endian:
 *   magic (4 ASCII bytes) | version u32 | nSections u32 | sections: type u32 | size u64 | payload.
 * Field elements are 32 bytes, little-endian, standard (non-Montgomery) form, reduced mod r.
 */
import { createHash } from "node:crypto";
import { FIELD_MODULUS } from "./field.js";
import type { R1cs, Terms } from "./r1cs.js";

const N8 = 32;

/** Growable little-endian byte writer. */
class ByteWriter {
  private buf = new Uint8Array(1 << 12);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  u64(v: number | bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }

  /** A field element (or any value < 2^256) as 32 little-endian bytes. */
  fe(v: bigint): void {
    this.ensure(N8);
    const at = this.length;
    if (v >= 0n && v <= 0xffffffffn) {
      // small coefficients (±1 and shifts are most of them) skip the bigint limb split
      this.view.setUint32(at, Number(v), true);
      this.buf.fill(0, at + 4, at + N8);
    } else {
      let x = v;
      for (let i = 0; i < N8 / 8; i++) {
        this.view.setBigUint64(at + 8 * i, BigInt.asUintN(64, x), true);
        x >>= 64n;
      }
    }
    this.length += N8;
  }

  /** Reserves a u64 section size slot and returns its offset. */
  placeholderU64(): number {
    const at = this.length;
    this.u64(0);
    return at;
  }

  patchU64(at: number, v: number): void {
    this.view.setBigUint64(at, BigInt(v), true);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function section(w: ByteWriter, type: number, body: () => void): void {
  w.u32(type);
  const sizeAt = w.placeholderU64();
  const start = w.length;
  body();
  w.patchU64(sizeAt, w.length - start);
}

function writeTerms(w: ByteWriter, t: Terms): void {
  w.u32(t.length);
  for (const [wire, c] of t) {
    w.u32(wire);
    w.fe(c);
  }
}

/**
 * Serialises an R1CS in snarkjs's `.r1cs` format: header (1), constraints (2) and the
 * wire-to-label map (3, identity: label i names wire i, see `r1cs.wireNames`).
 */
export function writeR1cs(r1cs: R1cs): Uint8Array {
  const w = new ByteWriter();
  w.ascii("r1cs");
  w.u32(1);
  w.u32(3);
  section(w, 1, () => {
    w.u32(N8);
    w.fe(FIELD_MODULUS);
    w.u32(r1cs.nWires);
    w.u32(r1cs.nPubOut);
    w.u32(r1cs.nPubIn);
    w.u32(r1cs.nPrvIn);
    w.u64(r1cs.nWires); // nLabels
    w.u32(r1cs.constraints.length);
  });
  section(w, 2, () => {
    for (const k of r1cs.constraints) {
      writeTerms(w, k.a);
      writeTerms(w, k.b);
      writeTerms(w, k.c);
    }
  });
  section(w, 3, () => {
    for (let i = 0; i < r1cs.nWires; i++) w.u64(i);
  });
  return w.bytes();
}

/** Serialises a witness (canonical residues, witness[0] = 1) in snarkjs's `.wtns` format. */
export function writeWtns(witness: readonly bigint[]): Uint8Array {
  const w = new ByteWriter();
  w.ascii("wtns");
  w.u32(2);
  w.u32(2);
  section(w, 1, () => {
    w.u32(N8);
    w.fe(FIELD_MODULUS);
    w.u32(witness.length);
  });
  section(w, 2, () => {
    for (const v of witness) w.fe(v);
  });
  return w.bytes();
}

/** Reads the witness values back from `.wtns` bytes (used by tests and debugging tools). */
export function readWtns(bytes: Uint8Array): bigint[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "wtns") throw new RangeError(`readWtns: expected magic "wtns", got "${magic}"`);
  let pos = 12;
  let n = 0;
  let valuesAt = -1;
  const nSections = view.getUint32(8, true);
  for (let s = 0; s < nSections; s++) {
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    const body = pos + 12;
    if (type === 1) n = view.getUint32(body + 4 + N8, true);
    if (type === 2) valuesAt = body;
    pos = body + size;
  }
  if (valuesAt < 0) throw new RangeError("readWtns: no values section");
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    let v = 0n;
    for (let j = N8 / 4 - 1; j >= 0; j--) v = (v << 32n) | BigInt(view.getUint32(valuesAt + i * N8 + 4 * j, true));
    out.push(v);
  }
  return out;
}

/** Hex sha256 of some bytes (circuit digests, ptau identities). */
export function sha256Hex(...parts: (Uint8Array | string)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}
