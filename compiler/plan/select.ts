/**
 * Backend selection: per kernel, the backend with the lower estimated prover time among those that
 * can prove every primitive of the kernel and fit the memory budget; or the forced backend. Each
 * choice carries a short sentence with the numbers it was made from.
 */
import { ZkcError } from "../errors.js";
import type { PrimOp, QProgram } from "../quant/prim.js";
import { formatBytes, formatSeconds, gkrEstimate, groth16Estimate, kernelFeatures, type CostConstants, type CostEstimate } from "./cost.js";
import { groth16SignalCount } from "./groth16-kernel.js";
import type { KernelPart } from "./partition.js";

export type Backend = "gkr" | "groth16";
export type BackendMode = "auto" | Backend;

/** One kernel's choice. */
export interface KernelChoice {
  backend: Backend;
  reason: string;
  estimate: Record<Backend, CostEstimate | null>;
}

/** What selection needs to know about the backends. */
export interface SelectionContext {
  program: QProgram;
  costs: CostConstants;
  /** ops the GKR backend has layers for */
  gkrOps: ReadonlySet<PrimOp>;
  /** ops the Groth16 code generator encodes */
  groth16Ops: ReadonlySet<PrimOp>;
  /** bytes the prover may use for one kernel */
  memoryBudget: number;
  /** largest Groth16 circuit the key setup accepts (constraints) */
  maxGroth16Constraints: number;
}

const describe = (b: Backend, e: CostEstimate): string => `${b} ${formatSeconds(e.proveSeconds)}, ${formatBytes(e.memoryBytes)}`;

/**
 * Choose a backend for a kernel.
 * @param force a backend the user forced (`--backend`), or a per-kernel override
 * @throws ZkcError UNSUPPORTED_OP when no backend can prove the kernel
 */
export function chooseBackend(part: KernelPart, ctx: SelectionContext, mode: BackendMode): KernelChoice {
  const { program, costs } = ctx;
  const prims = program.prims.slice(part.from, part.to);
  const f = kernelFeatures(program, prims, [...part.inputs, ...part.outputs]);
  const missing = (ops: ReadonlySet<PrimOp>) => [...new Set(prims.map((p) => p.op))].filter((op) => !ops.has(op));
  const gkrMissing = missing(ctx.gkrOps);
  const g16Missing = missing(ctx.groth16Ops);
  const nPublic = groth16SignalCount({ inputs: part.inputs, outputs: part.outputs, tensors: program.tensors });
  const estimate: Record<Backend, CostEstimate | null> = {
    gkr: gkrMissing.length ? null : gkrEstimate(f, costs),
    groth16: g16Missing.length ? null : groth16Estimate(f.constraints, nPublic, costs),
  };
  const why: Record<Backend, string | undefined> = {
    gkr: gkrMissing.length ? `${gkrMissing.join(", ")} has no GKR layer` : undefined,
    groth16: g16Missing.length
      ? `${g16Missing.join(", ")} has no Groth16 encoding`
      : f.constraints > ctx.maxGroth16Constraints
        ? `~${f.constraints} constraints exceed the largest supported circuit (${ctx.maxGroth16Constraints})`
        : undefined,
  };
  const usable = (b: Backend) => estimate[b] !== null && why[b] === undefined;
  if (!usable("gkr") && !usable("groth16")) {
    throw new ZkcError("UNSUPPORTED_OP", `kernel ${part.name} (primitives ${part.from}..${part.to - 1}) cannot be proven: ${why.gkr}; ${why.groth16}`, {
      hint: "register the missing layer or encoding, or report the model",
    });
  }
  if (mode !== "auto") {
    const other: Backend = mode === "gkr" ? "groth16" : "gkr";
    if (usable(mode)) return { backend: mode, reason: `forced ${mode} (est. ${describe(mode, estimate[mode]!)})`, estimate };
    return { backend: other, reason: `forced ${mode}, but ${why[mode]}: ${describe(other, estimate[other]!)}`, estimate };
  }
  if (!usable("gkr")) return { backend: "groth16", reason: `${why.gkr}: ${describe("groth16", estimate.groth16!)}`, estimate };
  if (!usable("groth16")) return { backend: "gkr", reason: `${why.groth16}: ${describe("gkr", estimate.gkr!)}`, estimate };
  const g = estimate.gkr!;
  const s = estimate.groth16!;
  const fits = (e: CostEstimate) => e.memoryBytes <= ctx.memoryBudget;
  if (fits(g) !== fits(s)) {
    const b: Backend = fits(g) ? "gkr" : "groth16";
    const o: Backend = b === "gkr" ? "groth16" : "gkr";
    return { backend: b, reason: `${o} needs ${formatBytes(estimate[o]!.memoryBytes)}, over the ${formatBytes(ctx.memoryBudget)} budget: ${describe(b, estimate[b]!)}`, estimate };
  }
  const b: Backend = g.proveSeconds <= s.proveSeconds ? "gkr" : "groth16";
  const o: Backend = b === "gkr" ? "groth16" : "gkr";
  return { backend: b, reason: `cheaper: ${describe(b, estimate[b]!)} vs ${describe(o, estimate[o]!)}`, estimate };
}
