/**
 * The plan: kernels (partitioned, or the whole program as one) with a backend each, the reason
 * and every backend's estimate. Planning only: building circuits and keys is the toolchain's step
 * (toolchain/compile.ts), through each backend's `build`.
 */
import { ZkcError } from "../errors.js";
import { primInputs, type QProgram } from "../quant/prim.js";
import type { KernelKind, KernelSpec, PlannerBackend } from "./backend.js";
import { formatBytes, formatSeconds, type CostConstants, type CostEstimate } from "./cost.js";
import { partition } from "./partition.js";
import { chooseBackend, type BackendMode } from "./select.js";

/** A planned kernel: its spec, backend, why, and the estimates it was chosen from. */
export interface PlannedKernel {
  spec: KernelSpec;
  backend: string;
  reason: string;
  estimate: Record<string, CostEstimate | null>;
}

/** Options of `planModel`. */
export interface PlanOptions {
  /** "auto" or a backend name; a backend with `wholeModel` set makes a whole-model plan */
  backend: BackendMode;
  /** model inputs / outputs whose Poseidon hash is published instead of their values */
  hashedInputs: readonly string[];
  hashedOutputs: readonly string[];
  backends: readonly PlannerBackend[];
  costs: CostConstants;
  /** bytes one kernel's prover may use */
  memoryBudget: number;
  /** per-kernel backend overrides by kernel name ("k0", ...) */
  overrides?: Record<string, string>;
  /**
   * With backend "auto": whether a whole-model plan may replace the kernel plan when its estimate
   * is cheaper (default true; off for independent linking, which is about many kernels)
   */
  wholeModel?: boolean;
}

/** Name of the single kernel of a whole-model plan. */
export const WHOLE_MODEL_KERNEL = "whole-model";

/**
 * The spec of a kernel over primitives [from, to) with the given boundary (tensors = boundary,
 * params, and every tensor a primitive reads or writes, looked up in the program).
 */
export function kernelSpec(
  program: QProgram,
  k: { name: string; kind: KernelKind; from: number; to: number; inputs: readonly string[]; params: readonly string[]; outputs: readonly string[] },
): KernelSpec {
  const prims = program.prims.slice(k.from, k.to);
  const names = new Set<string>([...k.inputs, ...k.params, ...k.outputs]);
  for (const p of prims) {
    for (const t of primInputs(p)) names.add(t);
    names.add(p.out);
  }
  const tensors = new Map([...names].map((n) => [n, program.tensors.get(n)!] as const));
  const spec: KernelSpec = { name: k.name, kind: k.kind, from: k.from, to: k.to, prims, tensors, inputs: [...k.inputs], params: [...k.params], outputs: [...k.outputs] };
  if (program.origins) spec.origins = program.origins.slice(k.from, k.to);
  return spec;
}

/**
 * Plan a program: partition, commit kernels for hashed I/O, a backend per kernel.
 * @throws ZkcError UNSUPPORTED_OP when a kernel has no backend, USAGE for options that do not go together
 */
export function planModel(program: QProgram, opts: PlanOptions): PlannedKernel[] {
  const whole = opts.backends.find((b) => b.name === opts.backend && b.wholeModel);
  if (whole) return [planWholeModel(program, opts, whole)];
  const ctx = { backends: opts.backends, costs: opts.costs, memoryBudget: opts.memoryBudget };
  const out: PlannedKernel[] = [];
  const commitKernel = (kind: "hash-input" | "hash-output", tensor: string, at: number): PlannedKernel => {
    const spec = kernelSpec(program, { name: `${kind === "hash-input" ? "hash-in" : "hash-out"}:${tensor}`, kind, from: at, to: at, inputs: [tensor], params: [], outputs: [] });
    const choice = chooseBackend(spec, ctx, "auto");
    const what = kind === "hash-input" ? "input" : "output";
    return { spec, backend: choice.backend, reason: `${what} is hashed: a commit kernel binds its Poseidon hash to the claims (${choice.reason})`, estimate: choice.estimate };
  };
  for (const t of opts.hashedInputs) out.push(commitKernel("hash-input", t, 0));
  for (const part of partition(program)) {
    const spec = kernelSpec(program, { ...part, kind: "prims" });
    const forced = opts.overrides?.[part.name];
    const choice = chooseBackend(spec, ctx, forced ?? opts.backend);
    out.push({ spec, backend: choice.backend, reason: forced ? `override: ${choice.reason}` : choice.reason, estimate: choice.estimate });
  }
  for (const t of opts.hashedOutputs) out.push(commitKernel("hash-output", t, program.prims.length));
  return cheaperWholeModel(program, opts, out) ?? out;
}

/**
 * Backend "auto" on a small model: one circuit for the whole program (a backend with `wholeModel`)
 * when its estimate is below the kernel plan's total and fits the budget. It proves public inputs
 * and outputs only, and has no kernels to override.
 */
function cheaperWholeModel(program: QProgram, opts: PlanOptions, kernels: readonly PlannedKernel[]): PlannedKernel[] | undefined {
  if (opts.backend !== "auto" || opts.wholeModel === false) return undefined;
  if (opts.hashedInputs.length > 0 || opts.hashedOutputs.length > 0 || Object.keys(opts.overrides ?? {}).length > 0) return undefined;
  const total = kernels.reduce((s, k) => s + k.estimate[k.backend]!.proveSeconds, 0);
  const spec = wholeModelSpec(program);
  let best: { backend: PlannerBackend; est: CostEstimate } | undefined;
  for (const b of opts.backends) {
    if (!b.wholeModel || !b.supports(spec).ok) continue;
    const est = b.estimate(spec, opts.costs);
    if (est.memoryBytes <= opts.memoryBudget && est.proveSeconds < (best?.est.proveSeconds ?? total)) best = { backend: b, est };
  }
  if (!best) return undefined;
  const estimate: Record<string, CostEstimate | null> = {};
  for (const b of opts.backends) estimate[b.name] = b === best.backend ? best.est : null;
  const reason = `cheaper as one ${best.backend.name} circuit: est. ${formatSeconds(best.est.proveSeconds)}, ${formatBytes(best.est.memoryBytes)} vs ${formatSeconds(total)} for ${kernels.length} kernels`;
  return [{ spec, backend: best.backend.name, reason, estimate }];
}

function wholeModelSpec(program: QProgram): KernelSpec {
  return kernelSpec(program, { name: WHOLE_MODEL_KERNEL, kind: "whole-model", from: 0, to: program.prims.length, inputs: program.inputs, params: [], outputs: program.outputs });
}

function planWholeModel(program: QProgram, opts: PlanOptions, backend: PlannerBackend): PlannedKernel {
  const mode = `--backend ${backend.name}`;
  if (opts.hashedInputs.length > 0 || opts.hashedOutputs.length > 0) {
    throw new ZkcError("USAGE", `whole-model mode (${mode}) proves public inputs and outputs; use --backend auto for hashed`, {
      expected: `--input-visibility public --output-visibility public with ${mode}`,
      got: `hashed ${[...opts.hashedInputs, ...opts.hashedOutputs].map((t) => program.tensors.get(t)?.onnxName ?? t).join(", ")}`,
      hint: "drop the hashed visibility, or compile with --backend auto to hash inputs or outputs",
    });
  }
  if (opts.overrides && Object.keys(opts.overrides).length > 0) {
    throw new ZkcError("USAGE", `per-kernel overrides do not apply to whole-model mode (${mode} has one kernel)`, {
      got: Object.keys(opts.overrides).join(", "),
      hint: "use --backend auto with overrides for a partitioned plan",
    });
  }
  const spec = wholeModelSpec(program);
  const s = backend.supports(spec);
  if (!s.ok) {
    throw new ZkcError("USAGE", `the model cannot be proven as one ${backend.name} circuit: ${s.reason}`, {
      node: WHOLE_MODEL_KERNEL,
      hint: "compile with --backend auto, which splits the model into kernels and proves the large ones with the backend that suits them",
    });
  }
  const est = backend.estimate(spec, opts.costs);
  const estimate: Record<string, CostEstimate | null> = {};
  for (const b of opts.backends) estimate[b.name] = b === backend ? est : null;
  return { spec, backend: backend.name, reason: `whole-model mode (${mode})`, estimate };
}
