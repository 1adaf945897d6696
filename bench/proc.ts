/**
 * Process-level measurement helpers for the benchmark: run one measured step in a child process,
 * poll its peak resident set (VmHWM) from /proc, enforce a time and memory limit, and read the
 * single result line the child prints. Pure helpers (median, parsing) are exported for tests.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** Wall and CPU seconds of an async call; CPU = user + system time of the whole process (all threads, e.g. snarkjs's workers). */
export async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; wallS: number; cpuS: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wallS, cpuS: (c.user + c.system) / 1e6 };
}

/** Prefix of the one stdout line a worker prints with its JSON result. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("median: expected at least one value, got an empty list");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * How many repetitions a step gets from the duration of its first run: 5 under 1 s, 3 under
 * 10 s, otherwise 1 (one long run already averages over many small effects).
 */
export function repetitionsFor(firstRunS: number): number {
  if (firstRunS < 1) return 5;
  if (firstRunS < 10) return 3;
  return 1;
}

/**
 * A `/proc/<pid>/status` field in kibibytes (e.g. "VmHWM", the peak resident set), or null when
 * absent. The kernel writes these as `VmHWM:\t  123456 kB`.
 */
export function parseStatusKb(status: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB\\s*$`, "m").exec(status);
  return m ? Number(m[1]) : null;
}

/** The JSON payload of the last result line in a worker's stdout, or null when there is none. */
export function parseResultLine(stdout: string): unknown {
  const lines = stdout.split("\n").filter((l) => l.startsWith(RESULT_PREFIX));
  if (lines.length === 0) return null;
  return JSON.parse(lines[lines.length - 1]!.slice(RESULT_PREFIX.length));
}

/**
 * The useful part of a failed child's stderr: the first error line (a thrown error's message, or
 * V8's fatal error), else the last lines; at most 400 characters.
 */
export function failureReason(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("npm warn"));
  const error = lines.find((l) => /^(FATAL ERROR|[A-Za-z]*Error\b|ZkcError)/.test(l));
  return (error ?? lines.slice(-3).join(" | ")).slice(0, 400);
}

/** Limits for one child process. */
export interface Limits {
  timeS: number;
  memoryMB: number;
}

/** Outcome of {@link runChild}. */
export type ChildOutcome =
  | { ok: true; result: unknown; wallS: number; peakRssMB: number }
  | { ok: false; reason: string; wallS: number; peakRssMB: number | null; didNotFit: boolean };

/**
 * Runs `node <nodeArgs> <script> <args>` and measures it. Peak RSS: the largest VmHWM seen while
 * polling /proc/<pid>/status every 50 ms, and the child's own `process.resourceUsage().maxRSS`
 * reported in its result line (taken at exit, so it also covers the last 50 ms); the larger wins.
 * Past `limits.timeS` or `limits.memoryMB` the child is killed (SIGKILL) and the outcome says
 * "did not fit" with the limit.
 */
export function runChild(script: string, args: readonly string[], limits: Limits, nodeArgs: readonly string[] = []): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let polledKb = 0;
    let killedFor: string | null = null;
    const poll = () => {
      if (child.pid === undefined) return;
      try {
        const hwm = parseStatusKb(readFileSync(`/proc/${child.pid}/status`, "utf8"), "VmHWM");
        if (hwm !== null && hwm > polledKb) polledKb = hwm;
      } catch {
        return; // the process has exited; its own report covers the end
      }
      if (killedFor === null && polledKb / 1024 > limits.memoryMB) {
        killedFor = `did not fit: peak RSS passed the memory limit of ${limits.memoryMB} MB`;
        child.kill("SIGKILL");
      }
    };
    const timer = setInterval(poll, 50);
    const deadline = setTimeout(() => {
      if (killedFor === null) killedFor = `did not fit: over the time limit of ${limits.timeS} s`;
      child.kill("SIGKILL");
    }, limits.timeS * 1000);
    child.on("close", (code, signal) => {
      clearInterval(timer);
      clearTimeout(deadline);
      const wallS = (performance.now() - t0) / 1000;
      const polledMB = polledKb / 1024;
      if (killedFor !== null) return resolve({ ok: false, reason: killedFor, wallS, peakRssMB: polledMB || null, didNotFit: true });
      let result: unknown = null;
      try {
        result = parseResultLine(stdout);
      } catch (e) {
        return resolve({ ok: false, reason: `worker printed an unreadable result: ${(e as Error).message}`, wallS, peakRssMB: polledMB || null, didNotFit: false });
      }
      if (code !== 0 || result === null) {
        if (/JavaScript heap out of memory|Reached heap limit/.test(stderr)) {
          const flag = nodeArgs.find((a) => a.startsWith("--max-old-space-size="));
          return resolve({ ok: false, reason: `did not fit: V8 heap out of memory${flag ? ` (${flag} MB)` : ""}`, wallS, peakRssMB: polledMB || null, didNotFit: true });
        }
        const tail = failureReason(stderr) || `exit ${code ?? signal}`;
        // the OS OOM killer also ends a process with SIGKILL
        const didNotFit = signal === "SIGKILL";
        return resolve({ ok: false, reason: didNotFit ? `did not fit: killed by SIGKILL (likely out of memory) ${tail}` : tail, wallS, peakRssMB: polledMB || null, didNotFit });
      }
      const reportedKb = (result as { maxRssKb?: number }).maxRssKb ?? 0;
      resolve({ ok: true, result, wallS, peakRssMB: Math.max(polledMB, reportedKb / 1024) });
    });
  });
}
