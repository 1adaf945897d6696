/**
 * Base64 benchmark (`npm run bench:base64`): runtime/link/codec.ts's browser-safe toBase64 /
 * fromBase64 (@scure/base) against Node's Buffer and against btoa/atob over a byte string with a
 * re-encoding canonical check (the codec's former code, kept here as the baseline).
 * MB/s of input bytes, best of several runs; every result is checked against Buffer's.
 */
import { fromBase64, toBase64 } from "../runtime/link/codec.js";
import { bestMs as best } from "./best-of.js";

function btoaEncode(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function atobDecode(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  if (btoaEncode(out) !== text) throw new RangeError("non-canonical base64");
  return out;
}

type Codec = { name: string; encode: (b: Uint8Array) => string; decode: (s: string) => Uint8Array };
const codecs: Codec[] = [
  { name: "btoa/atob", encode: btoaEncode, decode: atobDecode },
  { name: "codec (@scure/base)", encode: toBase64, decode: fromBase64 },
  { name: "node Buffer", encode: (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64"), decode: (s) => Buffer.from(s, "base64") },
];


let seed = 1;
const bytesOf = (n: number) => Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
// a commitment (32 B, many per proof), a program table (64 KiB), weights-sized (4 MiB)
for (const [size, count] of [[32, 20000], [65536, 20], [4 << 20, 1]] as const) {
  const inputs = Array.from({ length: count }, () => bytesOf(size));
  const texts = inputs.map((b) => Buffer.from(b).toString("base64"));
  const line: string[] = [];
  for (const c of codecs) {
    for (let i = 0; i < Math.min(count, 3); i++) {
      if (c.encode(inputs[i]!) !== texts[i]) throw new Error(`${c.name} encodes differently`);
      if (!Buffer.from(c.decode(texts[i]!)).equals(Buffer.from(inputs[i]!))) throw new Error(`${c.name} decodes differently`);
    }
    const mb = (size * count) / 1e6;
    const enc = best(5, () => inputs.forEach((b) => c.encode(b)));
    const dec = best(5, () => texts.forEach((s) => c.decode(s)));
    line.push(`${c.name}: encode ${(mb / (enc / 1000)).toFixed(0)} MB/s, decode ${(mb / (dec / 1000)).toFixed(0)} MB/s`);
  }
  console.log(`${String(size).padStart(8)} B ×${count}: ${line.join("; ")}`);
}
