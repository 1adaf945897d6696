/**
 * Fiat-Shamir transcript over SHA-256 (the prover and the verifier run the same calls in the same
 * order; one transcript per proof bundle, owned by the caller, shared by every sub-protocol).
 *
 * Format (all integers little-endian; `enc(s)` = u32 byte length ‖ UTF-8 bytes of s):
 * - start:    state = SHA256("zkc/transcript/v1" ‖ enc(protocol))
 * - absorb:   state = SHA256(state ‖ 0x01 ‖ enc(label) ‖ u64 byteLength(data) ‖ data)
 *   field elements are 32-byte little-endian canonical encodings, concatenated for vectors, so the
 *   length prefix also fixes the element count.
 * - squeeze:  state = SHA256(state ‖ 0x02 ‖ enc(label));
 *             challenge = LE(SHA256(state ‖ 0x00) ‖ SHA256(state ‖ 0x01)) mod r
 *   i.e. 512 uniform bits reduced mod r (statistical distance from uniform < 2^-258).
 * Every operation is labelled, so the same bytes under another label give another state.
 */
import { Fr, FrVector, writeBigintLE } from "./field.js";
import { sha256 } from "./sha256.js";

const encoder = new TextEncoder();
const DOMAIN = encoder.encode("zkc/transcript/v1");

/** Encoded labels: a proof uses a few dozen, each thousands of times (read-only, never handed out). */
const labelCache = new Map<string, Uint8Array>();

function encLabel(label: string): Uint8Array {
  const cached = labelCache.get(label);
  if (cached) return cached;
  const bytes = encoder.encode(label);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  if (labelCache.size < 4096) labelCache.set(label, out);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, n >>> 0, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  return out;
}

function checkLabel(label: string, where: string): void {
  if (typeof label !== "string" || label.length === 0) {
    throw new TypeError(`${where}: expected a non-empty string label, got ${String(label)}`);
  }
}

/** A SHA-256 Fiat-Shamir transcript (see the module header for the exact byte format). */
export class Transcript {
  private state: Uint8Array;

  /** @param protocol domain-separation label for the whole proof (e.g. "zkc/bundle") */
  constructor(protocol: string) {
    checkLabel(protocol, "Transcript");
    this.state = sha256(concat([DOMAIN, encLabel(protocol)]));
  }

  /** Absorb raw bytes under a label. */
  absorbBytes(label: string, data: Uint8Array): void {
    checkLabel(label, "Transcript.absorbBytes");
    this.state = sha256(concat([this.state, Uint8Array.of(0x01), encLabel(label), u64(data.length), data]));
  }

  /**
   * Absorb one field element.
   * @throws RangeError for a non-canonical value
   */
  absorbField(label: string, x: bigint): void {
    if (!Fr.isValid(x)) throw new RangeError(`Transcript.absorbField: expected a canonical element, got ${String(x)}`);
    this.absorbBytes(label, Fr.toBytes(x));
  }

  /**
   * Absorb a list of field elements as one message.
   * @throws RangeError for a non-canonical value
   */
  absorbFields(label: string, xs: readonly bigint[]): void {
    const data = new Uint8Array(32 * xs.length);
    xs.forEach((x, i) => {
      if (!Fr.isValid(x)) throw new RangeError(`Transcript.absorbFields: expected canonical elements, element ${i} is ${String(x)}`);
      writeBigintLE(data, 32 * i, x, 32);
    });
    this.absorbBytes(label, data);
  }

  /** Absorb a vector (same bytes as absorbFields of its elements). */
  absorbVector(label: string, v: FrVector): void {
    this.absorbBytes(label, v.toBytes());
  }

  /** Squeeze one challenge, uniform in Fr (512-bit wide reduction). */
  challenge(label: string): bigint {
    checkLabel(label, "Transcript.challenge");
    this.state = sha256(concat([this.state, Uint8Array.of(0x02), encLabel(label)]));
    const wide = concat([sha256(concat([this.state, Uint8Array.of(0x00)])), sha256(concat([this.state, Uint8Array.of(0x01)]))]);
    return Fr.fromBytesWide(wide);
  }

  /** n challenges under one label (n successive squeezes). */
  challenges(label: string, n: number): bigint[] {
    return Array.from({ length: n }, () => this.challenge(label));
  }

  /** The current 32-byte state (for tests and for binding a transcript position into a digest). */
  digest(): Uint8Array {
    return this.state.slice();
  }

  /** An independent copy at the same position. */
  clone(): Transcript {
    const t = Object.create(Transcript.prototype) as Transcript;
    t.state = this.state.slice();
    return t;
  }
}
