/**
 * The zkc partitioned prover as the benchmark drives it: compile (plan, codegen, setup), prove,
 * verify, through compiler/plan/compile.ts, runtime/prove.ts and runtime/verify.ts. Those modules
 * are loaded at run time so the harness still runs (and records why a figure is missing) while
 * they are not in the repository.
 */
import { existsSync } from "node:fs";
import { repoPath, type ModelSpec } from "./models.js";

/** Arguments of the zkc steps. */
export interface ZkcStepArgs {
  spec: ModelSpec;
  scale: number;
  dir: string;
  backend: "auto" | "gkr";
}

/** The zkc modules the benchmark needs, as repository paths. */
export const ZKC_MODULES = ["compiler/plan/compile.ts", "runtime/prove.ts", "runtime/verify.ts"] as const;

/** Null when every zkc module is present, else the reason the zkc columns are empty. */
export function zkcMissing(): string | null {
  const missing = ZKC_MODULES.filter((m) => !existsSync(repoPath(m)));
  return missing.length === 0 ? null : `zkc partitioned prover not in the repository yet (missing ${missing.join(", ")})`;
}

function unavailable(): never {
  throw new Error(zkcMissing() ?? "zkc steps are not wired to the landed modules yet");
}

export async function zkcCompile(_arg: ZkcStepArgs): Promise<Record<string, unknown>> {
  return unavailable();
}
export async function zkcProve(_arg: ZkcStepArgs): Promise<Record<string, unknown>> {
  return unavailable();
}
export async function zkcVerify(_arg: ZkcStepArgs): Promise<Record<string, unknown>> {
  return unavailable();
}
