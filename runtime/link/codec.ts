/**
 * JSON encodings shared by the manifest, the proof bundle and the program file. Browser-safe (no
 * Node built-ins, no Buffer).
 *
 * Proof values are trees of plain objects, arrays, strings, numbers, booleans, bigints (field
 * elements) and byte strings (commitments). In JSON:
 * - a bigint is the string "0x" + lowercase hex without leading zeros ("0x0" for zero);
 * - a Uint8Array is the string "b64:" + standard base64;
 * - `undefined` (absent optional parts, e.g. a claim combination that was not needed) is `null`.
 * Decoding is the exact inverse and rejects non-canonical spellings (upper-case or zero-padded hex),
 * so one proof has one encoding and a changed byte changes a value or fails to decode.
 */

import { base64 } from "@scure/base";

const HEX = /^0x(0|[1-9a-f][0-9a-f]*)$/;
const B64 = /^b64:[A-Za-z0-9+/]*={0,2}$/;

/**
 * Base64 of bytes: @scure/base (audited, no dependencies, browser-safe; the native
 * Uint8Array.toBase64 where the runtime has it). About 10× btoa over a byte string on Node 20
 * (scripts/bench-base64.ts).
 */
export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/**
 * Bytes of base64 text. @scure/base decodes strictly (RFC 4648: padding required, no whitespace,
 * zero pad bits), so each byte string has exactly one accepted spelling.
 * @throws RangeError for text that is not canonical base64
 */
export function fromBase64(text: string): Uint8Array {
  try {
    return base64.decode(text);
  } catch {
    throw new RangeError("not canonical base64");
  }
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Encode a proof value tree for JSON (see the module header). */
export function encodeValue(x: unknown): unknown {
  if (typeof x === "bigint") {
    if (x < 0n) throw new RangeError("encodeValue: negative bigint");
    return `0x${x.toString(16)}`;
  }
  if (x instanceof Uint8Array) return `b64:${toBase64(x)}`;
  if (x === undefined || x === null) return null;
  if (Array.isArray(x)) return x.map(encodeValue);
  if (typeof x === "object") {
    if (ArrayBuffer.isView(x)) throw new TypeError("encodeValue: typed arrays other than Uint8Array are not proof values");
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (v !== undefined) out[k] = encodeValue(v);
    return out;
  }
  if (typeof x === "number" && !Number.isFinite(x)) throw new RangeError("encodeValue: non-finite number");
  return x;
}

/**
 * Inverse of `encodeValue`.
 * @throws RangeError naming the path of a malformed "0x"/"b64:" string
 */
export function decodeValue(x: unknown, path = "$"): unknown {
  if (x === null) return undefined;
  if (typeof x === "string") {
    if (x.startsWith("0x")) {
      if (!HEX.test(x)) throw new RangeError(`${path}: malformed field element "${x.slice(0, 24)}"`);
      return BigInt(x);
    }
    if (x.startsWith("b64:")) {
      if (!B64.test(x)) throw new RangeError(`${path}: malformed byte string`);
      try {
        return fromBase64(x.slice(4));
      } catch (e) {
        throw new RangeError(`${path}: ${(e as Error).message}`);
      }
    }
    return x;
  }
  if (Array.isArray(x)) return x.map((v, i) => decodeValue(v, `${path}[${i}]`));
  if (typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) out[k] = decodeValue(v, `${path}.${k}`);
    return out;
  }
  return x;
}

/** JSON text with keys in insertion order, for digests: callers build objects in a fixed order. */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
}

/** Float64Array <-> little-endian bytes (exact integers of the program and weights). */
export function float64Bytes(values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return out;
}

/** Read `count` little-endian float64 values at `offset` bytes; RangeError when out of bounds. */
export function float64At(bytes: Uint8Array, offset: number, count: number): Float64Array {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(count) || offset < 0 || count < 0 || offset + count * 8 > bytes.length) {
    throw new RangeError(`float64At: ${count} values at byte ${offset} exceed the ${bytes.length} bytes`);
  }
  // a little-endian platform (every one JS runs on in practice) reads the copied bytes as they are;
  // Uint8Array's slice copies (a Node Buffer's own slice is a view into a larger buffer)
  if (LITTLE_ENDIAN) return new Float64Array(Uint8Array.prototype.slice.call(bytes, offset, offset + count * 8).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + i * 8, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Int32Array <-> little-endian bytes (index maps of gathers). */
export function int32Bytes(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}

/** Inverse of `int32Bytes`; RangeError for a length that is not a multiple of 4. */
export function int32FromBytes(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) throw new RangeError("int32FromBytes: length is not a multiple of 4");
  if (LITTLE_ENDIAN) return new Int32Array(Uint8Array.prototype.slice.call(bytes).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}
