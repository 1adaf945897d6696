/**
 * Proof mutation campaign: prove once per plan and input, then mutate the proof JSON (and the
 * artifacts it is checked against) many times and verify each mutant. Every mutant must be
 * rejected with a reason; the verifier must never throw (a reason "verification failed: ..." means
 * a non-ZkcError escaped a check, which the campaign reports as an internal error).
 *
 * Deterministic: case i of plan P uses an RNG seeded from (seed, P, i), so one case replays alone
 * (`npm run fuzz -- --case P:i`).
 */
import { FIELD_MODULUS } from "../../backends/groth16/field.js";
import { manifestDigest, parseManifest, sha256Hex } from "../../runtime/manifest.js";
import { toHex } from "../../runtime/link/codec.js";
import { verify } from "../../runtime/verify.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { clone, compile, proveJson, tinyClassifier, type Json, type TestModel } from "../link/helpers.js";
import { forgeGroth16 } from "./forge.js";
import { Rand, hashSeed } from "./rand.js";

const R = FIELD_MODULUS;

export const PROOF_PLANS = ["gkr", "auto", "hashed", "whole"] as const;
export type ProofPlan = (typeof PROOF_PLANS)[number];

export const PROOF_CLASSES = ["field", "bytes", "structure", "splice", "statement", "artifacts", "forgery"] as const;
export type ProofClass = (typeof PROOF_CLASSES)[number];

/** Relative weights of the classes (bytes falls back to field on a plan without byte strings). */
const WEIGHTS: Record<ProofClass, number> = { field: 34, bytes: 10, structure: 20, splice: 14, statement: 10, artifacts: 9, forgery: 3 };

/** A plan, proven on two inputs (B is the splice donor). */
export interface PreparedPlan {
  plan: ProofPlan;
  model: TestModel;
  compiled: CompiledModel;
  a: Json;
  b: Json;
  /** the same model compiled on the insecure seeded setup, for the trust check (whole-model plan) */
  seeded?: { compiled: CompiledModel; a: Json };
}

export async function preparePlan(plan: ProofPlan): Promise<PreparedPlan> {
  const model = plan === "gkr" ? tinyClassifier(1, false) : plan === "whole" ? tinyClassifier(5, false, 1) : tinyClassifier(1);
  const opts =
    plan === "gkr" ? { backend: "gkr" } : plan === "whole" ? { backend: "groth16" } : plan === "hashed" ? { backend: "auto", inputVisibility: "hashed" as const, outputVisibility: "hashed" as const } : { backend: "auto" };
  const compiled = await compile(model, opts);
  const other = { x: model.input.x!.map((v, i) => (i % 2 ? -v : v * 0.5)) };
  const a = (await proveJson(compiled, model.input)).json;
  const b = (await proveJson(compiled, other)).json;
  let seeded: PreparedPlan["seeded"];
  // the trust check and the forgery control on the whole-model plan: there the forged proof is the
  // whole statement (in a mixed plan it changes the transcript, so later kernels fail anyway)
  if (plan === "whole") {
    const s = await compile(model, { ...opts, insecureDevSetup: true });
    seeded = { compiled: s, a: (await proveJson(s, model.input)).json };
  }
  return { plan, model, compiled, a, b, ...(seeded ? { seeded } : {}) };
}

/** One mutant: what to verify, and against which artifacts. */
interface Mutant {
  what: string;
  proof: unknown;
  manifest?: unknown;
  files?: Map<string, Uint8Array>;
  allowInsecure?: boolean;
  /** the trust check must refuse it (seeded keys, no override) */
  expectTrustRefusal?: boolean;
  /** a control: must be accepted (shows that the construction it belongs to really works) */
  expectAccept?: boolean;
}

export interface CaseResult {
  plan: ProofPlan;
  cls: ProofClass;
  index: number;
  what: string;
  outcome: "rejected" | "accepted" | "internal" | "noop" | "control-ok" | "control-failed";
  reason?: string;
  mutant?: Mutant;
}

/** Every leaf of a JSON tree with its path and a setter. */
interface Leaf {
  path: (string | number)[];
  value: unknown;
  set(v: unknown): void;
}

function leaves(root: unknown): Leaf[] {
  const out: Leaf[] = [];
  const walk = (x: unknown, path: (string | number)[]): void => {
    if (Array.isArray(x)) x.forEach((v, i) => (typeof v === "object" && v !== null ? walk(v, [...path, i]) : out.push({ path: [...path, i], value: v, set: (n) => (x[i] = n) })));
    else if (typeof x === "object" && x !== null) {
      const o = x as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (typeof v === "object" && v !== null) walk(v, [...path, k]);
        else out.push({ path: [...path, k], value: v, set: (n) => (o[k] = n) });
      }
    }
  };
  walk(root, []);
  return out;
}

/** Every array or object node (with its path), the root included. */
function nodes(root: unknown): { path: (string | number)[]; node: Json | unknown[] }[] {
  const out: { path: (string | number)[]; node: Json | unknown[] }[] = [];
  const walk = (x: unknown, path: (string | number)[]): void => {
    if (typeof x !== "object" || x === null) return;
    out.push({ path, node: x as Json });
    if (Array.isArray(x)) x.forEach((v, i) => walk(v, [...path, i]));
    else for (const [k, v] of Object.entries(x)) walk(v, [...path, k]);
  };
  walk(root, []);
  return out;
}

function at(root: unknown, path: readonly (string | number)[]): unknown {
  let x: unknown = root;
  for (const p of path) {
    if (typeof x !== "object" || x === null) return undefined;
    x = (x as Record<string | number, unknown>)[p];
  }
  return x;
}

function setAt(root: unknown, path: readonly (string | number)[], v: unknown): void {
  const parent = at(root, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = v;
}

const isHex = (v: unknown): v is string => typeof v === "string" && /^0x[0-9a-f]+$/i.test(v);
const isDec = (v: unknown): v is string => typeof v === "string" && /^[0-9]+$/.test(v);
const isB64 = (v: unknown): v is string => typeof v === "string" && v.startsWith("b64:");

/** A field element mutated one of four ways, in its own encoding. */
function mutateField(rand: Rand, v: bigint): { v: bigint; how: string } {
  switch (rand.int(4)) {
    case 0:
      return { v: v + 1n, how: "+1" };
    case 1:
      return { v: 0n, how: "=0" };
    case 2:
      return { v: R - 1n, how: "=r-1" };
    default:
      return { v: v + R, how: "=r+v (non-canonical)" };
  }
}

function mutateNumber(rand: Rand, v: number): { v: unknown; how: string } {
  const opts: [unknown, string][] = [
    [v + 1, "+1"],
    [v - 1, "-1"],
    [0, "=0"],
    [-v, "negated"],
    [2 ** 53, "=2^53"],
    [v + 0.5, "+0.5"],
    [1e308, "=1e308"],
    [String(v), "as string"],
  ];
  const [n, how] = opts[rand.int(opts.length)]!;
  return { v: n, how };
}

function fieldMutant(rand: Rand, proof: Json): Mutant | undefined {
  const p = clone(proof);
  // every field element: "0x.." (codec), decimal strings (snarkjs coordinates, public signals), numbers
  const slots = leaves(p).filter((l) => isHex(l.value) || isDec(l.value) || typeof l.value === "number");
  if (!slots.length) return undefined;
  const s = rand.pick(slots);
  if (typeof s.value === "number") {
    const m = mutateNumber(rand, s.value);
    s.set(m.v);
    return { what: `${pathStr(s.path)} ${m.how}`, proof: p };
  }
  const m = mutateField(rand, BigInt(s.value as string));
  s.set(isHex(s.value) ? `0x${m.v.toString(16)}` : m.v.toString());
  return { what: `${pathStr(s.path)} ${m.how}`, proof: p };
}

function bytesMutant(rand: Rand, proof: Json): Mutant | undefined {
  const p = clone(proof);
  const slots = leaves(p).filter((l) => isB64(l.value));
  if (!slots.length) return undefined;
  const s = rand.pick(slots);
  const bytes = Buffer.from((s.value as string).slice(4), "base64");
  const kind = rand.int(4);
  let how: string;
  let out: Buffer;
  if (kind === 0 || bytes.length === 0) {
    const i = rand.int(Math.max(1, bytes.length));
    out = Buffer.from(bytes);
    if (out.length) out[i] = out[i]! ^ (1 << rand.int(8));
    else out = Buffer.from([1]);
    how = `bit flip at byte ${i}`;
  } else if (kind === 1) {
    const i = rand.int(bytes.length);
    out = Buffer.from(bytes);
    out[i] = rand.int(256);
    how = `byte ${i} randomised`;
  } else if (kind === 2) {
    out = bytes.subarray(0, rand.int(bytes.length));
    how = `truncated to ${out.length} bytes`;
  } else {
    out = Buffer.concat([bytes, Buffer.from([rand.int(256)])]);
    how = "one byte appended";
  }
  s.set(`b64:${out.toString("base64")}`);
  return { what: `${pathStr(s.path)} ${how}`, proof: p };
}

function structureMutant(rand: Rand, proof: Json): Mutant | undefined {
  const p = clone(proof);
  const kind = rand.int(8);
  const kernels = p.kernels as Json[];
  if (kind === 0 && kernels.length >= 2) {
    const i = rand.int(kernels.length);
    let j = rand.int(kernels.length - 1);
    if (j >= i) j++;
    // swap the proofs, keep the names and order
    const [ni, nj] = [kernels[i]!.name, kernels[j]!.name];
    [kernels[i], kernels[j]] = [kernels[j]!, kernels[i]!];
    kernels[i]!.name = ni;
    kernels[j]!.name = nj;
    return { what: `kernels ${i} and ${j}: proofs swapped`, proof: p };
  }
  if (kind === 1) {
    const k = rand.pick(kernels);
    const field = rand.pick(["name", "backend"] as const);
    const choices = field === "name" ? [...kernels.map((x) => x.name as string), "k99", "", "whole-model"] : ["gkr", "groth16", "plain", "", "GKR"];
    const v = rand.pick(choices.filter((c) => c !== k[field]));
    k[field] = v;
    return { what: `kernel ${JSON.stringify(k.name)}: ${field} changed to ${JSON.stringify(v)}`, proof: p };
  }
  const all = nodes(p);
  if (kind <= 4) {
    const arrays = all.filter((n) => Array.isArray(n.node) && n.node.length > 0) as { path: (string | number)[]; node: unknown[] }[];
    if (!arrays.length) return undefined;
    const { path, node } = rand.pick(arrays);
    const i = rand.int(node.length);
    const op = rand.int(4);
    if (op === 0) {
      node.splice(i, 1);
      return { what: `${pathStr(path)}: element ${i} dropped`, proof: p };
    }
    if (op === 1) {
      node.splice(i, 0, clone(node[i]));
      return { what: `${pathStr(path)}: element ${i} duplicated`, proof: p };
    }
    if (op === 2 && node.length >= 2) {
      const j = (i + 1 + rand.int(node.length - 1)) % node.length;
      [node[i], node[j]] = [node[j], node[i]];
      return { what: `${pathStr(path)}: elements ${i} and ${j} swapped`, proof: p };
    }
    node.reverse();
    return { what: `${pathStr(path)}: reversed`, proof: p };
  }
  const objects = all.filter((n) => !Array.isArray(n.node)) as { path: (string | number)[]; node: Json }[];
  const { path, node } = rand.pick(objects);
  const keys = Object.keys(node);
  if (kind === 5 && keys.length) {
    const k = rand.pick(keys);
    delete node[k];
    return { what: `${pathStr(path)}: key ${k} deleted`, proof: p };
  }
  if (kind === 6 && keys.length) {
    const k = rand.pick(keys);
    const v = node[k];
    delete node[k];
    node[`${k}_`] = v;
    return { what: `${pathStr(path)}: key ${k} renamed`, proof: p };
  }
  const extra = rand.pick(["extra", "__proto__x", "valid", "ok", "proof"]);
  if (extra in node) return undefined;
  node[extra] = rand.pick([0, "0x1", [], {}, true, null]);
  return { what: `${pathStr(path)}: key ${extra} added`, proof: p };
}

function spliceMutant(rand: Rand, a: Json, b: Json): Mutant | undefined {
  const p = clone(a);
  const kind = rand.int(4);
  if (kind === 0) {
    const k = rand.int((a.kernels as Json[]).length);
    p.kernels[k] = clone(b.kernels[k]);
    return { what: `kernel ${k} from the other input's proof`, proof: p };
  }
  if (kind === 1 && a.claims?.length) {
    const i = rand.int(a.claims.length);
    if (rand.int(2)) {
      p.claims = clone(b.claims);
      return { what: `all claims from the other input's proof`, proof: p };
    }
    p.claims[i] = clone(b.claims[i]);
    return { what: `claim ${i} from the other input's proof`, proof: p };
  }
  if (kind === 2 && a.commitments?.length) {
    const i = rand.int(a.commitments.length);
    p.commitments[i] = clone(b.commitments[i]);
    return { what: `commitment ${i} from the other input's proof`, proof: p };
  }
  // any subtree that differs between the two proofs
  const differing = nodes(a).filter((n) => n.path.length > 0 && JSON.stringify(n.node) !== JSON.stringify(at(b, n.path)) && at(b, n.path) !== undefined);
  const leafDiffs = leaves(a).filter((l) => at(b, l.path) !== undefined && at(b, l.path) !== l.value);
  const pool = [...differing.map((n) => n.path), ...leafDiffs.map((l) => l.path)];
  if (!pool.length) return undefined;
  const path = rand.pick(pool);
  setAt(p, path, clone(at(b, path)));
  return { what: `${pathStr(path)} from the other input's proof`, proof: p };
}

function statementMutant(rand: Rand, prep: PreparedPlan, a: Json, b: Json): Mutant | undefined {
  const p = clone(a);
  const q = prep.compiled.manifest.quantisation;
  const kind = rand.int(5);
  const publicOut = (p.outputs as Json[]).map((o, i) => ({ o, i })).filter(({ o }) => o.visibility === "public");
  const hashed = [...(p.inputs as Json[]), ...(p.outputs as Json[])].filter((o) => o.visibility === "hashed");
  if (hashed.length && (kind >= 3 || !publicOut.length)) {
    const h = rand.pick(hashed);
    const m = mutateField(rand, BigInt(h.hash));
    h.hash = `0x${m.v.toString(16)}`;
    return { what: `hash of ${h.name} ${m.how}`, proof: p };
  }
  if (kind === 0 && publicOut.length) {
    // an output changed consistently: integer and its float
    const { o, i } = rand.pick(publicOut);
    const j = rand.int(o.integers.length);
    const d = rand.pick([1, -1, 7, 1000]);
    o.integers[j] += d;
    o.floats[j] = o.integers[j] * 2 ** -q.outputs[i]!.scale;
    return { what: `output ${o.onnxName}[${j}] ${d > 0 ? "+" : ""}${d} (floats consistent)`, proof: p };
  }
  if (kind === 1 && (p.inputs as Json[]).some((x) => x.visibility === "public")) {
    const inp = rand.pick((p.inputs as Json[]).filter((x) => x.visibility === "public"));
    const j = rand.int(inp.integers.length);
    inp.integers[j] += rand.pick([1, -1, 3]);
    return { what: `input ${inp.name}[${j}] changed`, proof: p };
  }
  if (kind === 2) {
    // the other input's public statement with this proof
    p.inputs = clone(b.inputs);
    if (rand.int(2)) p.outputs = clone(b.outputs);
    return { what: `statement (inputs${JSON.stringify(p.outputs) === JSON.stringify(b.outputs) ? " and outputs" : ""}) of the other input`, proof: p };
  }
  if (publicOut.length) {
    // a float changed alone, or every output scaled
    const { o } = rand.pick(publicOut);
    if (rand.int(2)) {
      const j = rand.int(o.floats.length);
      o.floats[j] += 2 ** -20;
      return { what: `output ${o.onnxName} float ${j} nudged`, proof: p };
    }
    o.integers = o.integers.map((v: number) => v * 2);
    o.floats = o.floats.map((v: number) => v * 2);
    return { what: `output ${o.onnxName} doubled`, proof: p };
  }
  return undefined;
}

/**
 * Artifact edits with every digest re-pointed (test/link/binding.test.ts): program.json,
 * weights.bin, a verification key or a manifest field edited, the manifest's digests recomputed,
 * and the proof's manifestDigest set to the edited manifest's.
 */
function artifactsMutant(rand: Rand, prep: PreparedPlan, a: Json): Mutant | undefined {
  const c = prep.compiled;
  const files = new Map(c.files);
  const m = clone(c.manifest) as unknown as Json;
  const program = JSON.parse(new TextDecoder().decode(c.files.get("program.json")!)) as Json;
  const wbytes = c.files.get("weights.bin")!.slice();
  const weights = new Float64Array(wbytes.buffer, 0, wbytes.length / 8);
  let what: string;
  const kind = rand.int(5);
  const vkeys = [...files.keys()].filter((n) => n.endsWith(".vkey.json"));
  if (kind === 0) {
    const i = rand.int(weights.length);
    const old = weights[i]!;
    weights[i] = rand.pick([old + 1, 0, -old, old * 2 + 1]);
    if (weights[i] === old) weights[i] = old + 3;
    what = `weights.bin: weight ${i} ${old} -> ${weights[i]}`;
  } else if (kind === 1) {
    // an output's scale (the verifier would report other floats) or a primitive's number
    if (rand.int(2)) {
      const name = rand.pick(program.outputs as string[]);
      const t = (program.tensors as Json[]).find((x) => x.name === name)!;
      t.scale += rand.pick([1, -1]);
      what = `program.json: scale of output ${name} changed`;
    } else {
      const nums = leaves(program.prims).filter((l) => typeof l.value === "number");
      if (!nums.length) return undefined;
      const s = rand.pick(nums);
      s.set((s.value as number) + rand.pick([1, -1]));
      what = `program.json: prims${pathStr(s.path)} changed`;
    }
  } else if (kind === 2 && vkeys.length) {
    const name = rand.pick(vkeys);
    const vk = JSON.parse(new TextDecoder().decode(files.get(name)!)) as Json;
    const edit = rand.int(3);
    if (edit === 0 && vk.IC.length >= 2) {
      const i = rand.int(vk.IC.length);
      const j = (i + 1) % vk.IC.length;
      [vk.IC[i], vk.IC[j]] = [vk.IC[j], vk.IC[i]];
      what = `${name}: IC ${i} and ${j} swapped`;
    } else if (edit === 1) {
      vk.vk_alpha_1 = ["1", "2", "1"]; // the G1 generator: a valid point, another key
      what = `${name}: alpha replaced by the generator`;
    } else {
      // vk_alphabeta_12 is a cache snarkjs's verify never reads (it pairs α and β itself): editing it changes nothing
      const s = rand.pick(leaves(vk).filter((l) => isDec(l.value) && l.value !== "0" && l.value !== "1" && l.path[0] !== "vk_alphabeta_12"));
      s.set((BigInt(s.value as string) + 1n).toString());
      what = `${name}: ${pathStr(s.path)} + 1`;
    }
    const bytes = new TextEncoder().encode(JSON.stringify(vk));
    files.set(name, bytes);
    for (const k of m.kernels as Json[]) for (const sec of Object.values(k.artifacts ?? {}) as Json[]) if (sec?.vkeyFile === name) sec.vkeyDigest = sha256Hex(bytes);
    for (const k of m.kernels as Json[]) if (k.artifacts?.vkeyFile === name) k.artifacts.vkeyDigest = sha256Hex(bytes);
  } else {
    // a semantic manifest field: an I/O scale, shape or visibility, a kernel's range or tensors
    const edits: [string, () => boolean][] = [
      ["output scale", () => ((m.quantisation.outputs[0].scale += 1), true)],
      ["input scale", () => ((m.quantisation.inputs[0].scale -= 1), true)],
      ["output shape", () => ((m.quantisation.outputs[0].shape = [...m.quantisation.outputs[0].shape].reverse()), true)],
      ["visibility", () => ((m.quantisation.outputs[0].visibility = m.quantisation.outputs[0].visibility === "public" ? "hashed" : "public"), true)],
      ["kernel range", () => (m.kernels.length > 1 && m.kernels[0].kind === "prims" ? ((m.kernels[0].to -= 1), true) : false)],
      ["kernel inputs", () => ((m.kernels[m.kernels.length - 1].inputs = [...m.kernels[m.kernels.length - 1].inputs].reverse()), m.kernels[m.kernels.length - 1].inputs.length > 1)],
      ["kernel backend", () => ((m.kernels[0].backend = m.kernels[0].backend === "gkr" ? "groth16" : "gkr"), true)],
      ["committed tensors", () => (m.committedTensors?.length ? (m.committedTensors.pop(), true) : false)],
      ["kernel order", () => (m.kernels.length > 1 ? (([m.kernels[0], m.kernels[1]] = [m.kernels[1], m.kernels[0]]), true) : false)],
    ];
    const [name, apply] = rand.pick(edits);
    if (!apply()) return undefined;
    what = `manifest: ${name} edited`;
  }
  const programBytes = new TextEncoder().encode(JSON.stringify(program));
  files.set("program.json", programBytes);
  files.set("weights.bin", wbytes);
  m.program.digest = sha256Hex(programBytes);
  m.weights.digest = sha256Hex(wbytes);
  m.model.digest = sha256Hex(new Uint8Array([...programBytes, ...wbytes]));
  if (kind === 1) for (const o of m.quantisation.outputs) o.scale = (program.tensors as Json[]).find((t) => t.name === o.name)!.scale;
  const p = clone(a);
  try {
    p.manifestDigest = toHex(manifestDigest(parseManifest(m)));
  } catch {
    // a manifest the parser refuses: the proof keeps its digest, verify must refuse the manifest
  }
  for (const [i, o] of (p.outputs as Json[]).entries()) if (o.floats && m.quantisation.outputs[i]) o.floats = o.integers.map((v: number) => v * 2 ** -m.quantisation.outputs[i].scale);
  return { what: `${what} (digests re-pointed)`, proof: p, manifest: m, files };
}

/** Groth16 kernels of a proof: index in proof.kernels, and the manifest's key files. */
function groth16Kernels(c: CompiledModel, proof: Json): { k: number; vkeyFile: string; zkeyFile: string }[] {
  const out: { k: number; vkeyFile: string; zkeyFile: string }[] = [];
  (proof.kernels as Json[]).forEach((entry, k) => {
    if (entry.backend !== "groth16") return;
    const art = c.manifest.kernels.find((x) => x.name === entry.name)?.artifacts as Json | undefined;
    const sec = (art?.vkeyFile ? art : art?.groth16) as Json | undefined;
    if (sec?.vkeyFile) out.push({ k, vkeyFile: sec.vkeyFile, zkeyFile: sec.zkeyFile });
  });
  return out;
}

async function forgeryMutant(rand: Rand, prep: PreparedPlan): Promise<Mutant | undefined> {
  const seededCase = prep.seeded && rand.int(3) === 0;
  const c = seededCase ? prep.seeded!.compiled : prep.compiled;
  const base = seededCase ? prep.seeded!.a : prep.a;
  const g16 = groth16Kernels(c, base);
  if (!g16.length) return undefined;
  const { k, vkeyFile, zkeyFile } = rand.pick(g16);
  const p = clone(base);
  let what: string;
  const entry = p.kernels[k] as Json;
  if (prep.plan === "whole" && rand.int(2)) {
    // a false output: outputs come first in the public signals
    const o = p.outputs[0] as Json;
    o.integers[0] += 1;
    o.floats[0] = o.integers[0] * 2 ** -c.manifest.quantisation.outputs[0]!.scale;
    entry.publicSignals[0] = ((BigInt(o.integers[0]) % R) + R) % R + "";
    what = "forged proof of a false output";
  } else what = `forged proof of kernel ${entry.name}'s own statement`;
  const vkey = JSON.parse(new TextDecoder().decode(c.files.get(vkeyFile)!)) as { IC: string[][] };
  const forged = await forgeGroth16(vkey, c.files.get(zkeyFile)!, entry.publicSignals);
  entry.groth16 = { ...entry.groth16, pi_a: forged.pi_a, pi_b: forged.pi_b, pi_c: forged.pi_c };
  if (!seededCase) return { what: `${what}, default keys`, proof: p, manifest: c.manifest, files: c.files };
  if (rand.int(4) === 0) return { what: `${what}, seeded keys, --allow-insecure-dev-keys (control: the forgery works)`, proof: p, manifest: c.manifest, files: c.files, allowInsecure: true, expectAccept: true };
  return { what: `${what}, seeded keys, no override`, proof: p, manifest: c.manifest, files: c.files, expectTrustRefusal: true };
}

function pathStr(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("") || "$";
}

function pickClass(rand: Rand, hasBytes: boolean): ProofClass {
  const classes = PROOF_CLASSES.filter((c) => c !== "bytes" || hasBytes);
  let x = rand.int(classes.reduce((s, c) => s + WEIGHTS[c], 0));
  for (const c of classes) if ((x -= WEIGHTS[c]) < 0) return c;
  return "field";
}

/** Runs case `index` of a prepared plan (deterministic in seed, plan and index). */
export async function runProofCase(prep: PreparedPlan, seed: number, index: number): Promise<CaseResult> {
  const rand = new Rand(hashSeed(seed, prep.plan, index));
  const hasBytes = JSON.stringify(prep.a).includes('"b64:');
  const cls = pickClass(rand, hasBytes);
  let mutant: Mutant | undefined;
  for (let attempt = 0; attempt < 8 && !mutant; attempt++) {
    const a = rand.int(2) ? prep.a : prep.b;
    const b = a === prep.a ? prep.b : prep.a;
    mutant =
      cls === "field" ? fieldMutant(rand, a)
      : cls === "bytes" ? bytesMutant(rand, a)
      : cls === "structure" ? structureMutant(rand, a)
      : cls === "splice" ? spliceMutant(rand, a, b)
      : cls === "statement" ? statementMutant(rand, prep, a, b)
      : cls === "artifacts" ? artifactsMutant(rand, prep, a)
      : await forgeryMutant(rand, prep);
    if (mutant && mutant.manifest === undefined && JSON.stringify(mutant.proof) === JSON.stringify(a)) mutant = undefined;
  }
  if (!mutant) return { plan: prep.plan, cls, index, what: "no applicable mutation", outcome: "noop" };
  const files = mutant.files ?? prep.compiled.files;
  const reader = async (n: string) => {
    const f = files.get(n);
    if (!f) throw new Error(`no side file ${n}`);
    return f;
  };
  // the verifier receives text, as from a file
  const v = await verify(mutant.manifest ?? prep.compiled.manifest, JSON.stringify(mutant.proof), reader, { allowInsecureDevKeys: mutant.allowInsecure === true });
  const base = { plan: prep.plan, cls, index, what: mutant.what };
  if (mutant.expectAccept) return { ...base, outcome: v.ok ? "control-ok" : "control-failed", ...(v.ok ? {} : { reason: v.reason, mutant }) };
  if (v.ok) return { ...base, outcome: "accepted", mutant };
  if (mutant.expectTrustRefusal && !/insecure development setup/.test(v.reason)) return { ...base, outcome: "accepted", reason: `not refused by the trust check: ${v.reason}`, mutant };
  // verify() maps a ZkcError or a Reject to its message; anything else is a bug in a check
  if (/^verification failed: |verifier error: /.test(v.reason)) return { ...base, outcome: "internal", reason: v.reason, mutant };
  return { ...base, outcome: "rejected", reason: v.reason };
}
