/**
 * GKR kernel proofs: a kernel is a contiguous run of primitives (a piece of a `QProgram`); claims
 * on its outputs flow backward, primitive by primitive, to claims on its inputs.
 *
 * ## Layer plug-in interface (for `backends/gkr/nonlinear/` and any other layer)
 *
 * A layer is a `LayerPlugin` registered with `registerLayer` for one `PrimOp`:
 *
 * ```ts
 * registerLayer<"rescale">({
 *   op: "rescale",
 *   prover: { prove(prim, claim, ctx) { ...; return { proof, claims } } },
 *   verifier: { verify(prim, claim, proof, ctx) { ...; return { ok: true, claims } } },
 * });
 * ```
 *
 * - `claim` is ONE claim on `prim.out`, in the output's own layout (several claims are combined by
 *   the driver before the layer runs). The layer returns claims on the tensors it reads, each in
 *   that tensor's own layout (`backends/gkr/layout.ts`); `relayout.ts` moves a claim between two
 *   shapes of the same data when a layer works in another shape.
 * - Claims may also name tensors that are not kernel tensors (auxiliary witness that the plug-in
 *   commits to): the driver hands those back uncombined in `inputClaims` for the caller to
 *   discharge (commitment openings).
 * - Transcript: the layer absorbs each message before drawing the next challenge, on
 *   `ctx.transcript` (the bundle's one transcript; never create one). The prover and verifier must
 *   make the same calls in the same order.
 * - The verifier receives the proof as `unknown`, checks its shape (`messages.ts` guards) and
 *   returns `{ ok: false, reason }` instead of throwing on proof data.
 * - `ctx.scratch` is a per-kernel-proof map for plug-in state (e.g. lookups to batch); a
 *   `KernelHook` registered with `registerKernelHook` runs after the last primitive (prover and
 *   verifier), may send a proof and may emit claims on kernel inputs or auxiliary tensors only.
 * - Registration is global and by side effect of importing the plug-in module; registering the
 *   same op twice replaces the earlier layer (tests may override a built-in).
 *
 * Until a layer for an op is registered, a kernel containing that op is refused with a ZkcError
 * (UNSUPPORTED_OP) naming the primitive.
 *
 * ## Driver schedule (prover and verifier identical)
 * 1. absorb the kernel name and every output claim;
 * 2. for each primitive from last to first that has claims on its output: absorb the layer tag,
 *    combine its output claims (`claims.ts`), run the layer;
 * 3. run the registered kernel hooks;
 * 4. boundary: claims on public tensors (params with values, `publicValues`) are discharged by the
 *    verifier evaluating the tensor's MLE; claims on every other kernel tensor are combined into
 *    one per tensor; the rest (auxiliary tensors) pass unchanged. These are `inputClaims`.
 */
import { ZkcError } from "../../compiler/errors.js";
import { primInputs, type Prim, type PrimOp, type PrimOrigin, type QProgram } from "../../compiler/quant/prim.js";
import type { FrVector } from "../math/field.js";
import { evaluateMle } from "../math/mle.js";
import type { Transcript } from "../math/transcript.js";
import { BUILTIN_LAYERS } from "./builtin.js";
import { PendingClaims, proveCombine, verifyCombine } from "../math/claims.js";
import { cachedIntegerTable, evaluateIntegerMle, integerTable, numVarsOfShape, sizeOfShape } from "../math/layout.js";
import { GKR_LABELS, isClaim, isRecord, type Claim, type CombineProof } from "./messages.js";

/** Shape (and, for public weights, values) of a tensor a kernel touches; `QTensor` fits. */
export interface KernelTensor {
  shape: readonly number[];
  /** integer values of a public weight (param): the verifier knows them */
  values?: Float64Array;
}

/** A kernel: primitives in execution order and the tensors they touch. */
export interface Kernel {
  /** stable name (absorbed into the transcript, used in errors) */
  name: string;
  prims: readonly Prim[];
  /** per primitive, the ONNX node it was lowered from (errors name it), when known */
  origins?: readonly PrimOrigin[];
  /** at least every tensor the primitives read or write (`QProgram.tensors` fits) */
  tensors: ReadonlyMap<string, KernelTensor>;
  /** values of public inputs the verifier knows (besides params, which carry their values) */
  publicValues?: ReadonlyMap<string, Float64Array>;
}

/** The primitive type of one op. */
export type PrimOf<O extends PrimOp> = Extract<Prim, { op: O }>;

/** What every layer sees. */
export interface LayerContext {
  /** the bundle's transcript */
  readonly transcript: Transcript;
  readonly kernel: Kernel;
  /** shape of a kernel tensor; throws ZkcError (INTERNAL) for an unknown name */
  shapeOf(tensor: string): readonly number[];
  /** per-kernel-proof state for plug-ins, keyed by the plug-in's own names */
  readonly scratch: Map<string, unknown>;
}

/** Prover side: also the witness. */
export interface LayerProverContext extends LayerContext {
  /** exact integer values of a kernel tensor */
  values(tensor: string): Float64Array;
  /** the padded MLE table of a kernel tensor in its own layout (cached per proof) */
  table(tensor: string): FrVector;
  /** the tensor's data laid out in another shape of the same size (cached per proof) */
  tableAs(tensor: string, shape: readonly number[]): FrVector;
}

/** Verifier side: also the public values. */
export interface LayerVerifierContext extends LayerContext {
  /** values of a public tensor, undefined for a private one */
  publicValues(tensor: string): Float64Array | undefined;
}

/** A layer's result on the verifier side. */
export type LayerVerdict = { ok: true; claims: Claim[] } | { ok: false; reason: string };

export interface LayerProver<P extends Prim = Prim> {
  /** Reduce `claim` on `prim.out` to claims on what the primitive reads. */
  prove(prim: P, claim: Claim, ctx: LayerProverContext): { proof: unknown; claims: Claim[] };
}

export interface LayerVerifier<P extends Prim = Prim> {
  /** Mirror of `prove`; never throws on proof data. */
  verify(prim: P, claim: Claim, proof: unknown, ctx: LayerVerifierContext): LayerVerdict;
}

/** A prover and verifier pair for one primitive op. */
export interface LayerPlugin<O extends PrimOp = PrimOp> {
  op: O;
  prover: LayerProver<PrimOf<O>>;
  verifier: LayerVerifier<PrimOf<O>>;
}

/** Work after the last primitive (e.g. one batched lookup argument per kernel). */
export interface KernelHook {
  /** unique name; its proof is stored under it */
  name: string;
  /** undefined proof = nothing to do (the verifier must reach the same decision from ctx.scratch) */
  prove(ctx: LayerProverContext): { proof: unknown; claims: Claim[] } | undefined;
  /** `proof` is undefined when the prover sent nothing */
  verify(proof: unknown, ctx: LayerVerifierContext): LayerVerdict | undefined;
}

const layers = new Map<PrimOp, LayerPlugin>(BUILTIN_LAYERS.map((l) => [l.op, l]));
const hooks: KernelHook[] = [];

/** Register (or replace) the layer for one primitive op. */
export function registerLayer<O extends PrimOp>(plugin: LayerPlugin<O>): void {
  layers.set(plugin.op, plugin as unknown as LayerPlugin);
}

/** Register (or replace, by name) a kernel hook. */
export function registerKernelHook(hook: KernelHook): void {
  const i = hooks.findIndex((h) => h.name === hook.name);
  if (i >= 0) hooks[i] = hook;
  else hooks.push(hook);
}

/** Ops with a registered layer. */
export function registeredOps(): ReadonlySet<PrimOp> {
  return new Set(layers.keys());
}

// ---------------------------------------------------------------------------------------------
// Proof format

/** One primitive's step: the combination of its output claims (if any was needed) and the layer's proof. */
export interface LayerStep {
  op: PrimOp;
  combine: CombineProof | undefined;
  body: unknown;
}

/** A kernel proof. */
export interface KernelProof {
  /** one per primitive that had claims on its output, last primitive first */
  layers: LayerStep[];
  /** kernel hooks' proofs by hook name */
  hooks: Record<string, unknown>;
  /** combinations of boundary claims, in the order the tensors were first claimed */
  inputs: (CombineProof | undefined)[];
}

export type KernelVerdict = { ok: true; inputClaims: Claim[] } | { ok: false; reason: string };

/** Options of `proveKernel`. */
export interface ProveKernelOptions {
  /** evaluate every intermediate claim against the witness and throw at the first false one (slow; for debugging layers) */
  checkClaims?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Shared driver pieces

function primOut(p: Prim): string {
  return p.out;
}

function producers(kernel: Kernel): Map<string, number> {
  const out = new Map<string, number>();
  kernel.prims.forEach((p, i) => out.set(primOut(p), i));
  return out;
}

function publicValuesOf(kernel: Kernel, tensor: string): Float64Array | undefined {
  return kernel.tensors.get(tensor)?.values ?? kernel.publicValues?.get(tensor);
}

function makeShapeOf(kernel: Kernel): (t: string) => readonly number[] {
  return (t) => {
    const info = kernel.tensors.get(t);
    if (!info) throw new ZkcError("INTERNAL", `internal error: kernel "${kernel.name}" has no tensor "${t}"`);
    return info.shape;
  };
}

function absorbHeader(kernel: Kernel, outputClaims: readonly Claim[], transcript: Transcript): void {
  transcript.absorbBytes(GKR_LABELS.kernel, new TextEncoder().encode(kernel.name));
  transcript.absorbFields(GKR_LABELS.outputClaims, [
    BigInt(outputClaims.length),
    ...outputClaims.flatMap((c) => [BigInt(c.point.length), ...c.point, c.value]),
  ]);
}

function absorbLayerTag(transcript: Transcript, index: number, op: PrimOp): void {
  transcript.absorbBytes(GKR_LABELS.layer, new TextEncoder().encode(`${index}:${op}`));
}


function unsupported(kernel: Kernel, p: Prim, index: number): ZkcError {
  return new ZkcError("UNSUPPORTED_OP", `kernel "${kernel.name}": primitive ${index} (${p.op} -> "${p.out}") has no GKR layer`, {
    op: p.op,
    hint:
      p.op === "rescale" || p.op === "lookup" || p.op === "clamp" || p.op === "max" || p.op === "divide" || p.op === "argmax"
        ? "non-linear layers register themselves from backends/gkr/nonlinear/: import that module before proving, or route this primitive to the Groth16 backend"
        : "register a layer for it with registerLayer (backends/gkr/kernel.ts)",
  });
}

// ---------------------------------------------------------------------------------------------
// Prover

/**
 * Run a prover step; a RangeError from the math layer there means the claims do not match the
 * witness (a false output claim, a witness not produced by the primitives, or a layer bug).
 */
function withContext<T>(kernel: Kernel, index: number, p: Prim, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ZkcError) throw e;
    throw new ZkcError("INTERNAL", `internal error: kernel "${kernel.name}", primitive ${index} (${p.op} -> "${p.out}"): ${e instanceof Error ? e.message : String(e)}`, {
      op: p.op,
      hint: "the claims on this primitive's output do not match the witness: check the output claims and that the values come from runProgram",
    });
  }
}

/**
 * Prove a kernel: reduce `outputClaims` (on tensors the kernel produces) to claims on its inputs.
 * @param values exact integer values of every tensor the kernel touches (params may be omitted: their `values` are used)
 * @returns the proof and the claims on non-public inputs (and auxiliary tensors) left to discharge
 * @throws ZkcError UNSUPPORTED_OP for a primitive without a registered layer; INPUT for a claim on a
 *   tensor the kernel does not produce or a claim with the wrong number of coordinates
 */
export function proveKernel(
  kernel: Kernel,
  values: ReadonlyMap<string, Float64Array>,
  outputClaims: readonly Claim[],
  transcript: Transcript,
  options: ProveKernelOptions = {},
): { proof: KernelProof; inputClaims: Claim[] } {
  const produced = producers(kernel);
  const shapeOf = makeShapeOf(kernel);
  kernel.prims.forEach((p, i) => {
    if (!layers.has(p.op)) throw unsupported(kernel, p, i);
  });
  for (const c of outputClaims) {
    if (!produced.has(c.tensor)) {
      throw new ZkcError("INPUT", `kernel "${kernel.name}": output claim on "${c.tensor}", which the kernel does not produce`, {
        hint: `claims go on tensors written by the kernel's primitives: ${[...produced.keys()].join(", ")}`,
      });
    }
    const n = numVarsOfShape(shapeOf(c.tensor));
    const wellFormed: boolean = isClaim(c as unknown, n);
    if (!wellFormed) {
      throw new ZkcError("INPUT", `kernel "${kernel.name}": malformed output claim on "${c.tensor}"`, {
        expected: `a point of ${n} canonical field elements and a canonical value`,
        got: `${Array.isArray(c.point) ? c.point.length : "no"} coordinates`,
      });
    }
  }

  const valuesOf = (t: string): Float64Array => {
    const v = values.get(t) ?? publicValuesOf(kernel, t);
    if (!v) throw new ZkcError("INPUT", `kernel "${kernel.name}": no value for tensor "${t}"`, { hint: "pass every tensor's integers from runProgram (runtime/witness.ts)" });
    if (v.length !== sizeOfShape(shapeOf(t))) {
      throw new ZkcError("INPUT", `kernel "${kernel.name}": tensor "${t}" has ${v.length} values`, { expected: `${sizeOfShape(shapeOf(t))} (shape [${shapeOf(t).join(", ")}])`, got: String(v.length) });
    }
    return v;
  };
  const tables = new Map<string, FrVector>();
  const tableAs = (t: string, shape: readonly number[]): FrVector => {
    const key = `${t}\u0000${shape.join("x")}`;
    let tab = tables.get(key);
    if (!tab) {
      const v = valuesOf(t);
      tab = publicValuesOf(kernel, t) === v ? cachedIntegerTable(v, shape) : integerTable(v, shape);
      tables.set(key, tab);
    }
    return tab;
  };
  const ctx: LayerProverContext = {
    transcript,
    kernel,
    shapeOf,
    scratch: new Map(),
    values: valuesOf,
    table: (t) => tableAs(t, shapeOf(t)),
    tableAs,
  };
  const check = (c: Claim, where: string): void => {
    if (!options.checkClaims || !kernel.tensors.has(c.tensor)) return;
    const actual = evaluateMle(ctx.table(c.tensor), c.point);
    if (actual !== c.value) throw new ZkcError("INTERNAL", `internal error: ${where} emitted a false claim on "${c.tensor}"`);
  };

  absorbHeader(kernel, outputClaims, transcript);
  const pending = new PendingClaims();
  for (const c of outputClaims) {
    check(c, "the caller");
    pending.add({ tensor: c.tensor, point: [...c.point], value: c.value });
  }
  const steps: LayerStep[] = [];
  for (let i = kernel.prims.length - 1; i >= 0; i--) {
    const p = kernel.prims[i]!;
    const claims = pending.take(p.out);
    if (claims.length === 0) continue; // nothing downstream depends on this output
    absorbLayerTag(transcript, i, p.op);
    const { combined, proof, next } = withContext(kernel, i, p, () => {
      const combined = proveCombine(claims, () => ctx.table(p.out), transcript);
      const r = layers.get(p.op)!.prover.prove(p, combined.claim, ctx);
      return { combined, proof: r.proof, next: r.claims };
    });
    steps.push({ op: p.op, combine: combined.proof, body: proof });
    for (const c of next) {
      const at = produced.get(c.tensor);
      if (at !== undefined && at >= i) throw new ZkcError("INTERNAL", `internal error: layer ${p.op} emitted a claim on "${c.tensor}", which is not an input of primitive ${i}`);
      check(c, `layer ${i} (${p.op})`);
      pending.add(c);
    }
  }
  const hookProofs: Record<string, unknown> = {};
  for (const h of hooks) {
    const r = h.prove(ctx);
    if (!r) continue;
    hookProofs[h.name] = r.proof;
    for (const c of r.claims) {
      if (produced.has(c.tensor)) throw new ZkcError("INTERNAL", `internal error: kernel hook ${h.name} emitted a claim on the kernel-internal tensor "${c.tensor}"`);
      check(c, `hook ${h.name}`);
      pending.add(c);
    }
  }
  const inputProofs: (CombineProof | undefined)[] = [];
  const inputClaims: Claim[] = [];
  for (const [t, claims] of pending.entries()) {
    if (publicValuesOf(kernel, t)) continue; // the verifier evaluates these itself
    if (!kernel.tensors.has(t)) {
      inputClaims.push(...claims);
      continue;
    }
    const combined = proveCombine(claims, () => ctx.table(t), transcript);
    inputProofs.push(combined.proof);
    inputClaims.push(combined.claim);
  }
  return { proof: { layers: steps, hooks: hookProofs, inputs: inputProofs }, inputClaims };
}

// ---------------------------------------------------------------------------------------------
// Verifier

/**
 * Verify a kernel proof against `outputClaims`. Claims on public tensors are discharged here; the
 * remaining claims (one per private kernel input, plus auxiliary ones) are returned for the caller
 * to discharge. Never throws on proof data or claims.
 */
export function verifyKernel(kernel: Kernel, proof: unknown, outputClaims: readonly Claim[], transcript: Transcript): KernelVerdict {
  try {
    return verifyKernelUnchecked(kernel, proof, outputClaims, transcript);
  } catch (e) {
    // A verifier must not throw on untrusted data; anything thrown here is reported as a rejection.
    return { ok: false, reason: `verifier error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function verifyKernelUnchecked(kernel: Kernel, proof: unknown, outputClaims: readonly Claim[], transcript: Transcript): KernelVerdict {
  const produced = producers(kernel);
  const shapeOf = makeShapeOf(kernel);
  for (let i = 0; i < kernel.prims.length; i++) {
    const p = kernel.prims[i]!;
    if (!layers.has(p.op)) return { ok: false, reason: unsupported(kernel, p, i).message };
  }
  for (const c of outputClaims) {
    if (!produced.has(c.tensor)) return { ok: false, reason: `output claim on "${c.tensor}", which the kernel does not produce` };
    const wellFormed: boolean = isClaim(c as unknown, numVarsOfShape(shapeOf(c.tensor)));
    if (!wellFormed) return { ok: false, reason: `malformed output claim on "${c.tensor}"` };
  }
  if (!isRecord(proof) || !Array.isArray(proof.layers) || !isRecord(proof.hooks) || !Array.isArray(proof.inputs)) {
    return { ok: false, reason: "kernel proof is not an object with layers, hooks and inputs" };
  }
  const ctx: LayerVerifierContext = {
    transcript,
    kernel,
    shapeOf,
    scratch: new Map(),
    publicValues: (t) => publicValuesOf(kernel, t),
  };
  const acceptClaim = (c: unknown, where: string): string | undefined => {
    if (!isRecord(c) || typeof c.tensor !== "string") return `${where} emitted a malformed claim`;
    if (kernel.tensors.has(c.tensor) && !isClaim(c, numVarsOfShape(shapeOf(c.tensor)))) return `${where} emitted a malformed claim on "${c.tensor}"`;
    if (!isClaim(c)) return `${where} emitted a malformed claim on "${c.tensor}"`;
    return undefined;
  };

  absorbHeader(kernel, outputClaims, transcript);
  const pending = new PendingClaims();
  for (const c of outputClaims) pending.add({ tensor: c.tensor, point: [...c.point], value: c.value });
  let step = 0;
  for (let i = kernel.prims.length - 1; i >= 0; i--) {
    const p = kernel.prims[i]!;
    const claims = pending.take(p.out);
    if (claims.length === 0) continue;
    const s: unknown = proof.layers[step++];
    if (!isRecord(s) || s.op !== p.op) return { ok: false, reason: `layer step ${step - 1}: expected a ${p.op} step for primitive ${i}` };
    absorbLayerTag(transcript, i, p.op);
    const combined = verifyCombine(claims, s.combine, transcript);
    if (!combined.ok) return { ok: false, reason: `primitive ${i} (${p.op} -> "${p.out}"): ${combined.reason}` };
    const verdict = layers.get(p.op)!.verifier.verify(p, combined.claim, s.body, ctx);
    if (!verdict.ok) return { ok: false, reason: `primitive ${i} (${p.op} -> "${p.out}"): ${verdict.reason}` };
    for (const c of verdict.claims) {
      const bad = acceptClaim(c, `primitive ${i} (${p.op})`);
      if (bad) return { ok: false, reason: bad };
      const at = produced.get(c.tensor);
      if (at !== undefined && at >= i) return { ok: false, reason: `primitive ${i} (${p.op}) emitted a claim on "${c.tensor}", which it does not read` };
      pending.add(c);
    }
  }
  if (step !== proof.layers.length) return { ok: false, reason: `expected ${step} layer steps, got ${proof.layers.length}` };
  const hookNames = new Set<string>();
  for (const h of hooks) {
    const hp = Object.prototype.hasOwnProperty.call(proof.hooks, h.name) ? proof.hooks[h.name] : undefined;
    const verdict = h.verify(hp, ctx);
    if (!verdict) {
      if (hp !== undefined) return { ok: false, reason: `kernel hook ${h.name}: unexpected proof` };
      continue;
    }
    if (!verdict.ok) return { ok: false, reason: `kernel hook ${h.name}: ${verdict.reason}` };
    hookNames.add(h.name);
    for (const c of verdict.claims) {
      const bad = acceptClaim(c, `kernel hook ${h.name}`);
      if (bad) return { ok: false, reason: bad };
      if (produced.has(c.tensor)) return { ok: false, reason: `kernel hook ${h.name} emitted a claim on the kernel-internal tensor "${c.tensor}"` };
      pending.add(c);
    }
  }
  const extra = Object.keys(proof.hooks).find((k) => !hookNames.has(k));
  if (extra !== undefined) return { ok: false, reason: `proof carries a proof for unknown or idle kernel hook "${extra}"` };

  const inputClaims: Claim[] = [];
  let input = 0;
  for (const [t, claims] of pending.entries()) {
    const pub = publicValuesOf(kernel, t);
    if (pub) {
      const shape = shapeOf(t);
      if (pub.length !== sizeOfShape(shape)) return { ok: false, reason: `public tensor "${t}" has ${pub.length} values, shape [${shape.join(", ")}] needs ${sizeOfShape(shape)}` };
      for (const c of claims) {
        if (evaluateIntegerMle(pub, shape, c.point) !== c.value) return { ok: false, reason: `claim on public tensor "${t}" is false (its MLE at the claimed point differs)` };
      }
      continue;
    }
    if (!kernel.tensors.has(t)) {
      inputClaims.push(...claims);
      continue;
    }
    if (input >= proof.inputs.length) return { ok: false, reason: `missing the combination proof for input "${t}"` };
    const combined = verifyCombine(claims, proof.inputs[input++], transcript);
    if (!combined.ok) return { ok: false, reason: `input "${t}": ${combined.reason}` };
    inputClaims.push(combined.claim);
  }
  if (input !== proof.inputs.length) return { ok: false, reason: `expected ${input} input combination entries, got ${proof.inputs.length}` };
  return { ok: true, inputClaims };
}

/**
 * A claim on a tensor whose values the verifier knows (a public output): point from the
 * transcript, value by evaluation. Both sides call it the same way to start a kernel's claims.
 */
export function claimOnPublic(tensor: string, shape: readonly number[], values: Float64Array, transcript: Transcript): Claim {
  const n = numVarsOfShape(shape);
  const table = integerTable(values, shape);
  transcript.absorbVector(`gkr/public/${tensor}`, table);
  const point = transcript.challenges("gkr/public/point", n);
  return { tensor, point, value: evaluateMle(table, point) };
}

// ---------------------------------------------------------------------------------------------
// Kernels from programs

/**
 * The kernel of primitives [from, to) of an integer program. Params carry their values (public);
 * `publicInputs` names graph inputs whose values the verifier knows.
 * @throws ZkcError INPUT for an empty or out-of-range slice, or a public input without a value
 */
export function kernelOf(
  program: QProgram,
  from = 0,
  to = program.prims.length,
  options: { name?: string; publicInputs?: ReadonlyMap<string, Float64Array> } = {},
): Kernel {
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from < to && to <= program.prims.length)) {
    throw new ZkcError("INPUT", `kernelOf: primitives [${from}, ${to}) are not a non-empty slice of the program's ${program.prims.length}`);
  }
  const prims = program.prims.slice(from, to);
  const used = new Set<string>();
  for (const p of prims) {
    used.add(p.out);
    for (const t of primInputs(p)) used.add(t);
  }
  const tensors = new Map<string, KernelTensor>();
  for (const t of used) {
    const info = program.tensors.get(t);
    if (!info) throw new ZkcError("INTERNAL", `internal error: the program has no tensor "${t}"`);
    tensors.set(t, info);
  }
  const publicValues = new Map<string, Float64Array>();
  for (const [t, v] of options.publicInputs ?? []) if (used.has(t)) publicValues.set(t, v);
  return { name: options.name ?? `prims[${from}..${to})`, prims, tensors, ...(publicValues.size ? { publicValues } : {}) };
}

/** Tensors a kernel reads but does not produce (params included), in first-use order. */
export function kernelInputs(kernel: Kernel): string[] {
  const produced = new Set<string>();
  const out: string[] = [];
  for (const p of kernel.prims) {
    for (const t of primInputs(p)) if (!produced.has(t) && !out.includes(t)) out.push(t);
    produced.add(p.out);
  }
  return out;
}
