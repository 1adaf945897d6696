/**
 * `proof.bin`: the proof bundle in a compact, versioned binary form (docs/formats.md has the
 * layout). Browser-safe. The same bundle as `proof.json` (runtime/proof.ts): decoding gives the
 * value tree JSON decoding gives, then the same envelope checks; the verifier cannot tell the two
 * apart.
 *
 * header: magic "\x89zkcp" (the 0x89 byte is never the start of JSON text), varint version;
 * then sections, each `u8 kind, varint length, payload`: one statement (kind 1), one per kernel in
 * manifest order (kind 2), one with the boundary claims (kind 3), and, when the bundle has any of
 * the optional fields (prover warnings; independent linking's boundary openings and fresh claim
 * values), one extras section (kind 4) holding them as a value tree; nothing after. Every
 * section's payload is read to its end exactly.
 */
import type { BackendRegistry, BackendVerifier } from "../backends/contract.js";
import { BinaryFormatError, ByteReader, ByteWriter, decodeTree, encodeTree } from "./link/binary.js";
import { PROOF_FORMAT, PROOF_VERSION, checkProofDocument, parseProof, type ParsedProof, type ProofBundle } from "./proof.js";

export const PROOF_MAGIC = Uint8Array.from([0x89, 0x7a, 0x6b, 0x63, 0x70]);
export const PROOF_BINARY_VERSION = 1;

const SECTION = { statement: 1, kernel: 2, claims: 3, extras: 4 } as const;
/** Optional bundle fields, carried in the extras section as one value tree (absent when none is set). */
const EXTRAS = ["warnings", "boundary", "freshClaims"] as const;
const VIS = ["public", "hashed"] as const;

/** Bytes of an ArrayBuffer or a view, else undefined. */
function bytesOf(x: unknown): Uint8Array | undefined {
  // a plain Uint8Array view also of a Node Buffer (whose `slice` would not copy)
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return undefined;
}

/** True for bytes that start with the binary proof magic. */
export function isBinaryProof(x: unknown): boolean {
  const b = bytesOf(x);
  return !!b && b.length >= PROOF_MAGIC.length && PROOF_MAGIC.every((m, i) => b[i] === m);
}

/** 32 bytes of a 64-hex-digit digest. */
function fromHexDigest(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new RangeError("manifestDigest: expected 64 hex digits");
  return Uint8Array.from({ length: 32 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

/** The exponent k with floats[i] = integers[i] · 2^-k for every i (0 when all are zero). */
function scaleOf(ints: readonly number[], floats: readonly number[], name: string): number {
  const at = ints.findIndex((v) => v !== 0);
  const k = at < 0 ? 0 : -Math.log2(floats[at]! / ints[at]!);
  if (!Number.isSafeInteger(k) || floats.length !== ints.length || floats.some((f, i) => f !== ints[i]! * 2 ** -k)) {
    throw new RangeError(`output "${name}": the floats are not the integers times a power of two`);
  }
  return k;
}

/**
 * The binary bytes of a bundle. `backends` gives each kernel's optional `packBinary` (compressed
 * curve points for Groth16).
 * @throws RangeError for a bundle that is not well formed (a prover bug, not user input)
 */
export function serializeProofBinary(p: ProofBundle, backends: BackendRegistry<BackendVerifier>): Uint8Array {
  const w = new ByteWriter();
  w.bytes(PROOF_MAGIC);
  w.varint(PROOF_BINARY_VERSION);
  const section = (kind: number, body: (s: ByteWriter) => void): void => {
    const s = new ByteWriter();
    body(s);
    const b = s.finish();
    w.byte(kind);
    w.varint(b.length);
    w.bytes(b);
  };
  section(SECTION.statement, (s) => {
    s.bytes(fromHexDigest(p.manifestDigest));
    s.varint(p.inputs.length);
    for (const x of p.inputs) {
      s.string(x.name);
      s.byte(VIS.indexOf(x.visibility));
      if (x.visibility === "public") {
        s.varint(x.integers!.length);
        for (const v of x.integers!) s.zigzag(v);
      } else s.field(x.hash!);
    }
    s.varint(p.outputs.length);
    for (const x of p.outputs) {
      s.string(x.name);
      s.string(x.onnxName);
      s.varint(x.shape.length);
      for (const d of x.shape) s.varint(d);
      s.byte(VIS.indexOf(x.visibility));
      if (x.visibility === "public") {
        // the floats are the integers dequantised: one exponent stores them exactly
        s.zigzag(scaleOf(x.integers!, x.floats!, x.onnxName));
        s.varint(x.integers!.length);
        for (const v of x.integers!) s.zigzag(v);
      } else s.field(x.hash!);
    }
    s.varint(p.commitments.length);
    for (const c of p.commitments) {
      s.string(c.tensor);
      s.field(c.value);
    }
  });
  for (const k of p.kernels) {
    section(SECTION.kernel, (s) => {
      const { name, backend, ...fields } = k;
      s.string(name);
      s.string(backend);
      const b = backends.get(backend);
      encodeTree(b.packBinary ? b.packBinary(fields) : fields, s);
    });
  }
  const kernelIndex = new Map(p.kernels.map((k, i) => [k.name, i] as const));
  section(SECTION.claims, (s) => {
    s.varint(p.claims.length);
    for (const c of p.claims) {
      const i = kernelIndex.get(c.kernel);
      if (i === undefined) throw new RangeError(`claim on "${c.tensor}": no kernel "${c.kernel}" in the bundle`);
      s.varint(i);
      s.string(c.tensor);
      s.varint(c.point.length);
      for (const x of c.point) s.field(x);
      s.field(c.value);
    }
  });
  const extras: Record<string, unknown> = {};
  for (const k of EXTRAS) if (p[k] !== undefined) extras[k] = p[k];
  if (Object.keys(extras).length > 0) section(SECTION.extras, (s) => encodeTree(extras, s));
  return w.finish();
}

/**
 * Decode a binary proof and check its envelope. Never throws: a problem is `{ok: false, field,
 * reason}` with the section and field in `field`.
 */
export function parseProofBinary(input: Uint8Array | ArrayBuffer, backends: BackendRegistry<BackendVerifier>): ParsedProof {
  const bytes = bytesOf(input)!;
  try {
    return checkProofDocument(decodeBinary(bytes, backends));
  } catch (e) {
    if (e instanceof BinaryFormatError) return { ok: false, field: e.path, reason: e.detail };
    return { ok: false, field: "(document)", reason: e instanceof Error ? e.message : String(e) };
  }
}

function decodeBinary(bytes: Uint8Array, backends: BackendRegistry<BackendVerifier>): Record<string, unknown> {
  const r = new ByteReader(bytes);
  if (!isBinaryProof(bytes)) throw new BinaryFormatError("(header)", "not a zkc binary proof (the magic bytes differ)");
  r.take(PROOF_MAGIC.length, "(header)");
  const version = r.varint("(header).version");
  if (version !== PROOF_BINARY_VERSION) throw new BinaryFormatError("(header).version", `unsupported binary proof version ${version}: this zkc reads version ${PROOF_BINARY_VERSION}`);
  // statement, kernels (as many as there are), claims, then the end of the file
  const sections: { kind: number; body: ByteReader }[] = [];
  const names = ["statement", "kernel", "claims", "extras"];
  for (;;) {
    const i = sections.length;
    const at = r.pos;
    const kind = r.byte(`section ${i}`);
    if (kind !== SECTION.statement && kind !== SECTION.kernel && kind !== SECTION.claims) throw new BinaryFormatError(`section ${i}`, `unknown section kind ${kind} at byte ${at}`);
    const expected: number[] = i === 0 ? [SECTION.statement] : [SECTION.kernel, SECTION.claims];
    if (!expected.includes(kind)) throw new BinaryFormatError(`section ${i}`, `a ${names[kind - 1]} section at byte ${at}: expected ${expected.map((k) => names[k - 1]).join(" or ")}`);
    const n = r.count(`section ${i} (${names[kind - 1]}).length`);
    const start = r.pos;
    sections.push({ kind, body: new ByteReader(r.take(n, `section ${i} (${names[kind - 1]})`), start) });
    if (kind === SECTION.claims) break;
  }
  let extras: Record<string, unknown> = {};
  let last = "claims";
  if (r.pos < bytes.length && bytes[r.pos] === SECTION.extras) {
    r.byte("extras");
    const n = r.count("extras.length");
    const start = r.pos;
    const body = new ByteReader(r.take(n, "extras"), start);
    const tree = decodeTree(body, "extras");
    body.end("extras");
    if (typeof tree !== "object" || tree === null || Array.isArray(tree) || tree instanceof Uint8Array) throw new BinaryFormatError("extras", "expected an object");
    const keys = Object.keys(tree);
    if (keys.length === 0 || keys.some((k) => !(EXTRAS as readonly string[]).includes(k))) throw new BinaryFormatError("extras", `expected some of ${EXTRAS.join(", ")}`);
    extras = tree as Record<string, unknown>;
    last = "extras";
  }
  r.end(`(file) after the ${last} section`);

  const st = sections[0]!.body;
  const digestBytes = st.take(32, "statement.manifestDigest");
  let manifestDigest = "";
  for (const b of digestBytes) manifestDigest += b.toString(16).padStart(2, "0");
  const vis = (path: string): (typeof VIS)[number] => {
    const v = st.byte(path);
    if (v >= VIS.length) throw new BinaryFormatError(path, `unknown visibility ${v}`);
    return VIS[v]!;
  };
  const ints = (path: string): number[] => {
    const n = st.count(path);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(st.zigzag(`${path}[${i}]`));
    return out;
  };
  const inputs = Array.from({ length: st.count("statement.inputs", 3) }, (_, i) => {
    const path = `statement.inputs[${i}]`;
    const name = st.string(`${path}.name`);
    const visibility = vis(`${path}.visibility`);
    return visibility === "public" ? { name, visibility, integers: ints(`${path}.integers`) } : { name, visibility, hash: st.field(`${path}.hash`) };
  });
  const outputs = Array.from({ length: st.count("statement.outputs", 5) }, (_, i) => {
    const path = `statement.outputs[${i}]`;
    const name = st.string(`${path}.name`);
    const onnxName = st.string(`${path}.onnxName`);
    const shape = Array.from({ length: st.count(`${path}.shape`) }, (_, d) => st.varint(`${path}.shape[${d}]`));
    const visibility = vis(`${path}.visibility`);
    if (visibility === "hashed") return { name, onnxName, shape, visibility, hash: st.field(`${path}.hash`) };
    const scale = st.zigzag(`${path}.scale`);
    if (Math.abs(scale) > 200) throw new BinaryFormatError(`${path}.scale`, `scale ${scale} is out of range`);
    const integers = ints(`${path}.integers`);
    // all-zero integers fit any scale: the encoder writes 0, so that no other byte decodes the same
    if (scale !== 0 && integers.every((v) => v === 0)) throw new BinaryFormatError(`${path}.scale`, "the integers are all zero: the scale must be 0");
    return { name, onnxName, shape, visibility, integers, floats: integers.map((v) => v * 2 ** -scale) };
  });
  const commitments = Array.from({ length: st.count("statement.commitments", 33) }, (_, i) => ({
    tensor: st.string(`statement.commitments[${i}].tensor`),
    value: st.field(`statement.commitments[${i}].value`),
  }));
  st.end("statement");

  const kernels = sections.slice(1, -1).map(({ body }, i) => {
    const path = `kernels[${i}]`;
    const name = body.string(`${path}.name`);
    const backend = body.string(`${path}.backend`);
    const where = `${path} (${name})`;
    const tree = decodeTree(body, where);
    body.end(where);
    if (typeof tree !== "object" || tree === null || Array.isArray(tree) || tree instanceof Uint8Array) throw new BinaryFormatError(where, "expected an object of proof fields");
    if ("name" in tree || "backend" in tree) throw new BinaryFormatError(where, "the proof fields repeat name or backend");
    const b = backends.find(backend);
    if (!b) throw new BinaryFormatError(`${path}.backend`, `no backend named "${backend}" is known to this verifier`);
    let fields = tree as Record<string, unknown>;
    if (b.unpackBinary) {
      const u = b.unpackBinary(fields);
      if (!u.ok) throw new BinaryFormatError(where, u.reason);
      fields = u.fields;
    }
    return { name, backend, ...fields };
  });

  const cl = sections.at(-1)!.body;
  const claims = Array.from({ length: cl.count("claims", 35) }, (_, i) => {
    const path = `claims[${i}]`;
    const k = cl.varint(`${path}.kernel`);
    if (k >= kernels.length) throw new BinaryFormatError(`${path}.kernel`, `kernel index ${k}, the proof has ${kernels.length} kernels`);
    const tensor = cl.string(`${path}.tensor`);
    const point = Array.from({ length: cl.count(`${path}.point`, 32) }, (_, j) => cl.field(`${path}.point[${j}]`));
    return { kernel: kernels[k]!.name, tensor, point, value: cl.field(`${path}.value`) };
  });
  cl.end("claims");
  return { format: PROOF_FORMAT, version: PROOF_VERSION, manifestDigest, inputs, outputs, commitments, kernels, claims, ...extras };
}

/**
 * A proof in either form: binary bytes (by their magic), JSON text (a string or UTF-8 bytes), or
 * parsed JSON. Never throws.
 */
export function parseAnyProof(input: unknown, backends: BackendRegistry<BackendVerifier>): ParsedProof {
  const b = bytesOf(input);
  if (!b) return parseProof(input);
  if (isBinaryProof(b)) return parseProofBinary(b, backends);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return { ok: false, field: "(document)", reason: "neither a zkc binary proof (magic bytes) nor UTF-8 JSON text" };
  }
  return parseProof(text);
}
