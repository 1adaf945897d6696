/**
 * Results of a benchmark run: the row schema of bench/results.json, the derived ratios, and the
 * Markdown report (bench/results.md). Pure functions, tested in test/bench/.
 */

/** Per-step figures of one zkc mode (partitioned prover, backend "auto" or "gkr"). */
export interface ZkcFigures {
  compileS: number | null;
  /** key generation, when the compiler reports it apart from compile (else included in compileS) */
  setupS: number | null;
  proveS: number | null;
  /** warm verification (second call in the process) */
  verifyS: number | null;
  /** first verification call in a fresh process */
  verifyColdS: number | null;
  proofBytes: number | null;
  /** peak RSS of the proving process */
  peakRssMB: number | null;
  /** kernels per backend in the plan, when the compiler reports it */
  kernels: Record<string, number> | null;
  /** CPU seconds (user + system, all threads) of compile, prove, warm verify: steadier than wall time on a shared machine */
  compileCpuS: number | null;
  proveCpuS: number | null;
  verifyCpuS: number | null;
  /** the prover's own split (first run): witness, commitments, kernel proofs per backend */
  proveBreakdown: { witnessS: number; commitS: number; kernelSByBackend: Record<string, number> } | null;
  /** the warm verification's split (medians over the runs): proof parsing, loading the model files (read, digests, decoding), the checks */
  verifyBreakdown: { parseS: number; modelLoadS: number; checkS: number } | null;
  proveRuns: number[];
  verifyRuns: number[];
}

/** Figures of the monolithic baseline (the whole program as one Groth16 circuit through snarkjs). */
export interface MonolithicFigures {
  constraints: number | null;
  nonzeros: number | null;
  /** ptau power the circuit needs */
  power: number | null;
  /** circuit construction (zkc's whole-model codegen) */
  buildS: number | null;
  /** witness construction for the sample input (not part of proveS) */
  witnessS: number | null;
  /** circuit-specific setup: newZKey + one contribution + vkey export */
  setupS: number | null;
  /** snarkjs groth16.prove from .zkey and .wtns */
  proveS: number | null;
  /** warm verification (second call in the process) */
  verifyS: number | null;
  /** first verification call in a fresh process (includes snarkjs's curve start-up) */
  verifyColdS: number | null;
  proofBytes: number | null;
  /** peak RSS of the proving process (snarkjs prove only) */
  peakRssMB: number | null;
  /** CPU seconds (user + system, all threads) of setup, prove, warm verify */
  setupCpuS: number | null;
  proveCpuS: number | null;
  verifyCpuS: number | null;
  buildPeakRssMB: number | null;
  setupPeakRssMB: number | null;
  /** when these figures were measured (ISO date; they may come from an earlier run with --reuse-monolithic) */
  measuredAt: string | null;
  /** universal ptau: reported apart, generated once and cached */
  ptau: { power: number; cached: boolean; generateS: number | null; note: string } | null;
  proveRuns: number[];
  verifyRuns: number[];
}

/** One row of bench/results.json. */
export interface ResultRow {
  model: string;
  /** ISO time the row's measurement started (rows kept with --merge come from earlier invocations) */
  measuredAt: string | null;
  kind: "fixture" | "sweep";
  /** sweep: hidden width */
  width: number | null;
  macs: number | null;
  prims: number | null;
  /** fixed-point scale chosen by calibration */
  scale: number | null;
  /** zkc, backend "auto": the headline figures */
  compileS: number | null;
  setupS: number | null;
  proveS: number | null;
  verifyS: number | null;
  proofBytes: number | null;
  peakRssMB: number | null;
  /** plain integer inference (runProgram), median of warm runs */
  inferenceS: number | null;
  inferenceCpuS: number | null;
  proveOverInference: number | null;
  /** the same ratios from CPU seconds (less sensitive to other load on the machine) */
  proveOverInferenceCpu: number | null;
  speedupVsMonolithicCpu: number | null;
  proveSPerMac: number | null;
  monolithicConstraints: number | null;
  monolithicSetupS: number | null;
  monolithicProveS: number | null;
  monolithicVerifyS: number | null;
  monolithicPeakRssMB: number | null;
  /** monolithicProveS / proveS */
  speedupVsMonolithic: number | null;
  /** monolithicPeakRssMB / peakRssMB */
  memoryRatioVsMonolithic: number | null;
  /** zkc all-GKR */
  gkrProveS: number | null;
  gkrPeakRssMB: number | null;
  zkc: { auto: ZkcFigures; gkr: ZkcFigures };
  monolithic: MonolithicFigures;
  /** remarks on how figures were obtained (e.g. a ptau generated inside a timed step) */
  notes: string[];
  /** why a figure is null, by field name ("zkc.auto.proveS", "monolithic.setupS", ...) */
  nullReasons: Record<string, string>;
}

/** An empty zkc figure set. */
export function emptyZkc(): ZkcFigures {
  return { compileS: null, setupS: null, proveS: null, verifyS: null, verifyColdS: null, proofBytes: null, peakRssMB: null, kernels: null, compileCpuS: null, proveCpuS: null, verifyCpuS: null, proveBreakdown: null, verifyBreakdown: null, proveRuns: [], verifyRuns: [] };
}

/** An empty monolithic figure set. */
export function emptyMonolithic(): MonolithicFigures {
  return {
    constraints: null, nonzeros: null, power: null, buildS: null, witnessS: null, setupS: null, proveS: null, verifyS: null,
    verifyColdS: null, proofBytes: null, peakRssMB: null, setupCpuS: null, proveCpuS: null, verifyCpuS: null, buildPeakRssMB: null, setupPeakRssMB: null, measuredAt: null, ptau: null, proveRuns: [], verifyRuns: [],
  };
}

/** a / b, or null when either is missing or b is not positive. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0) || !Number.isFinite(a)) return null;
  return a / b;
}

/** Fills the flat headline fields and ratios of a row from its nested figures. */
export function deriveRow(row: ResultRow): ResultRow {
  const z = row.zkc.auto;
  const m = row.monolithic;
  return {
    ...row,
    compileS: z.compileS,
    setupS: z.setupS,
    proveS: z.proveS,
    verifyS: z.verifyS,
    proofBytes: z.proofBytes,
    peakRssMB: z.peakRssMB,
    proveOverInference: ratio(z.proveS, row.inferenceS),
    proveOverInferenceCpu: ratio(z.proveCpuS, row.inferenceCpuS),
    speedupVsMonolithicCpu: ratio(m.proveCpuS, z.proveCpuS),
    proveSPerMac: ratio(z.proveS, row.macs),
    monolithicConstraints: m.constraints,
    monolithicSetupS: m.setupS,
    monolithicProveS: m.proveS,
    monolithicVerifyS: m.verifyS,
    monolithicPeakRssMB: m.peakRssMB,
    speedupVsMonolithic: ratio(m.proveS, z.proveS),
    memoryRatioVsMonolithic: ratio(m.peakRssMB, z.peakRssMB),
    gkrProveS: row.zkc.gkr.proveS,
    gkrPeakRssMB: row.zkc.gkr.peakRssMB,
  };
}

/** A new row with every figure null. */
export function emptyRow(model: string, kind: "fixture" | "sweep", width: number | null): ResultRow {
  return deriveRow({
    model, measuredAt: null, kind, width, macs: null, prims: null, scale: null,
    compileS: null, setupS: null, proveS: null, verifyS: null, proofBytes: null, peakRssMB: null,
    inferenceS: null, inferenceCpuS: null, proveOverInference: null, proveOverInferenceCpu: null, speedupVsMonolithicCpu: null, proveSPerMac: null,
    monolithicConstraints: null, monolithicSetupS: null, monolithicProveS: null, monolithicVerifyS: null, monolithicPeakRssMB: null,
    speedupVsMonolithic: null, memoryRatioVsMonolithic: null, gkrProveS: null, gkrPeakRssMB: null,
    zkc: { auto: emptyZkc(), gkr: emptyZkc() }, monolithic: emptyMonolithic(), notes: [], nullReasons: {},
  });
}

/** Fields every row must carry (the brief's schema); used by the schema test and the writer. */
export const REQUIRED_FIELDS = [
  "model", "macs", "proveS", "verifyS", "proofBytes", "peakRssMB", "inferenceS", "proveOverInference",
  "monolithicProveS", "monolithicPeakRssMB", "speedupVsMonolithic", "memoryRatioVsMonolithic",
] as const;

/** The nullReasons key group that must explain a null headline figure. */
export const REASON_GROUP: Record<string, string> = { proveS: "zkc.auto", monolithicProveS: "monolithic", inferenceS: "inference" };

/**
 * Checks a parsed results.json: an array of objects, each with every required field present and
 * either a finite non-negative number or null (model: a non-empty string). Returns the problems.
 */
export function validateResults(json: unknown): string[] {
  if (!Array.isArray(json)) return ["results must be an array of rows"];
  const problems: string[] = [];
  json.forEach((row, i) => {
    if (typeof row !== "object" || row === null) return void problems.push(`row ${i}: not an object`);
    const r = row as Record<string, unknown>;
    for (const f of REQUIRED_FIELDS) {
      if (!(f in r)) problems.push(`row ${i}: missing ${f}`);
      else if (f === "model") {
        if (typeof r[f] !== "string" || r[f] === "") problems.push(`row ${i}: model must be a non-empty string`);
      } else if (r[f] !== null && !(typeof r[f] === "number" && Number.isFinite(r[f]) && (r[f] as number) >= 0)) {
        problems.push(`row ${i}: ${f} must be a non-negative number or null, got ${JSON.stringify(r[f])}`);
      }
    }
    // a null headline figure must say why: a nullReasons key naming its step group
    const reasons = Object.keys((r.nullReasons ?? {}) as Record<string, unknown>);
    for (const [field, group] of Object.entries(REASON_GROUP)) {
      if (r[field] === null && !reasons.some((k) => k === group || k.startsWith(`${group}.`))) {
        problems.push(`row ${i}: ${field} is null without a "${group}" entry in nullReasons`);
      }
    }
  });
  return problems;
}

/** Markdown table rows, one per model and zkc mode: model, mode, then `cells` of that mode's figures. */
function modeRows(rows: readonly ResultRow[], cells: (z: ZkcFigures) => string[]): string[] {
  return rows.flatMap((r) => (["auto", "gkr"] as const).map((mode) => `| ${[r.model, mode, ...cells(r.zkc[mode])].join(" | ")} |`));
}

/** Number formatting for the report: seconds, sizes, ratios. */
export function fmtS(s: number | null): string {
  if (s === null) return "—";
  if (s < 1e-3) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 0.01 ? 2 : 1)} ms`;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}
export function fmtMB(mb: number | null): string {
  return mb === null ? "—" : mb >= 1024 ? `${(mb / 1024).toFixed(2)} GB` : `${mb.toFixed(0)} MB`;
}
export function fmtBytes(b: number | null): string {
  return b === null ? "—" : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`;
}
export function fmtX(x: number | null): string {
  return x === null ? "—" : x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}
function fmtN(n: number | null): string {
  return n === null ? "—" : n.toLocaleString("en-US");
}

/** Machine facts for the report header. */
export interface RunInfo {
  /** ISO start of the run (figures measured after it are "this run") */
  startedAt: string;
  date: string;
  quick: boolean;
  cores: number;
  cpu: string;
  memoryGB: number;
  node: string;
  limits: { stepTimeS: number; memoryMB: number; ptauTimeS: number };
  rssMethod: string;
  totalS: number;
}

/** The Markdown report. */
export function renderMarkdown(rows: readonly ResultRow[], info: RunInfo): string {
  const out: string[] = [];
  out.push(`# zkc benchmark${info.quick ? " (--quick)" : ""}`);
  out.push("");
  out.push(`Run ${info.date} on ${info.cores} cores (${info.cpu}), ${info.memoryGB.toFixed(1)} GB RAM, Node ${info.node}; the machine is shared with other workers, so times vary. This invocation of the harness took ${fmtS(info.totalS)}.`);
  out.push(`Every step ran in its own process (bench/worker.ts); peak RSS = ${info.rssMethod}. Limits per step: ${info.limits.stepTimeS} s and ${fmtMB(info.limits.memoryMB)} (ptau generation: ${info.limits.ptauTimeS} s); past them the step is recorded as "did not fit".`);
  out.push("Times are medians (5 runs under 1 s, 3 under 10 s, else 1). zkc = partitioned prover (backend auto, and all-GKR); monolithic = the whole quantised program as one Groth16 R1CS through snarkjs (prove = `groth16.prove` from .zkey + .wtns, witness apart); inference = `runProgram`, plain integer inference, warm.");
  const earlier = rows.filter((r) => { const at = r.measuredAt ?? r.monolithic.measuredAt; return at !== null && at !== undefined && at < info.startedAt; });
  if (earlier.length > 0) {
    out.push(`Rows measured by earlier invocations of the harness (kept with --merge): ${earlier.map((r) => `${r.model} (${(r.measuredAt ?? r.monolithic.measuredAt)!.slice(0, 16).replace("T", " ")})`).join(", ")}.`);
  }
  out.push("");
  out.push("## zkc vs monolithic Groth16 and the inference floor");
  out.push("");
  out.push("| model | MACs | zkc prove | zkc verify | proof | zkc peak RSS | all-GKR prove | all-GKR RSS | mono constraints | mono setup | mono prove | mono verify | mono peak RSS | inference | speedup vs mono | memory ratio vs mono | prove / inference |");
  out.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    out.push(`| ${r.model} | ${fmtN(r.macs)} | ${fmtS(r.proveS)} | ${fmtS(r.verifyS)} | ${fmtBytes(r.proofBytes)} | ${fmtMB(r.peakRssMB)} | ${fmtS(r.gkrProveS)} | ${fmtMB(r.gkrPeakRssMB)} | ${fmtN(r.monolithicConstraints)} | ${fmtS(r.monolithicSetupS)} | ${fmtS(r.monolithicProveS)} | ${fmtS(r.monolithicVerifyS)} | ${fmtMB(r.monolithicPeakRssMB)} | ${fmtS(r.inferenceS)} | ${fmtX(r.speedupVsMonolithic)} | ${fmtX(r.memoryRatioVsMonolithic)} | ${fmtX(r.proveOverInference)} |`);
  }
  out.push("");
  out.push("CPU seconds (user + system over all threads of the process), the same comparisons with other load on the machine mostly factored out:");
  out.push("");
  out.push("| model | zkc prove CPU | all-GKR prove CPU | mono prove CPU | inference CPU | speedup vs mono (CPU) | prove / inference (CPU) |");
  out.push("|---|---|---|---|---|---|---|");
  for (const r of rows) out.push(`| ${r.model} | ${fmtS(r.zkc.auto.proveCpuS)} | ${fmtS(r.zkc.gkr.proveCpuS)} | ${fmtS(r.monolithic.proveCpuS)} | ${fmtS(r.inferenceCpuS)} | ${fmtX(r.speedupVsMonolithicCpu)} | ${fmtX(r.proveOverInferenceCpu)} |`);
  const sweep = rows.filter((r) => r.kind === "sweep");
  if (sweep.length > 0) {
    out.push("");
    out.push("## MLP width sweep: time per MAC");
    out.push("");
    out.push("MLP [1,256] → w → w → 10 (Gemm + Relu), seeded weights. Flat zkc prove time per MAC means the prover is linear in the work.");
    out.push("");
    out.push("| width | MACs | zkc prove | zkc ns/MAC | all-GKR ns/MAC | mono prove | mono ns/MAC | inference ns/MAC |");
    out.push("|---|---|---|---|---|---|---|---|");
    const ns = (s: number | null, macs: number | null) => { const x = ratio(s, macs); return x === null ? "—" : (x * 1e9).toFixed(x * 1e9 < 10 ? 2 : 0); };
    for (const r of sweep) out.push(`| ${r.width} | ${fmtN(r.macs)} | ${fmtS(r.proveS)} | ${ns(r.proveS, r.macs)} | ${ns(r.gkrProveS, r.macs)} | ${fmtS(r.monolithicProveS)} | ${ns(r.monolithicProveS, r.macs)} | ${ns(r.inferenceS, r.macs)} |`);
  }
  out.push("");
  out.push("## Details");
  out.push("");
  out.push("| model | scale | zkc compile | zkc setup | all-GKR compile | all-GKR verify | all-GKR proof | mono nonzeros | mono ptau | mono build | mono witness | mono setup RSS | mono proof | mono verify (cold) | mono measured |");
  out.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const m = r.monolithic;
    const g = r.zkc.gkr;
    const setupText = r.zkc.auto.kernels && !r.zkc.auto.kernels.groth16 ? "none (no Groth16 kernels)" : fmtS(r.setupS);
    out.push(`| ${r.model} | ${r.scale ?? "—"} | ${fmtS(r.compileS)} | ${setupText} | ${fmtS(g.compileS)} | ${fmtS(g.verifyS)} | ${fmtBytes(g.proofBytes)} | ${fmtN(m.nonzeros)} | ${m.power === null ? "—" : `2^${m.power}`} | ${fmtS(m.buildS)} | ${fmtS(m.witnessS)} | ${fmtMB(m.setupPeakRssMB)} | ${fmtBytes(m.proofBytes)} | ${fmtS(m.verifyColdS)} | ${m.measuredAt ? (m.measuredAt >= info.startedAt ? "this run" : m.measuredAt.slice(0, 16).replace("T", " ")) : "—"} |`);
  }
  out.push("");
  out.push("zkc plan and prover split (first prove run): kernels per backend; witness / commitments / kernel proofs.");
  out.push("");
  out.push("| model | mode | kernels | witness | commitments | kernel proofs |");
  out.push("|---|---|---|---|---|---|");
  out.push(
    ...modeRows(rows, (z) => {
      const b = z.proveBreakdown;
      const kernels = z.kernels ? Object.entries(z.kernels).map(([k, n]) => `${n} ${k}`).join(", ") : "—";
      const ks = b ? Object.entries(b.kernelSByBackend).map(([k, s]) => `${k} ${fmtS(s)}`).join(", ") || "—" : "—";
      return [kernels, fmtS(b?.witnessS ?? null), fmtS(b?.commitS ?? null), ks];
    }),
  );
  out.push("");
  out.push("zkc verify split (warm call, medians): proof parsing / model files (read, digests, decoding) / checks.");
  out.push("");
  out.push("| model | mode | verify | proof parsing | model files | checks |");
  out.push("|---|---|---|---|---|---|");
  out.push(
    ...modeRows(rows, (z) => {
      const b = z.verifyBreakdown ?? null;
      return [fmtS(z.verifyS), fmtS(b?.parseS ?? null), fmtS(b?.modelLoadS ?? null), fmtS(b?.checkS ?? null)];
    }),
  );
  const ptaus = new Map<number, NonNullable<MonolithicFigures["ptau"]>>();
  for (const r of rows) if (r.monolithic.ptau) ptaus.set(r.monolithic.ptau.power, r.monolithic.ptau);
  if (ptaus.size > 0) {
    out.push("");
    out.push("Universal setup (development powers of tau, zkc's fast generator, cached; not part of any setup time above):");
    out.push("");
    for (const [power, p] of [...ptaus].sort((a, b) => a[0] - b[0])) out.push(`- 2^${power}: ${p.note}`);
  }
  const notes = rows.flatMap((r) => (r.notes ?? []).map((n) => `- ${r.model}: ${n}`));
  if (notes.length > 0) {
    out.push("");
    out.push("## Notes");
    out.push("");
    out.push(...notes);
  }
  const reasons = rows.flatMap((r) => Object.entries(r.nullReasons).map(([k, v]) => `- ${r.model}, ${k}: ${v}`));
  if (reasons.length > 0) {
    out.push("");
    out.push("## Missing figures");
    out.push("");
    out.push(...reasons);
  }
  out.push("");
  out.push("## Targets (reported, not asserted)");
  out.push("");
  const cnn = rows.find((r) => r.model === "lenet");
  const judge = (v: number | null, ok: (x: number) => boolean, show: string) => (v === null ? `not measured` : `${show} — ${ok(v) ? "met" : "not met"}`);
  out.push(`- CNN (lenet) prover ≥ 30× faster than monolithic: ${judge(cnn?.speedupVsMonolithic ?? null, (x) => x >= 30, fmtX(cnn?.speedupVsMonolithic ?? null))}`);
  out.push(`- CNN peak memory ≥ 10× lower than monolithic: ${judge(cnn?.memoryRatioVsMonolithic ?? null, (x) => x >= 10, fmtX(cnn?.memoryRatioVsMonolithic ?? null))}`);
  out.push(`- CNN verify ≤ 100 ms: ${judge(cnn?.verifyS ?? null, (x) => x <= 0.1, fmtS(cnn?.verifyS ?? null))}`);
  out.push(`- CNN proof ≤ 200 KB: ${judge(cnn?.proofBytes ?? null, (x) => x <= 200_000, fmtBytes(cnn?.proofBytes ?? null))}`);
  for (const r of rows) out.push(`- ${r.model}: prove / inference ≤ 100×: ${judge(r.proveOverInference, (x) => x <= 100, fmtX(r.proveOverInference))}${r.proveOverInferenceCpu === null ? "" : ` (CPU time: ${fmtX(r.proveOverInferenceCpu)})`}`);
  const perMac = sweep.map((r) => r.proveSPerMac).filter((x): x is number => x !== null);
  out.push(`- flat prove time per MAC across the sweep: ${perMac.length < 2 ? "not measured" : `max/min = ${fmtX(Math.max(...perMac) / Math.min(...perMac))}`}`);
  out.push("");
  return out.join("\n");
}
