/**
 * The mutation campaigns' driver, shared by `npm run fuzz` (scripts/fuzz.ts, full budget) and the
 * default test suite (test/fuzz/fuzz.test.ts, small budget): runs the cases, counts outcomes per
 * class and plan, and writes every failing case to a file for reproduction.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { terminateWorkers } from "./terminate.js";
import { runCliCompileCase, runCliProveCase, runInputCase, runOnnxCase, onnxBases, prepareInputTarget, type FileCaseResult } from "./file-campaign.js";
import { preparePlan, runProofCase, type CaseResult, type ProofPlan } from "./proof-campaign.js";

export interface Budget {
  seed: number;
  /** proof mutations per plan */
  proofs: Partial<Record<ProofPlan, number>>;
  onnx: number;
  inputs: number;
  cliCompile: number;
  cliProve: number;
  /** per-case limits (ms) */
  caseLimitMs: number;
  cliLimitMs: number;
  /** where failing cases are written (none when undefined) */
  failuresDir?: string;
  /** only this case ("plan:index", "onnx:index", "input:index", "cli-compile:index", "cli-prove:index") */
  only?: string;
  log?: (line: string) => void;
}

export interface Report {
  proof: Map<string, Record<string, number>>;
  files: Map<string, Record<string, number>>;
  failures: (CaseResult | FileCaseResult)[];
  totals: { proofMutations: number; accepted: number; proofInternal: number; controlsFailed: number; fileMutations: number; fileInternal: number; hangs: number; halfWritten: number; badExit: number };
  seconds: { prepare: number; proofs: number; files: number };
  /** verification rate per plan (mutants per second) */
  rates: Record<string, number>;
}

function count(m: Map<string, Record<string, number>>, key: string, outcome: string): void {
  const row = m.get(key) ?? {};
  row[outcome] = (row[outcome] ?? 0) + 1;
  m.set(key, row);
}

const PROOF_FAIL = new Set(["accepted", "internal", "control-failed"]);
const FILE_FAIL = new Set(["internal", "hang", "half-written", "bad-exit"]);

export async function runCampaign(b: Budget): Promise<Report> {
  const log = b.log ?? (() => {});
  const report: Report = {
    proof: new Map(),
    files: new Map(),
    failures: [],
    totals: { proofMutations: 0, accepted: 0, proofInternal: 0, controlsFailed: 0, fileMutations: 0, fileInternal: 0, hangs: 0, halfWritten: 0, badExit: 0 },
    seconds: { prepare: 0, proofs: 0, files: 0 },
    rates: {},
  };
  const [onlyKind, onlyIndex] = b.only ? [b.only.split(":")[0]!, Number(b.only.split(":")[1])] : [undefined, undefined];
  const indices = (n: number, kind: string) => (onlyKind === undefined ? Array.from({ length: n }, (_, i) => i) : onlyKind === kind ? [onlyIndex!] : []);
  const fail = (r: CaseResult | FileCaseResult, name: string, body: unknown) => {
    report.failures.push(r);
    if (!b.failuresDir) return;
    mkdirSync(b.failuresDir, { recursive: true });
    writeFileSync(join(b.failuresDir, `${name}.json`), JSON.stringify(body, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v instanceof Map ? `[${v.size} files]` : v), 1));
  };
  try {
    for (const [plan, n] of Object.entries(b.proofs) as [ProofPlan, number][]) {
      const idx = indices(n, plan);
      if (!idx.length) continue;
      let t0 = performance.now();
      log(`preparing plan ${plan} (compile, prove twice)...`);
      const prep = await preparePlan(plan);
      report.seconds.prepare += (performance.now() - t0) / 1000;
      t0 = performance.now();
      for (const i of idx) {
        const r = await runProofCase(prep, b.seed, i);
        if (r.outcome === "noop") continue;
        report.totals.proofMutations++;
        count(report.proof, `${plan}/${r.cls}`, r.outcome);
        if (r.outcome === "accepted") report.totals.accepted++;
        if (r.outcome === "internal") report.totals.proofInternal++;
        if (r.outcome === "control-failed") report.totals.controlsFailed++;
        if (PROOF_FAIL.has(r.outcome)) {
          log(`FAIL ${plan}:${i} ${r.cls} ${r.outcome}: ${r.what}${r.reason ? ` (${r.reason})` : ""}`);
          fail(r, `proof-${plan}-${i}`, { replay: `npm run fuzz -- --seed ${b.seed} --case ${plan}:${i}`, ...r, proof: r.mutant?.proof, manifest: r.mutant?.manifest });
        }
        if ((i + 1) % 500 === 0) log(`  ${plan}: ${i + 1}/${n}`);
      }
      const s = (performance.now() - t0) / 1000;
      report.seconds.proofs += s;
      report.rates[plan] = idx.length / s;
      log(`  ${plan}: ${idx.length} cases in ${s.toFixed(1)} s (${(idx.length / s).toFixed(1)}/s)`);
    }
    const t1 = performance.now();
    const bases = onnxBases();
    const file = (r: FileCaseResult) => {
      report.totals.fileMutations++;
      count(report.files, `${r.kind}/${r.cls}`, r.outcome);
      if (r.outcome === "internal") report.totals.fileInternal++;
      if (r.outcome === "hang") report.totals.hangs++;
      if (r.outcome === "half-written") report.totals.halfWritten++;
      if (r.outcome === "bad-exit") report.totals.badExit++;
      if (FILE_FAIL.has(r.outcome)) {
        log(`FAIL ${r.kind}:${r.index} ${r.cls} ${r.outcome}: ${r.what}${r.reason ? ` (${r.reason.split("\n")[0]})` : ""}`);
        fail(r, `${r.kind}-${r.index}`, { replay: `npm run fuzz -- --seed ${b.seed} --case ${r.kind}:${r.index}`, ...r });
      }
    };
    for (const i of indices(b.onnx, "onnx")) file(await runOnnxCase(bases[i % bases.length]!, b.seed, i, b.caseLimitMs));
    for (const i of indices(b.cliCompile, "cli-compile")) file(await runCliCompileCase(bases[i % bases.length]!, b.seed, i, b.cliLimitMs));
    const needTarget = indices(b.inputs, "input").length + indices(b.cliProve, "cli-prove").length > 0;
    if (needTarget) {
      const target = await prepareInputTarget();
      for (const i of indices(b.inputs, "input")) file(await runInputCase(target, b.seed, i, b.caseLimitMs));
      for (const i of indices(b.cliProve, "cli-prove")) file(await runCliProveCase(target, b.seed, i, b.cliLimitMs));
    }
    report.seconds.files = (performance.now() - t1) / 1000;
  } finally {
    await terminateWorkers();
  }
  return report;
}

/** The report as a text table (counts per class and plan, then totals). */
export function formatReport(r: Report): string {
  const lines: string[] = [];
  const section = (title: string, m: Map<string, Record<string, number>>) => {
    lines.push(title);
    const outcomes = [...new Set([...m.values()].flatMap((row) => Object.keys(row)))].sort();
    lines.push(`  ${"class".padEnd(28)}${outcomes.map((o) => o.padStart(14)).join("")}${"total".padStart(8)}`);
    for (const [k, row] of [...m.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${k.padEnd(28)}${outcomes.map((o) => String(row[o] ?? 0).padStart(14)).join("")}${String(Object.values(row).reduce((s, x) => s + x, 0)).padStart(8)}`);
    }
  };
  section("proof mutations (plan/class):", r.proof);
  section("file mutations (kind/class):", r.files);
  const t = r.totals;
  lines.push(
    `totals: ${t.proofMutations} proof mutations, accepted ${t.accepted}, verifier internal errors ${t.proofInternal}, failed controls ${t.controlsFailed}; ` +
      `${t.fileMutations} file mutations, internal errors ${t.fileInternal}, hangs ${t.hangs}, half-written ${t.halfWritten}, bad exit codes ${t.badExit}`,
  );
  lines.push(`time: prepare ${r.seconds.prepare.toFixed(1)} s, proof mutations ${r.seconds.proofs.toFixed(1)} s, file mutations ${r.seconds.files.toFixed(1)} s`);
  lines.push(`verification rate: ${Object.entries(r.rates).map(([p, x]) => `${p} ${x.toFixed(1)}/s`).join(", ")}`);
  return lines.join("\n");
}

export function failed(r: Report): boolean {
  return r.failures.length > 0;
}
