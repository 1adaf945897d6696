/**
 * The integer program as artifact files (docs/formats.md): `program.json` (tensors without their
 * values, primitives, inputs, outputs) and `weights.bin` (every param's integers as little-endian
 * float64, at the offsets `program.json` names). Browser-safe.
 *
 * Loading validates everything and throws ZkcError (MODEL_FORMAT) naming the file and the field;
 * a malformed file never crashes later code.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { LookupTable, Prim, PrimOp, PrimOrigin, QProgram, QTensor, TensorKind } from "../../compiler/quant/prim.js";
import { float64At, float64Bytes, fromBase64, int32Bytes, int32FromBytes, toBase64 } from "./codec.js";

export const PROGRAM_FORMAT = "zkc-program";
export const PROGRAM_VERSION = 1;

interface TensorEntry {
  name: string;
  shape: number[];
  scale: number;
  maxAbs: number;
  kind: TensorKind;
  onnxName?: string;
  /** params only: where the values sit in weights.bin */
  weights?: { offset: number; count: number };
}

/** Encode a program as `program.json` bytes and `weights.bin` bytes. */
export function encodeProgram(program: QProgram): { program: Uint8Array; weights: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const tensors: TensorEntry[] = [];
  for (const t of program.tensors.values()) {
    const e: TensorEntry = { name: t.name, shape: [...t.shape], scale: t.scale, maxAbs: t.maxAbs, kind: t.kind };
    if (t.onnxName !== undefined) e.onnxName = t.onnxName;
    if (t.kind === "param") {
      const values = t.values ?? new Float64Array(0);
      e.weights = { offset, count: values.length };
      const bytes = float64Bytes(values);
      chunks.push(bytes);
      offset += bytes.length;
    }
    tensors.push(e);
  }
  const prims = program.prims.map(encodePrim);
  const doc: Record<string, unknown> = { format: PROGRAM_FORMAT, version: PROGRAM_VERSION, inputs: program.inputs, outputs: program.outputs, tensors, prims };
  if (program.origins) doc.origins = encodeOrigins(program.origins);
  const json = JSON.stringify(doc);
  const weights = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    weights.set(c, at);
    at += c.length;
  }
  return { program: new TextEncoder().encode(json), weights };
}

/** Origins as the distinct ONNX nodes ([name, op] pairs) and each primitive's index among them. */
function encodeOrigins(origins: readonly PrimOrigin[]): { nodes: [string, string][]; prims: number[] } {
  const nodes: [string, string][] = [];
  const at = new Map<string, number>();
  const prims = origins.map((o) => {
    const key = `${o.node}\u0000${o.op}`;
    let i = at.get(key);
    if (i === undefined) {
      i = nodes.push([o.node, o.op]) - 1;
      at.set(key, i);
    }
    return i;
  });
  return { nodes, prims };
}

function encodePrim(p: Prim): Record<string, unknown> {
  switch (p.op) {
    case "gather":
      return { op: p.op, sources: p.sources, out: p.out, idx: toBase64(int32Bytes(p.idx)), ...(p.src ? { src: toBase64(int32Bytes(p.src)) } : {}) };
    case "lookup":
      return { op: p.op, in: p.in, out: p.out, table: { id: p.table.id, lo: p.table.lo, values: toBase64(float64Bytes(p.table.values)) } };
    default:
      return { ...p };
  }
}

/** Numeric fields of each primitive op (all integers), besides its tensor names. */
const PRIM_FIELDS: Record<PrimOp, { tensors: string[]; ints: string[] }> = {
  matmul: { tensors: ["a", "b", "out"], ints: ["batch", "bBatch", "m", "k", "n"] },
  add: { tensors: ["a", "b", "out"], ints: [] },
  sub: { tensors: ["a", "b", "out"], ints: [] },
  mul: { tensors: ["a", "b", "out"], ints: [] },
  max: { tensors: ["a", "b", "out"], ints: [] },
  scale: { tensors: ["in", "out"], ints: ["factor"] },
  gather: { tensors: ["out"], ints: [] },
  reduceSum: { tensors: ["in", "out"], ints: ["outer", "reduce", "inner"] },
  rescale: { tensors: ["in", "out"], ints: ["shift"] },
  lookup: { tensors: ["in", "out"], ints: [] },
  clamp: { tensors: ["in", "out"], ints: ["lo", "hi"] },
  divide: { tensors: ["num", "den", "out"], ints: ["shift"] },
  argmax: { tensors: ["in", "out"], ints: ["outer", "reduce", "inner"] },
};

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * Decode and validate `program.json` + `weights.bin`.
 * @throws ZkcError MODEL_FORMAT naming the file and the field at fault
 */
export function decodeProgram(programBytes: Uint8Array, weightsBytes: Uint8Array, files = { program: "program.json", weights: "weights.bin" }): QProgram {
  const bad = (field: string, expected: string, file = files.program): never => {
    throw new ZkcError("MODEL_FORMAT", `malformed integer program: field ${field}`, { file, expected, hint: "compile the model again (zkc compile)" });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(programBytes));
  } catch {
    return bad("(document)", "UTF-8 JSON");
  }
  if (!isObj(doc)) return bad("(document)", "an object");
  if (doc.format !== PROGRAM_FORMAT) bad("format", `"${PROGRAM_FORMAT}"`);
  if (doc.version !== PROGRAM_VERSION) bad("version", String(PROGRAM_VERSION));
  const names = (x: unknown, field: string): string[] => {
    if (!Array.isArray(x) || !x.every((s) => typeof s === "string")) bad(field, "an array of tensor names");
    return x as string[];
  };
  const inputs = names(doc.inputs, "inputs");
  const outputs = names(doc.outputs, "outputs");
  if (!Array.isArray(doc.tensors)) bad("tensors", "an array");
  const tensors = new Map<string, QTensor>();
  (doc.tensors as unknown[]).forEach((e, i) => {
    const f = `tensors[${i}]`;
    if (!isObj(e) || typeof e.name !== "string") return bad(`${f}.name`, "a string");
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 1)) bad(`${f}.shape`, "positive integer dimensions");
    if (!Number.isSafeInteger(e.scale)) bad(`${f}.scale`, "an integer");
    if (typeof e.maxAbs !== "number" || !(e.maxAbs >= 0)) bad(`${f}.maxAbs`, "a non-negative number");
    if (e.kind !== "input" && e.kind !== "param" && e.kind !== "intermediate") bad(`${f}.kind`, '"input", "param" or "intermediate"');
    if (e.onnxName !== undefined && typeof e.onnxName !== "string") bad(`${f}.onnxName`, "a string");
    if (tensors.has(e.name)) bad(`${f}.name`, "a unique name");
    const shape = e.shape as number[];
    const t: QTensor = { name: e.name, shape: [...shape], scale: e.scale as number, maxAbs: e.maxAbs as number, kind: e.kind as TensorKind };
    if (typeof e.onnxName === "string") t.onnxName = e.onnxName;
    if (t.kind === "param") {
      const w = e.weights;
      const size = shape.reduce((a, b) => a * b, 1);
      if (!isObj(w) || !Number.isSafeInteger(w.offset) || w.count !== size) return bad(`${f}.weights`, `{offset, count: ${size}}`);
      try {
        t.values = float64At(weightsBytes, w.offset as number, size);
      } catch {
        return bad(`${f}.weights`, `${size} values inside the weights file`, files.weights);
      }
      const values = t.values;
      for (let j = 0; j < values.length; j++) if (!Number.isInteger(values[j]!) || Math.abs(values[j]!) > t.maxAbs) bad(`values of ${e.name}`, `integers within ±${t.maxAbs}`, files.weights);
    }
    tensors.set(t.name, t);
  });
  const known = (name: unknown, field: string): string => {
    if (typeof name !== "string" || !tensors.has(name)) bad(field, "the name of a tensor in `tensors`");
    return name as string;
  };
  inputs.forEach((n, i) => {
    known(n, `inputs[${i}]`);
    if (tensors.get(n)!.kind !== "input") bad(`inputs[${i}]`, "a tensor of kind input");
  });
  outputs.forEach((n, i) => known(n, `outputs[${i}]`));
  if (!Array.isArray(doc.prims)) bad("prims", "an array");
  const prims: Prim[] = (doc.prims as unknown[]).map((e, i) => {
    const f = `prims[${i}]`;
    if (!isObj(e) || typeof e.op !== "string" || !Object.prototype.hasOwnProperty.call(PRIM_FIELDS, e.op)) return bad(`${f}.op`, "a primitive op");
    const op = e.op as PrimOp;
    const spec = PRIM_FIELDS[op];
    const out: Record<string, unknown> = { op };
    for (const k of spec.tensors) out[k] = known(e[k], `${f}.${k}`);
    for (const k of spec.ints) {
      if (!Number.isSafeInteger(e[k])) bad(`${f}.${k}`, "an integer");
      out[k] = e[k];
    }
    const ints32 = (x: unknown, field: string): Int32Array => {
      try {
        if (typeof x !== "string") throw new RangeError("not a string");
        return int32FromBytes(fromBase64(x));
      } catch {
        return bad(field, "base64 of little-endian int32 values");
      }
    };
    if (op === "gather") {
      if (!Array.isArray(e.sources) || e.sources.length === 0) bad(`${f}.sources`, "a non-empty array");
      out.sources = (e.sources as unknown[]).map((s, j) => known(s, `${f}.sources[${j}]`));
      out.idx = ints32(e.idx, `${f}.idx`);
      if (e.src !== undefined) out.src = ints32(e.src, `${f}.src`);
      const n = (out.idx as Int32Array).length;
      const outSize = tensors.get(out.out as string)!.shape.reduce((a, b) => a * b, 1);
      if (n !== outSize || (out.src && (out.src as Int32Array).length !== n)) bad(`${f}.idx`, `${outSize} entries`);
      const srcs = out.sources as string[];
      for (let j = 0; j < n; j++) {
        const s = out.src ? (out.src as Int32Array)[j]! : 0;
        const x = (out.idx as Int32Array)[j]!;
        const size = srcs[s] === undefined ? -1 : tensors.get(srcs[s]!)!.shape.reduce((a, b) => a * b, 1);
        if (s < 0 || s >= srcs.length || x < -1 || x >= size) bad(`${f}.idx[${j}]`, "an index inside its source (or -1)");
      }
    }
    if (op === "lookup") {
      const tab = e.table;
      if (!isObj(tab) || typeof tab.id !== "string" || !Number.isSafeInteger(tab.lo) || typeof tab.values !== "string") return bad(`${f}.table`, "{id, lo, values}");
      let values: Float64Array;
      try {
        const bytes = fromBase64(tab.values);
        values = float64At(bytes, 0, bytes.length / 8);
      } catch {
        return bad(`${f}.table.values`, "base64 of little-endian float64 values");
      }
      if (!values.every((v) => Number.isInteger(v))) bad(`${f}.table.values`, "integers");
      out.table = { id: tab.id, lo: tab.lo as number, values } satisfies LookupTable;
    }
    return out as unknown as Prim;
  });
  const program: QProgram = { tensors, prims, inputs, outputs };
  if (doc.origins !== undefined) program.origins = decodeOrigins(doc.origins, prims.length, bad);
  return program;
}

function decodeOrigins(x: unknown, count: number, bad: (field: string, expected: string) => never): PrimOrigin[] {
  if (!isObj(x) || !Array.isArray(x.nodes) || !Array.isArray(x.prims)) return bad("origins", "{nodes, prims}");
  const nodes = (x.nodes as unknown[]).map((n, i): PrimOrigin => {
    if (!Array.isArray(n) || n.length !== 2 || typeof n[0] !== "string" || typeof n[1] !== "string") return bad(`origins.nodes[${i}]`, "[node name, op type]");
    return { node: n[0], op: n[1] };
  });
  if (x.prims.length !== count) bad("origins.prims", `${count} entries, one per primitive`);
  return (x.prims as unknown[]).map((i, j) => (Number.isSafeInteger(i) && (i as number) >= 0 && (i as number) < nodes.length ? nodes[i as number]! : bad(`origins.prims[${j}]`, "an index into origins.nodes")));
}
