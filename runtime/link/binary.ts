/**
 * Binary building blocks of `proof.bin` (docs/formats.md) and a generic, self-describing codec for
 * proof value trees. Browser-safe: no Node built-ins and no Node buffers.
 *
 * Every value has exactly one encoding (minimal varints, field elements below r, interned strings
 * referenced whenever they repeat, packed field arrays whenever an array holds only field
 * elements), and decoding rejects every other spelling. So a changed byte either fails to decode
 * or decodes to a different proof, which the verifier then rejects: nothing in a proof file is
 * ignored.
 *
 * Value tree tags (one byte, then the payload):
 * | tag | value | payload |
 * |---|---|---|
 * | 0 | undefined (JSON `null`) | — (array items only) |
 * | 1, 2 | false, true | — |
 * | 3 | safe integer | zig-zag varint |
 * | 4 | other finite number | float64 little-endian (never a safe integer) |
 * | 5 | field element (bigint) | 32 bytes little-endian, < r |
 * | 6 | byte string (Uint8Array) | varint length, bytes |
 * | 7 | new string | varint length, UTF-8; appended to the section's string table |
 * | 8 | repeated string | varint index into the string table |
 * | 9 | array | varint count, values (not all field elements, or empty) |
 * | 10 | object | varint count, then per member: key (tag 7 or 8), value (not tag 0) |
 * | 11 | array of field elements | varint count ≥ 1, 32 bytes each |
 */
import { FR_MODULUS } from "../../backends/math/field.js";

/** A decoding problem; `path` names the proof part (section and field). */
export class BinaryFormatError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** A growing byte buffer. */
export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  get length(): number {
    return this.len;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned LEB128 of a safe integer >= 0. */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not an integer >= 0`);
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  /** Zig-zag varint of a safe integer (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...). */
  zigzag(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`zigzag: ${n} is not a safe integer`);
    let z = n >= 0 ? BigInt(n) * 2n : BigInt(-n) * 2n - 1n;
    while (z >= 0x80n) {
      this.byte(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    this.byte(Number(z));
  }

  /** A field element as 32 bytes little-endian. */
  field(v: bigint): void {
    if (typeof v !== "bigint" || v < 0n || v >= FR_MODULUS) throw new RangeError("field: not a field element (0 <= v < r)");
    this.room(32);
    let x = v;
    for (let i = 0; i < 32; i++) {
      this.buf[this.len++] = Number(x & 0xffn);
      x >>= 8n;
    }
  }

  /** Varint length, then UTF-8. */
  string(s: string): void {
    const b = utf8.encode(s);
    this.varint(b.length);
    this.bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** A cursor over bytes; every read checks bounds and canonical form, naming `path` in its error. */
export class ByteReader {
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly offset = 0,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number, path: string): void {
    if (n > this.remaining) throw new BinaryFormatError(path, `truncated: needs ${n} more bytes at byte ${this.offset + this.pos}, ${this.remaining} left`);
  }

  byte(path: string): number {
    this.need(1, path);
    return this.bytes[this.pos++]!;
  }

  take(n: number, path: string): Uint8Array {
    this.need(n, path);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private varBig(path: string, maxBytes: number): bigint {
    let v = 0n;
    for (let i = 0; ; i++) {
      if (i >= maxBytes) throw new BinaryFormatError(path, `varint longer than ${maxBytes} bytes`);
      const b = this.byte(path);
      v |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        // minimal form only: a multi-byte varint never ends in a zero byte
        if (b === 0 && i > 0) throw new BinaryFormatError(path, "non-minimal varint");
        return v;
      }
    }
  }

  varint(path: string): number {
    const v = this.varBig(path, 8);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BinaryFormatError(path, "varint exceeds 2^53 - 1");
    return Number(v);
  }

  /** A count of items that each take at least `minBytes` bytes: bounded by what is left. */
  count(path: string, minBytes = 1): number {
    const n = this.varint(path);
    if (n * minBytes > this.remaining) throw new BinaryFormatError(path, `truncated or corrupt: ${n} items cannot fit in the ${this.remaining} bytes left`);
    return n;
  }

  zigzag(path: string): number {
    const z = this.varBig(path, 8);
    const v = z & 1n ? -((z + 1n) >> 1n) : z >> 1n;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new BinaryFormatError(path, "integer outside ±(2^53 - 1)");
    return Number(v);
  }

  field(path: string): bigint {
    const b = this.take(32, path);
    let hex = "";
    for (let i = 31; i >= 0; i--) hex += (b[i]! < 16 ? "0" : "") + b[i]!.toString(16);
    const v = BigInt(`0x${hex}`);
    if (v >= FR_MODULUS) throw new BinaryFormatError(path, "non-canonical field element (not below the BN254 scalar field modulus r)");
    return v;
  }

  string(path: string): string {
    const n = this.count(path);
    return decodeUtf8(this.take(n, path), path);
  }

  /** Reject bytes left over after a section or the file. */
  end(path: string): void {
    if (this.remaining !== 0) throw new BinaryFormatError(path, `${this.remaining} trailing byte${this.remaining === 1 ? "" : "s"}`);
  }
}

function decodeUtf8(b: Uint8Array, path: string): string {
  try {
    return utf8Strict.decode(b);
  } catch {
    throw new BinaryFormatError(path, "a string is not valid UTF-8");
  }
}

const T = { undef: 0, false: 1, true: 2, int: 3, float: 4, field: 5, bytes: 6, newString: 7, stringRef: 8, array: 9, object: 10, fieldArray: 11 } as const;

const isFieldValue = (x: unknown): x is bigint => typeof x === "bigint" && x >= 0n && x < FR_MODULUS;

/**
 * Encode a proof value tree (objects, arrays, bigints, Uint8Array, numbers, strings, booleans,
 * undefined/null) into `w`. Object members that are undefined or null are left out, as in JSON.
 * @throws RangeError or TypeError for values a proof cannot hold (bigints outside the field,
 * non-finite numbers, other typed arrays)
 */
export function encodeTree(x: unknown, w: ByteWriter): void {
  const strings = new Map<string, number>();
  const str = (s: string): void => {
    const i = strings.get(s);
    if (i !== undefined) {
      w.byte(T.stringRef);
      w.varint(i);
    } else {
      strings.set(s, strings.size);
      w.byte(T.newString);
      w.string(s);
    }
  };
  const value = (v: unknown, path: string): void => {
    if (v === undefined || v === null) return w.byte(T.undef);
    if (v === false) return w.byte(T.false);
    if (v === true) return w.byte(T.true);
    if (typeof v === "number") {
      if (Number.isSafeInteger(v)) {
        w.byte(T.int);
        return w.zigzag(v);
      }
      if (!Number.isFinite(v)) throw new RangeError(`${path}: non-finite number`);
      w.byte(T.float);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, true);
      return w.bytes(b);
    }
    if (typeof v === "bigint") {
      if (!isFieldValue(v)) throw new RangeError(`${path}: bigint is not a field element (0 <= v < r)`);
      w.byte(T.field);
      return w.field(v);
    }
    if (typeof v === "string") return str(v);
    if (v instanceof Uint8Array) {
      w.byte(T.bytes);
      w.varint(v.length);
      return w.bytes(v);
    }
    if (Array.isArray(v)) {
      if (v.length > 0 && v.every(isFieldValue)) {
        w.byte(T.fieldArray);
        w.varint(v.length);
        for (const e of v) w.field(e);
        return;
      }
      w.byte(T.array);
      w.varint(v.length);
      v.forEach((e, i) => value(e, `${path}[${i}]`));
      return;
    }
    if (typeof v === "object") {
      if (ArrayBuffer.isView(v)) throw new TypeError(`${path}: typed arrays other than Uint8Array are not proof values`);
      const members = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== undefined && e !== null);
      w.byte(T.object);
      w.varint(members.length);
      for (const [k, e] of members) {
        str(k);
        value(e, `${path}.${k}`);
      }
      return;
    }
    throw new TypeError(`${path}: a ${typeof v} is not a proof value`);
  };
  value(x, "$");
}

/**
 * Inverse of `encodeTree`, strict (see the module header).
 * @throws BinaryFormatError naming `path` and the member
 */
export function decodeTree(r: ByteReader, path: string): unknown {
  const strings: string[] = [];
  const str = (tag: number, at: string): string => {
    if (tag === T.stringRef) {
      const i = r.varint(at);
      if (i >= strings.length) throw new BinaryFormatError(at, `string reference ${i} before that string appeared`);
      return strings[i]!;
    }
    const s = r.string(at);
    // one encoding per tree: a repeated string must be a reference
    if (strings.includes(s)) throw new BinaryFormatError(at, `the string "${s.slice(0, 32)}" is spelled out again instead of referenced`);
    strings.push(s);
    return s;
  };
  const value = (at: string, depth: number): unknown => {
    if (depth > 64) throw new BinaryFormatError(at, "nesting deeper than 64 levels");
    const tag = r.byte(at);
    switch (tag) {
      case T.undef:
        return undefined;
      case T.false:
        return false;
      case T.true:
        return true;
      case T.int:
        return r.zigzag(at);
      case T.float: {
        const b = r.take(8, at);
        const v = new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
        if (!Number.isFinite(v) || Number.isSafeInteger(v) || Object.is(v, -0)) throw new BinaryFormatError(at, "a float64 that is not finite or should be an integer");
        return v;
      }
      case T.field:
        return r.field(at);
      case T.bytes: {
        const n = r.count(at);
        return new Uint8Array(r.take(n, at)); // a copy: `slice` of a Node Buffer would be a view
      }
      case T.newString:
      case T.stringRef:
        return str(tag, at);
      case T.array: {
        const n = r.count(at);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(value(`${at}[${i}]`, depth + 1));
        if (n > 0 && out.every((e) => typeof e === "bigint")) throw new BinaryFormatError(at, "an array of field elements must use the packed form");
        return out;
      }
      case T.object: {
        const n = r.count(at, 2);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const keyTag = r.byte(`${at}{key ${i}}`);
          if (keyTag !== T.newString && keyTag !== T.stringRef) throw new BinaryFormatError(`${at}{key ${i}}`, `expected a string key, got tag ${keyTag}`);
          const k = str(keyTag, `${at}{key ${i}}`);
          if (Object.prototype.hasOwnProperty.call(out, k)) throw new BinaryFormatError(`${at}.${k}`, "duplicate key");
          const v = value(`${at}.${k}`, depth + 1);
          if (v === undefined) throw new BinaryFormatError(`${at}.${k}`, "absent members are left out, not null");
          // defineProperty: a key "__proto__" stays a plain member
          Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case T.fieldArray: {
        const n = r.count(at, 32);
        if (n === 0) throw new BinaryFormatError(at, "an empty array must use the plain form");
        const out: bigint[] = [];
        for (let i = 0; i < n; i++) out.push(r.field(`${at}[${i}]`));
        return out;
      }
      default:
        throw new BinaryFormatError(at, `unknown value tag ${tag}`);
    }
  };
  return value(path, 0);
}
