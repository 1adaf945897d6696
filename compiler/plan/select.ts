/**
 * Backend selection: per kernel, the backend with the lowest estimated prover time among those
 * that support the kernel and fit the memory budget; or the forced backend. Each choice carries a
 * short sentence with the numbers it was made from. Backends come as a list (registry order, which
 * breaks ties); nothing here knows any of them.
 */
import { ZkcError } from "../errors.js";
import type { KernelSpec, PlannerBackend } from "./backend.js";
import { formatBytes, formatSeconds, type CostConstants, type CostEstimate } from "./cost.js";

/** "auto" or a backend's name. */
export type BackendMode = string;

/** One kernel's choice. */
export interface KernelChoice {
  backend: string;
  reason: string;
  /** every backend's estimate, in list order (null where the backend does not support the kernel) */
  estimate: Record<string, CostEstimate | null>;
}

/** What selection needs. */
export interface SelectionContext {
  backends: readonly PlannerBackend[];
  costs: CostConstants;
  /** bytes the prover may use for one kernel */
  memoryBudget: number;
}

const describe = (b: string, e: CostEstimate): string => `${b} ${formatSeconds(e.proveSeconds)}, ${formatBytes(e.memoryBytes)}`;

/**
 * Choose a backend for a kernel.
 * @param mode "auto", or a backend the user forced (`--backend`, or a per-kernel override)
 * @throws ZkcError UNSUPPORTED_OP when no backend can prove the kernel, USAGE for an unknown backend
 */
export function chooseBackend(kernel: KernelSpec, ctx: SelectionContext, mode: BackendMode): KernelChoice {
  const names = ctx.backends.map((b) => b.name);
  if (mode !== "auto" && !names.includes(mode)) {
    throw new ZkcError("USAGE", `unknown backend "${mode}"`, { expected: ["auto", ...names].join(", "), got: mode });
  }
  const estimate: Record<string, CostEstimate | null> = {};
  const why: Record<string, string | undefined> = {};
  for (const b of ctx.backends) {
    const s = b.supports(kernel);
    estimate[b.name] = s.ok ? b.estimate(kernel, ctx.costs) : null;
    why[b.name] = s.ok ? undefined : s.reason;
  }
  const usable = names.filter((n) => estimate[n] !== null);
  if (usable.length === 0) {
    throw new ZkcError("UNSUPPORTED_OP", `kernel ${kernel.name} (primitives ${kernel.from}..${kernel.to - 1}) cannot be proven: ${names.map((n) => why[n]).join("; ")}`, {
      hint: "register the missing layer or encoding, or report the model",
    });
  }
  const cheapest = (among: readonly string[]): string => among.reduce((a, b) => (estimate[b]!.proveSeconds < estimate[a]!.proveSeconds ? b : a));
  if (mode !== "auto") {
    if (usable.includes(mode)) return { backend: mode, reason: `forced ${mode} (est. ${describe(mode, estimate[mode]!)})`, estimate };
    const b = cheapest(usable);
    return { backend: b, reason: `forced ${mode}, but ${why[mode]}: ${describe(b, estimate[b]!)}`, estimate };
  }
  if (usable.length === 1) {
    const b = usable[0]!;
    return { backend: b, reason: `${names.filter((n) => n !== b).map((n) => why[n]).join("; ")}: ${describe(b, estimate[b]!)}`, estimate };
  }
  const fitting = usable.filter((n) => estimate[n]!.memoryBytes <= ctx.memoryBudget);
  if (fitting.length > 0 && fitting.length < usable.length) {
    const b = cheapest(fitting);
    const o = cheapest(usable.filter((n) => !fitting.includes(n)));
    return { backend: b, reason: `${o} needs ${formatBytes(estimate[o]!.memoryBytes)}, over the ${formatBytes(ctx.memoryBudget)} budget: ${describe(b, estimate[b]!)}`, estimate };
  }
  const b = cheapest(usable);
  const o = cheapest(usable.filter((n) => n !== b));
  return { backend: b, reason: `cheaper: ${describe(b, estimate[b]!)} vs ${describe(o, estimate[o]!)}`, estimate };
}
