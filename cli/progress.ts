/**
 * Progress for long steps: a redrawn bar when stderr is a terminal, and nothing but one final
 * line per step otherwise (quiet, parseable logs).
 */
export type ProgressFn = (step: string, done: number, total: number) => void;

export function progress(enabled = process.stderr.isTTY === true): { update: ProgressFn; finish(): void } {
  let current = "";
  let started = Date.now();
  const finishLine = () => {
    if (!current) return;
    const s = ((Date.now() - started) / 1000).toFixed(1);
    if (enabled) process.stderr.write(`\r\x1b[2K${current} done in ${s} s\n`);
    current = "";
  };
  return {
    update(step, done, total) {
      if (step !== current) {
        finishLine();
        current = step;
        started = Date.now();
      }
      if (!enabled) return;
      const width = 24;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      process.stderr.write(`\r\x1b[2K${step} [${bar}] ${done}/${total}`);
    },
    finish: finishLine,
  };
}
