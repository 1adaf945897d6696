/**
 * The zkc benchmark: for each model (fixtures mlp, lenet, transformer, mnist and an MLP width
 * sweep) it measures zkc's partitioned prover (backend auto and all-GKR), the monolithic
 * whole-model Groth16 baseline and plain integer inference, every step in its own child process
 * (bench/worker.ts) with its peak RSS read from the OS, and writes bench/results.json and
 * bench/results.md (DESIGN §7).
 *
 * Run: npx tsx bench/run.ts [--quick] [--only mlp,lenet,sweep-mlp-256] [--no-monolithic]
 *        [--step-time S] [--memory MB] [--ptau-time S] [--out DIR]
 * --quick: the fixtures and a shorter sweep (widths 256..1024) with 180 s per step.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { FIXTURES, SWEEP_WIDTHS, buildSweepModel, fixtureSpec, repoPath, type ModelSpec } from "./models.js";
import { median, repetitionsFor, runChild, type ChildOutcome, type Limits } from "./proc.js";
import { deriveRow, emptyRow, renderMarkdown, validateResults, type ResultRow, type RunInfo, type ZkcFigures } from "./report.js";
import { zkcMissing } from "./zkc.js";
import { cacheDir } from "../backends/groth16/keys.js";

const argv = yargs(hideBin(process.argv))
  .option("quick", { type: "boolean", default: false, describe: "fixtures and a short sweep, tighter limits" })
  .option("only", { type: "string", describe: "comma-separated model names (mlp, lenet, transformer, mnist, sweep-mlp-<width>)" })
  .option("monolithic", { type: "boolean", default: true, describe: "measure the monolithic Groth16 baseline (--no-monolithic skips it)" })
  .option("step-time", { type: "number", describe: "time limit per step in seconds (default 600, --quick 180)" })
  .option("memory", { type: "number", default: 12288, describe: "memory limit per step in MB" })
  .option("ptau-time", { type: "number", describe: "time limit for generating a ptau in seconds (default 3600, --quick 600)" })
  .option("reuse-monolithic", { type: "boolean", default: false, describe: "take the monolithic figures of a model from the existing results.json (same scale and MACs) instead of measuring them again" })
  .option("monolithic-only", { type: "boolean", default: false, describe: "measure only the monolithic baselines; calibration, inference and zkc figures come from the existing results.json rows" })
  .option("skip-reason", { type: "string", describe: "with --no-monolithic: the reason recorded for the missing monolithic figures" })
  .option("merge", { type: "boolean", default: false, describe: "keep the rows of models not run this time from the existing results.json" })
  .option("max-ptau-power", { type: "number", describe: "largest ptau power the harness generates (default 19, --quick 16): a development ptau of 2^20 takes over an hour here" })
  .option("out", { type: "string", describe: "directory for results.json and results.md (default bench/)" })
  .strict()
  .parseSync();

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const WORKER = path.join(BENCH_DIR, "worker.ts");
const TMP = path.join(BENCH_DIR, "tmp");
const MODELS_DIR = path.join(BENCH_DIR, "models");
const OUT_DIR = argv.out ? path.resolve(argv.out) : BENCH_DIR;
const PTAU_LOG = path.join(TMP, "ptau-log.json");
const limits: Limits = { timeS: argv["step-time"] ?? (argv.quick ? 180 : 600), memoryMB: argv.memory };
const MAX_PTAU_POWER = argv["max-ptau-power"] ?? (argv.quick ? 16 : 19);
const ptauLimits: Limits = { timeS: argv["ptau-time"] ?? (argv.quick ? 600 : 3600), memoryMB: argv.memory };
/**
 * The whole-model codegen's R1csBuilder.build spreads every wire id into one call
 * (`order.push(...internals)`), which overflows Node's default stack past ~10^5 wires; a larger
 * stack (still below the 8 MB OS stack) lets it build LeNet-sized circuits.
 */
const BIG_STACK = ["--stack-size=7000"];
const RSS_METHOD = "the larger of VmHWM polled every 50 ms from /proc/<pid>/status and the child's own process.resourceUsage().maxRSS at exit";

/**
 * Rows of the existing results.json, read afresh each time (for --merge and --reuse-monolithic),
 * so that two invocations on disjoint models can run at once without dropping each other's rows.
 */
function currentRows(): ResultRow[] {
  const file = path.join(OUT_DIR, "results.json");
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ResultRow[];
  } catch {
    return [];
  }
}
let allNames: string[] = [];
/** results.json as it was when this run started (phase 1 rewrites rows before phase 2 could reuse them) */
const rowsAtStart = currentRows();
const STARTED_AT = new Date().toISOString();

function log(msg: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

async function step(name: string, arg: unknown, lim: Limits = limits, nodeArgs: string[] = []): Promise<ChildOutcome> {
  // V8's own heap limit (about 4 GB by default) would end big steps before the harness's limit does
  const out = await runChild(WORKER, [name, JSON.stringify(arg)], lim, [`--max-old-space-size=${lim.memoryMB}`, ...nodeArgs]);
  log(`  ${name}: ${out.ok ? `ok (${out.wallS.toFixed(1)} s wall, ${out.peakRssMB.toFixed(0)} MB)` : `FAILED: ${out.reason}`}`);
  return out;
}

/** A repeated step: the first run decides how many runs (5 / 3 / 1); medians of time and RSS. */
async function repeated(name: string, arg: unknown, timeField: string): Promise<{ ok: true; medianS: number; runs: number[]; peakRssMB: number; results: Record<string, unknown>[] } | { ok: false; reason: string }> {
  const first = await step(name, arg);
  if (!first.ok) return { ok: false, reason: first.reason };
  const results = [first.result as Record<string, unknown>];
  const rss = [first.peakRssMB];
  const reps = repetitionsFor(results[0]![timeField] as number);
  for (let i = 1; i < reps; i++) {
    const again = await step(name, arg);
    if (!again.ok) return { ok: false, reason: `run ${i + 1}: ${again.reason}` };
    results.push(again.result as Record<string, unknown>);
    rss.push(again.peakRssMB);
  }
  const runs = results.map((r) => r[timeField] as number);
  return { ok: true, medianS: median(runs), runs, peakRssMB: median(rss), results };
}

/** Powers of the development ptau files in the zkc cache. */
function cachedPtauPowers(): number[] {
  const dir = path.join(cacheDir(), "ptau");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const m = /^zkc-local-bn128-(\d+)\.ptau$/.exec(f);
    return m ? [Number(m[1])] : [];
  });
}

/** Powers of development ptau files some process is generating now (lock files in the cache). */
function pendingPtauPowers(): number[] {
  const dir = path.join(cacheDir(), "ptau");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const m = /^zkc-local-bn128-(\d+)\.ptau\.lock$/.exec(f);
    return m ? [Number(m[1])] : [];
  });
}

function medianOf(results: readonly Record<string, unknown>[], field: string): number {
  return median(results.map((r) => r[field] as number));
}

interface PtauLogEntry {
  power: number;
  generateS: number;
  peakRssMB: number;
  at: string;
}

function readPtauLog(): PtauLogEntry[] {
  return existsSync(PTAU_LOG) ? (JSON.parse(readFileSync(PTAU_LOG, "utf8")) as PtauLogEntry[]) : [];
}

/** Makes sure a ptau of `power` is cached (generating it in a measured step when not) and describes it. */
async function ensurePtau(power: number): Promise<{ ok: true; ptau: NonNullable<ResultRow["monolithic"]["ptau"]> } | { ok: false; reason: string }> {
  if (power > MAX_PTAU_POWER && !cachedPtauPowers().some((p) => p >= power)) {
    return { ok: false, reason: `did not fit: the circuit needs a ptau of 2^${power}, above the harness's limit of 2^${MAX_PTAU_POWER} (generating a development ptau of 2^${MAX_PTAU_POWER + 1} takes over an hour on this machine; pass --max-ptau-power or a bigger cached ptau)` };
  }
  // a bigger ptau being generated by another process serves this circuit too: wait for it rather than make a second one
  const pending = cachedPtauPowers().some((p) => p >= power) ? [] : pendingPtauPowers().filter((p) => p >= power && p <= MAX_PTAU_POWER);
  const target = pending.length > 0 ? Math.min(...pending) : power;
  if (target !== power) log(`  ptau 2^${target} is being generated elsewhere: waiting for it`);
  const out = await step("ptau", { power: target }, ptauLimits);
  if (!out.ok) return { ok: false, reason: `ptau 2^${target}: ${out.reason}` };
  const r = out.result as { cached: boolean; power: number; generateS: number | null };
  if (!r.cached && r.generateS !== null) {
    writeFileSync(PTAU_LOG, JSON.stringify([...readPtauLog(), { power: r.power, generateS: r.generateS, peakRssMB: out.peakRssMB, at: new Date().toISOString() }], null, 1));
  }
  const entry = readPtauLog().filter((e) => e.power === r.power).pop();
  const note = r.cached
    ? entry
      ? `cached; generated by this harness in ${entry.generateS.toFixed(1)} s (peak RSS ${entry.peakRssMB.toFixed(0)} MB) on ${entry.at}`
      : "cached before the harness ran (generation time not recorded)"
    : `generated in this run: ${r.generateS!.toFixed(1)} s, peak RSS ${out.peakRssMB.toFixed(0)} MB`;
  return { ok: true, ptau: { power: r.power, cached: r.cached, generateS: entry?.generateS ?? r.generateS, note } };
}

async function measureZkc(row: ResultRow, spec: ModelSpec, scale: number, backend: "auto" | "gkr"): Promise<void> {
  const key = `zkc.${backend}`;
  const missing = zkcMissing();
  if (missing) {
    row.nullReasons[key] = missing;
    return;
  }
  const fig: ZkcFigures = row.zkc[backend];
  const arg = { spec, scale, backend, dir: path.join(TMP, spec.name, `zkc-${backend}`) };
  const compiled = await step("zkc-compile", arg);
  if (!compiled.ok) return void (row.nullReasons[`${key}.compile`] = compiled.reason);
  const c = compiled.result as { compileS: number; compileCpuS: number; setupS: number | null; kernels: Record<string, number> | null; ptauGenerated: string[] };
  if (c.ptauGenerated.length > 0) row.notes.push(`zkc ${backend} compile generated ${c.ptauGenerated.join(", ")} (not cached before): included in its compile and setup time`);
  fig.compileS = c.compileS;
  fig.compileCpuS = c.compileCpuS;
  fig.setupS = c.setupS;
  fig.kernels = c.kernels;
  if (c.setupS === null) row.nullReasons[`${key}.setupS`] = "compileModel generates the keys; setup time is included in compileS";
  const proved = await repeated("zkc-prove", arg, "proveS");
  if (!proved.ok) return void (row.nullReasons[`${key}.prove`] = proved.reason);
  fig.proveS = proved.medianS;
  fig.proveRuns = proved.runs;
  fig.peakRssMB = proved.peakRssMB;
  fig.proofBytes = proved.results[0]!.proofBytes as number;
  fig.proveCpuS = medianOf(proved.results, "proveCpuS");
  const first = proved.results[0]! as { witnessS: number; commitS: number; kernelSByBackend: Record<string, number> };
  fig.proveBreakdown = { witnessS: first.witnessS, commitS: first.commitS, kernelSByBackend: first.kernelSByBackend };
  const verified = await repeated("zkc-verify", arg, "verifyS");
  if (!verified.ok) return void (row.nullReasons[`${key}.verify`] = verified.reason);
  fig.verifyS = verified.medianS;
  fig.verifyRuns = verified.runs;
  fig.verifyColdS = medianOf(verified.results, "verifyColdS");
  fig.verifyCpuS = medianOf(verified.results, "verifyCpuS");
  fig.verifyBreakdown = {
    parseS: medianOf(verified.results, "verifyParseS"),
    modelLoadS: medianOf(verified.results, "verifyModelLoadS"),
    checkS: medianOf(verified.results, "verifyCheckS"),
  };
}

async function measureMonolithic(row: ResultRow, spec: ModelSpec, scale: number): Promise<void> {
  const m = row.monolithic;
  const arg = { spec, scale, dir: path.join(TMP, spec.name, "mono") };
  const built = await step("mono-build", arg, limits, BIG_STACK);
  if (!built.ok) return void (row.nullReasons["monolithic.build"] = built.reason);
  const b = built.result as { buildS: number; constraints: number; nonzeros: number; power: number };
  Object.assign(m, { buildS: b.buildS, constraints: b.constraints, nonzeros: b.nonzeros, power: b.power, buildPeakRssMB: built.peakRssMB });
  const ptau = await ensurePtau(b.power);
  if (!ptau.ok) return void (row.nullReasons["monolithic.ptau"] = ptau.reason);
  m.ptau = ptau.ptau;
  const witness = await step("mono-witness", arg, limits, BIG_STACK);
  if (!witness.ok) return void (row.nullReasons["monolithic.witness"] = witness.reason);
  m.witnessS = (witness.result as { witnessS: number }).witnessS;
  const setup = await step("mono-setup", arg);
  if (!setup.ok) return void (row.nullReasons["monolithic.setup"] = setup.reason);
  m.setupS = (setup.result as { setupS: number }).setupS;
  m.setupCpuS = (setup.result as { setupCpuS: number }).setupCpuS;
  m.setupPeakRssMB = setup.peakRssMB;
  const proved = await repeated("mono-prove", arg, "proveS");
  if (!proved.ok) return void (row.nullReasons["monolithic.prove"] = proved.reason);
  m.proveS = proved.medianS;
  m.proveRuns = proved.runs;
  m.peakRssMB = proved.peakRssMB;
  m.proofBytes = proved.results[0]!.proofBytes as number;
  m.proveCpuS = medianOf(proved.results, "proveCpuS");
  const verified = await repeated("mono-verify", arg, "verifyS");
  if (!verified.ok) return void (row.nullReasons["monolithic.verify"] = verified.reason);
  m.verifyS = verified.medianS;
  m.verifyRuns = verified.runs;
  m.verifyColdS = medianOf(verified.results, "verifyColdS");
  m.verifyCpuS = medianOf(verified.results, "verifyCpuS");
}

/** Phase 1 for one model: calibration, inference, zkc (auto and all-GKR). */
async function measureModel(spec: ModelSpec): Promise<ResultRow> {
  log(`${spec.name}`);
  const row = emptyRow(spec.name, spec.kind, spec.width ?? null);
  row.measuredAt = new Date().toISOString();
  const cal = await step("calibrate", { spec });
  if (!cal.ok) {
    for (const k of ["inference", "zkc.auto", "zkc.gkr", "monolithic"]) row.nullReasons[k] = `calibration failed: ${cal.reason}`;
    return deriveRow(row);
  }
  const c = cal.result as { scale: number; macs: number; prims: number };
  row.scale = c.scale;
  row.macs = c.macs;
  row.prims = c.prims;
  const inf = await step("infer", { spec, scale: c.scale, dir: "" });
  if (inf.ok) {
    row.inferenceS = (inf.result as { inferenceS: number }).inferenceS;
    row.inferenceCpuS = (inf.result as { inferenceCpuS: number }).inferenceCpuS;
  } else row.nullReasons.inference = inf.reason;
  await measureZkc(row, spec, c.scale, "auto");
  await measureZkc(row, spec, c.scale, "gkr");
  row.nullReasons["monolithic.pending"] = "measured after every model's zkc figures (phase 2 of the run)";
  rmSync(path.join(TMP, spec.name), { recursive: true, force: true }); // keys and proofs can be large
  return deriveRow(row);
}

/**
 * Phase 2 for one model: the monolithic baseline (after every model's zkc figures, so that a
 * long ptau generation does not hold them up).
 */
async function measureModelMonolithic(row: ResultRow, spec: ModelSpec): Promise<ResultRow> {
  if (row.scale === null) return row;
  delete row.nullReasons["monolithic.pending"];
  log(`${spec.name}: monolithic`);
  const earlier = argv["reuse-monolithic"] ? rowsAtStart.find((r) => r.model === spec.name && r.scale === row.scale && r.macs === row.macs && r.monolithic.measuredAt !== null) : undefined;
  if (earlier) {
    row.monolithic = earlier.monolithic;
    for (const [k, v] of Object.entries(earlier.nullReasons)) if (k.startsWith("monolithic")) row.nullReasons[k] = v;
    log(`  monolithic: reused from the run of ${earlier.monolithic.measuredAt}`);
  } else if (argv.monolithic) {
    await measureMonolithic(row, spec, row.scale);
    row.monolithic.measuredAt = new Date().toISOString();
  } else row.nullReasons.monolithic = `not measured in this run (--no-monolithic)${argv["skip-reason"] ? `: ${argv["skip-reason"]}` : ""}`;
  rmSync(path.join(TMP, spec.name), { recursive: true, force: true });
  return deriveRow(row);
}

function machine(totalS: number): RunInfo {
  return {
    startedAt: STARTED_AT,
    date: new Date().toISOString(),
    quick: argv.quick,
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGB: os.totalmem() / 2 ** 30,
    node: process.version,
    limits: { stepTimeS: limits.timeS, memoryMB: limits.memoryMB, ptauTimeS: ptauLimits.timeS },
    rssMethod: RSS_METHOD,
    totalS,
  };
}

function write(rows: ResultRow[], totalS: number): void {
  const problems = validateResults(JSON.parse(JSON.stringify(rows)));
  if (problems.length > 0) log(`results schema problems:\n  ${problems.join("\n  ")}`);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(path.join(OUT_DIR, "results.json"), JSON.stringify(rows, null, 1) + "\n");
  writeFileSync(path.join(OUT_DIR, "results.md"), renderMarkdown(rows, machine(totalS)));
}

async function main(): Promise<void> {
  const t0 = performance.now();
  mkdirSync(TMP, { recursive: true });
  rmSync(MODELS_DIR, { recursive: true, force: true });
  const widths = argv.quick ? SWEEP_WIDTHS.quick : SWEEP_WIDTHS.full;
  let specs: ModelSpec[] = [...FIXTURES.map((f) => fixtureSpec(f)), ...widths.map((w) => buildSweepModel(w, MODELS_DIR))];
  allNames = [...FIXTURES, ...SWEEP_WIDTHS.full.map((w) => `sweep-mlp-${w}`)];
  if (argv.only) {
    const only = new Set(argv.only.split(",").map((s) => s.trim()));
    const unknown = [...only].filter((n) => !specs.some((s) => s.name === n));
    if (unknown.length > 0) throw new Error(`--only: unknown model(s) ${unknown.join(", ")}; models: ${specs.map((s) => s.name).join(", ")}`);
    specs = specs.filter((s) => only.has(s.name));
  }
  for (const s of specs) if (!existsSync(s.onnx)) throw new Error(`model file missing: ${path.relative(repoPath("."), s.onnx)} (run npm run fixtures)`);
  log(`models: ${specs.map((s) => s.name).join(", ")}; limits ${limits.timeS} s / ${limits.memoryMB} MB per step`);
  const rows: ResultRow[] = [];
  const order = (r: ResultRow) => { const i = allNames.indexOf(r.model); return i < 0 ? allNames.length : i; };
  const save = () => {
    // rows of models this run has not (yet) produced stay as they are in the file
    const kept = argv.merge ? currentRows().filter((r) => !rows.some((x) => x.model === r.model)) : [];
    write([...kept, ...rows].sort((a, b) => order(a) - order(b)), (performance.now() - t0) / 1000);
  };
  for (const spec of specs) {
    const existing = argv["monolithic-only"] ? currentRows().find((r) => r.model === spec.name) : undefined;
    if (argv["monolithic-only"] && !existing) throw new Error(`--monolithic-only: no row for ${spec.name} in results.json to take the other figures from`);
    rows.push(existing ?? (await measureModel(spec)));
    save();
  }
  for (const [i, spec] of specs.entries()) {
    rows[i] = await measureModelMonolithic(rows[i]!, spec);
    save();
  }
  log(`wrote ${path.join(OUT_DIR, "results.json")} and results.md in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(1);
});
