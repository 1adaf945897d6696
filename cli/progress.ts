/**
 * Progress for long steps. On a terminal a redrawn bar; otherwise one line per finished step, so
 * CI logs stay readable. `quiet` prints nothing.
 *
 * Two shapes of caller: `progress()` for steps reported as they start (compile: "groth16 setup
 * k3", 2/5 — a step is finished when the next one starts), and `stepsDone()` for steps reported
 * when they finish, with their own duration (prove: witness, commit, each kernel).
 */
export type ProgressFn = (step: string, done: number, total: number) => void;

export interface ProgressOptions {
  /** stderr is a terminal: redraw a bar in place (default: detected) */
  tty?: boolean;
  /** print nothing */
  quiet?: boolean;
}

const out = (s: string) => process.stderr.write(s);
const secs = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;

/** Steps reported when they start; a step's line is printed when the next one starts, or at `finish`. */
export function progress(opts: ProgressOptions = {}): { update: ProgressFn; finish(): void } {
  const tty = opts.tty ?? process.stderr.isTTY === true;
  let current = "";
  let started = Date.now();
  const finishLine = () => {
    if (!current) return;
    if (!opts.quiet) out(`${tty ? "\r\x1b[2K" : ""}${current} done in ${secs((Date.now() - started) / 1000)}\n`);
    current = "";
  };
  return {
    update(step, done, total) {
      if (step !== current) {
        finishLine();
        current = step;
        started = Date.now();
      }
      if (!tty || opts.quiet) return;
      const width = 24;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      out(`\r\x1b[2K${step} [${bar}] ${done}/${total}`);
    },
    finish: finishLine,
  };
}

/**
 * Steps reported when they finish, each with its own duration. Counted steps (done/total, e.g.
 * kernels) also show the elapsed time and an estimate of the time left.
 */
export function stepsDone(opts: ProgressOptions = {}): { done(step: string, seconds: number, count?: { done: number; total: number }): void; finish(): void } {
  const tty = opts.tty ?? process.stderr.isTTY === true;
  const t0 = Date.now();
  let counted = 0;
  let countedSeconds = 0;
  return {
    done(step, seconds, count) {
      if (opts.quiet) return;
      let line = `${step} done in ${secs(seconds)}`;
      if (count) {
        counted++;
        countedSeconds += seconds;
        const left = count.total - count.done;
        const eta = left > 0 ? `, about ${secs((countedSeconds / counted) * left)} left` : "";
        line = `${step} (${count.done}/${count.total}) done in ${secs(seconds)}; ${secs((Date.now() - t0) / 1000)} elapsed${eta}`;
      }
      out(`${tty ? "\r\x1b[2K" : ""}${line}\n`);
    },
    finish() {},
  };
}
