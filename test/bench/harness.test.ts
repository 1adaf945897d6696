/**
 * The benchmark harness's own logic (bench/): statistics, /proc parsing, result lines, the child
 * runner's RSS measurement and limits, the results schema, the derived ratios, the sweep models.
 * No timing assertions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { failureReason, median, parseResultLine, parseStatusKb, repetitionsFor, runChild, RESULT_PREFIX } from "../../bench/proc.js";
import { deriveRow, emptyRow, ratio, renderMarkdown, validateResults, type RunInfo } from "../../bench/report.js";
import { buildSweepModel, prepare, programMacs, sweepMacs } from "../../bench/models.js";

const CHILD = fileURLToPath(new URL("./alloc-child.ts", import.meta.url));

describe("statistics", () => {
  it("median of odd and even lists, unsorted input left alone", () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it("median of an empty list is an error", () => {
    expect(() => median([])).toThrow(RangeError);
  });
  it("repetitions: 5 under 1 s, 3 under 10 s, else 1", () => {
    expect([0.01, 0.999, 1, 9.99, 10, 600].map(repetitionsFor)).toEqual([5, 5, 3, 3, 1, 1]);
  });
  it("ratio is null for missing or non-positive denominators", () => {
    expect(ratio(6, 2)).toBe(3);
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(6, null)).toBeNull();
    expect(ratio(6, 0)).toBeNull();
  });
});

describe("parsing", () => {
  const status = "Name:\tnode\nVmPeak:\t 1234560 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n";
  it("reads VmHWM and VmRSS in kB from /proc/<pid>/status text", () => {
    expect(parseStatusKb(status, "VmHWM")).toBe(204800);
    expect(parseStatusKb(status, "VmRSS")).toBe(102400);
  });
  it("a missing or malformed field is null", () => {
    expect(parseStatusKb(status, "VmSwap")).toBeNull();
    expect(parseStatusKb("VmHWM:\t lots kB\n", "VmHWM")).toBeNull();
  });
  it("takes the last result line among other output", () => {
    expect(parseResultLine(`hello\n${RESULT_PREFIX}{"a":1}\nmore\n${RESULT_PREFIX}{"a":2}\n`)).toEqual({ a: 2 });
    expect(parseResultLine("no result here\n")).toBeNull();
    expect(() => parseResultLine(`${RESULT_PREFIX}{not json`)).toThrow();
  });
});

describe("failure reasons", () => {
  it("picks the error line out of a stack trace, or the last lines", () => {
    expect(failureReason("npm warn x\nError: model file missing: a.onnx\n    at f (x.ts:1)\n    at g (y.ts:2)\n")).toBe("Error: model file missing: a.onnx");
    expect(failureReason("\n<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed\n 1: 0x1 node\n")).toMatch(/^FATAL ERROR: Reached heap limit/);
    expect(failureReason("a\nb\nc\nd\n")).toBe("b | c | d");
    expect(failureReason("")).toBe("");
  });
});

describe("child runner", () => {
  it("measures a child's peak RSS from the OS: a 200 MB child peaks above 200 MB, more than a 10 MB child", async () => {
    const big = await runChild(CHILD, ["200", "300"], { timeS: 60, memoryMB: 4096 });
    const small = await runChild(CHILD, ["10", "300"], { timeS: 60, memoryMB: 4096 });
    expect(big.ok && small.ok).toBe(true);
    if (!big.ok || !small.ok) return;
    expect(big.result).toMatchObject({ sum: 2 });
    expect(big.peakRssMB).toBeGreaterThan(200);
    expect(big.peakRssMB - small.peakRssMB).toBeGreaterThan(150);
  }, 60_000);
  it("a child over the memory limit is killed and reported as not fitting", async () => {
    const out = await runChild(CHILD, ["600", "5000"], { timeS: 60, memoryMB: 300 });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.didNotFit).toBe(true);
    expect(out.reason).toMatch(/did not fit.*memory limit of 300 MB/);
    expect(out.wallS).toBeLessThan(5); // killed, not waited for
  }, 60_000);
  it("a child over the time limit is killed and reported as not fitting", async () => {
    const out = await runChild(CHILD, ["1", "20000"], { timeS: 2, memoryMB: 4096 });
    expect(out).toMatchObject({ ok: false, didNotFit: true });
    if (!out.ok) expect(out.reason).toMatch(/time limit of 2 s/);
  }, 60_000);
  it("a failing child gives its stderr as the reason, not a result", async () => {
    const out = await runChild(CHILD, ["1", "0", "fail"], { timeS: 60, memoryMB: 4096 });
    expect(out).toMatchObject({ ok: false, didNotFit: false });
    if (!out.ok) expect(out.reason).toContain("deliberate failure");
  }, 60_000);
});

function info(): RunInfo {
  return { startedAt: "2026-01-01T00:00:00Z", date: "2026-01-01T00:00:00Z", quick: true, cores: 2, cpu: "test", memoryGB: 8, node: "v20", limits: { stepTimeS: 1, memoryMB: 1, ptauTimeS: 1 }, rssMethod: "test", totalS: 1 };
}

describe("results", () => {
  function measuredRow() {
    const row = emptyRow("lenet", "fixture", null);
    row.macs = 1000;
    row.inferenceS = 0.01;
    row.zkc.auto = { ...row.zkc.auto, proveS: 0.5, verifyS: 0.05, proofBytes: 100_000, peakRssMB: 100, verifyBreakdown: { parseS: 0.004, modelLoadS: 0.006, checkS: 0.04 } };
    row.monolithic = { ...row.monolithic, proveS: 20, peakRssMB: 2000, constraints: 400_000 };
    return deriveRow(row);
  }
  it("derived ratios: speedup and memory ratio against monolithic, prove over inference, per MAC", () => {
    const r = measuredRow();
    expect(r.speedupVsMonolithic).toBe(40);
    expect(r.memoryRatioVsMonolithic).toBe(20);
    expect(r.proveOverInference).toBe(50);
    expect(r.proveSPerMac).toBe(0.0005);
    expect(r.monolithicConstraints).toBe(400_000);
  });
  it("a measured row and an explained empty row pass the schema", () => {
    const empty = emptyRow("mlp", "fixture", null);
    Object.assign(empty.nullReasons, { "zkc.auto": "missing", monolithic: "did not fit", inference: "failed" });
    expect(validateResults(JSON.parse(JSON.stringify([measuredRow(), deriveRow(empty)])))).toEqual([]);
  });
  it("the schema rejects a non-array, a missing field, a bad number and an unexplained null", () => {
    expect(validateResults({})).toHaveLength(1);
    const { proveS: _, ...noProve } = JSON.parse(JSON.stringify(measuredRow()));
    expect(validateResults([noProve]).join()).toMatch(/missing proveS/);
    expect(validateResults([{ ...measuredRow(), verifyS: -1 }]).join()).toMatch(/verifyS must be/);
    expect(validateResults([{ ...measuredRow(), proofBytes: "big" }]).join()).toMatch(/proofBytes must be/);
    expect(validateResults([deriveRow(emptyRow("mlp", "fixture", null))]).join()).toMatch(/proveS is null without/);
  });
  it("the Markdown report has the table row, the machine and the target verdicts", () => {
    const md = renderMarkdown([measuredRow()], info());
    expect(md).toMatch(/\| lenet \| 1,000 \| 500\.0 ms \|/);
    expect(md).toContain("2 cores");
    expect(md).toMatch(/≥ 30× faster than monolithic: 40\.0× — met/);
    expect(md).toMatch(/≥ 10× lower than monolithic: 20\.0× — met/);
    expect(md).toMatch(/prove \/ inference ≤ 100×: 50\.0× — met/);
    expect(md).toContain("| lenet | auto | 50.0 ms | 4.00 ms | 6.00 ms | 40.0 ms |"); // the verify split
    expect(md).toContain("| lenet | gkr | — | — | — | — |");
    const slow = measuredRow();
    slow.monolithic.proveS = 2;
    expect(renderMarkdown([deriveRow(slow)], info())).toMatch(/faster than monolithic: 4\.00× — not met/);
  });
});

describe("sweep models", () => {
  it("a sweep MLP loads, calibrates and has the MACs the formula gives; the build is deterministic", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zkc-bench-test-"));
    try {
      const spec = buildSweepModel(16, dir);
      const p = prepare(spec);
      expect(programMacs(p.program)).toBe(sweepMacs(16));
      expect(p.quantised.get(p.program.inputs[0]!)!.length).toBe(256);
      const again = prepare(buildSweepModel(16, path.join(dir, "again")), p.calibration.config.activationScale);
      expect(again.program.prims.length).toBe(p.program.prims.length);
      expect([...again.quantised.values()][0]).toEqual([...p.quantised.values()][0]);
      expect(() => prepare({ ...spec, onnx: path.join(dir, "absent.onnx") })).toThrow(/model file missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
