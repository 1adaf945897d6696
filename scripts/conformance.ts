/**
 * ONNX conformance report: runs ../shared/onnx-conformance (node and simple cases) through the
 * frontend and the float interpreter and prints a per-op table and the failures.
 *
 *   tsx scripts/conformance.ts [--suite node|simple|all] [--filter <substring>] [--verbose] [--json <file>]
 *
 * `--json` also writes every case's result (suite, name, op, op types, notes, outcome per column)
 * to a file, for diffing runs or columns.
 * `--verbose` also lists every skipped case with its reason. The last line is always
 * `conformance: N passed, M failed, K skipped`. Exit code 0 unless the arguments are wrong (absent
 * data is reported as skipped; the pass-rate threshold is enforced by test/conformance).
 */
import { writeFileSync } from "node:fs";
import {
  type CaseResult,
  type Evaluator,
  type Suite,
  CONFORMANCE_ROOT,
  SUITES,
  floatEvaluator,
  runSuite,
  tally,
} from "../test/conformance/cases.js";
import { quantisedEvaluator } from "../test/conformance/quantised.js";

const EVALUATORS: readonly Evaluator[] = [floatEvaluator, quantisedEvaluator];

function usage(msg: string): never {
  console.error(`conformance: ${msg}\nusage: tsx scripts/conformance.ts [--suite node|simple|all] [--filter <substring>] [--verbose] [--json <file>]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { suites: Suite[]; filter?: string; verbose: boolean; json?: string } {
  let suites: Suite[] = [...SUITES];
  let filter: string | undefined;
  let json: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--filter") filter = argv[++i] ?? usage("--filter needs a value");
    else if (a === "--json") json = argv[++i] ?? usage("--json needs a file name");
    else if (a === "--suite") {
      const s = argv[++i];
      if (s === "all") suites = [...SUITES];
      else if (s === "node" || s === "simple") suites = [s];
      else usage(`unknown suite "${s ?? ""}"`);
    } else usage(`unknown argument "${a}"`);
  }
  return { suites, filter, verbose, json };
}

function pad(s: string | number, n: number, right = false): string {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

function printTable(results: readonly CaseResult[]): void {
  const tallies = EVALUATORS.map((e) => tally(results, e.name));
  const ops = [...new Set(results.map((r) => r.op))].sort();
  const width = Math.max(4, ...ops.map((o) => o.length)) + 2;
  const head = EVALUATORS.map((e) => `${pad(`${e.name}:pass`, 11, true)}${pad("fail", 6, true)}${pad("skip", 6, true)}`).join("  ");
  console.log(`${pad("op", width)}${head}`);
  for (const op of ops) {
    const cols = tallies.map((t) => {
      const c = t.byOp.get(op) ?? { passed: 0, failed: 0, skipped: 0 };
      return `${pad(c.passed, 11, true)}${pad(c.failed, 6, true)}${pad(c.skipped, 6, true)}`;
    });
    console.log(`${pad(op, width)}${cols.join("  ")}`);
  }
}

/** A failure reason without the case-specific prefix (data set, model path, node name). */
function genericReason(reason: string): string {
  return reason
    .replace(/^test_data_set_\d+: /, "")
    .replace(/^(node|simple)\/[^:]*model\.onnx: /, "")
    .replace(/^node "[^"]*" \([^)]*\): /, "")
    .replace(/\. .*$/, "")
    .slice(0, 160);
}

/** Per op with failures: up to three reasons, most frequent first. */
function topReasons(results: readonly CaseResult[], evaluator: string): [string, [string, number][]][] {
  const byOp = new Map<string, Map<string, number>>();
  for (const r of results) {
    const o = r.outcomes[evaluator];
    if (o?.status !== "failed") continue;
    const m = byOp.get(r.op) ?? new Map<string, number>();
    const g = genericReason(o.reason ?? "");
    m.set(g, (m.get(g) ?? 0) + 1);
    byOp.set(r.op, m);
  }
  return [...byOp]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([op, m]) => [op, [...m].sort((a, b) => b[1] - a[1]).slice(0, 3)]);
}

function main(): void {
  const { suites, filter, verbose, json } = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const results: CaseResult[] = [];
  for (const suite of suites) {
    const r = runSuite(suite, EVALUATORS, { filter });
    if (!r) {
      console.log(`conformance data ${CONFORMANCE_ROOT}${suite} is absent: skipped`);
      console.log("conformance: 0 passed, 0 failed, 0 skipped");
      return;
    }
    results.push(...r);
  }
  printTable(results);
  if (json) {
    const rows = results.map((r) => ({ suite: r.case.suite, name: r.case.name, op: r.op, opTypes: r.opTypes, notes: r.notes, outcomes: r.outcomes }));
    writeFileSync(json, `${JSON.stringify(rows, null, 1)}\n`);
  }

  for (const ev of EVALUATORS) {
    const failed = results.filter((r) => r.outcomes[ev.name]?.status === "failed");
    if (failed.length) {
      console.log(`\nfailures (${ev.name}):`);
      for (const r of failed) console.log(`  ${r.case.suite}/${r.case.name} [${r.op}]: ${r.outcomes[ev.name]!.reason}`);
    }
    if (verbose) {
      const skipped = results.filter((r) => r.outcomes[ev.name]?.status === "skipped");
      if (skipped.length) {
        console.log(`\nskipped (${ev.name}):`);
        for (const r of skipped) console.log(`  ${r.case.suite}/${r.case.name} [${r.op}]: ${r.outcomes[ev.name]!.reason}`);
      }
    }
  }
  for (const ev of EVALUATORS) {
    const reasons = topReasons(results, ev.name);
    if (reasons.length) {
      console.log(`\ntop failure reasons per op (${ev.name}):`);
      for (const [op, list] of reasons) console.log(`  ${op}: ${list.map(([r, n]) => `${n}x ${r}`).join("; ")}`);
    }
  }
  for (const ev of EVALUATORS) {
    const kinds = new Map<string, number>();
    for (const r of results) {
      const o = r.outcomes[ev.name];
      if (o?.status !== "skipped") continue;
      const kind = (o.reason ?? "").replace(/^(unsupported op|dtype|opset).*$/, "$1");
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    if (kinds.size) console.log(`\nskipped by reason (${ev.name}): ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(", ")}`);
  }
  const bound = results.filter((r) => r.notes).length;
  if (bound) console.log(`\n${bound} cases ran with inputs zkc needs at compile time (axes, shapes, pads) bound as constants`);
  for (const ev of EVALUATORS.slice(1)) {
    const t = tally(results, ev.name).total;
    const n = t.passed + t.failed;
    console.log(`${ev.name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${n ? ((100 * t.passed) / n).toFixed(1) : "n/a"}% of applicable)`);
  }
  const { total } = tally(results, EVALUATORS[0]!.name);
  const applicable = total.passed + total.failed;
  const rate = applicable ? ((100 * total.passed) / applicable).toFixed(1) : "n/a";
  console.log(`\n${results.length} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${rate}% of applicable cases pass (${EVALUATORS[0]!.name})`);
  console.log(`conformance: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
}

main();
