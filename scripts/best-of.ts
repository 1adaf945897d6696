/** Timing for the benchmark scripts: the best of several runs (the least disturbed one on a shared machine). */

/** Milliseconds of the fastest of `reps` runs of `fn`. */
export function bestMs(reps: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** The fastest of `reps` runs of an async `fn`, in milliseconds, with the last run's result. */
export async function bestMsAsync<T>(reps: number, fn: () => Promise<T> | T): Promise<[number, T]> {
  let best = Infinity;
  let out!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return [best, out];
}
