/**
 * What the MSM benchmarks (bench-commit.ts, bench-zk.ts) share: the `--engine ffjavascript|noble`
 * and `--quick` flags (the engine becomes the default one), and a seeded generator of small
 * integers and evaluation points, so runs are reproducible.
 */
import { ffjavascriptEngine, nobleEngine, setMsmEngine, type MsmEngine } from "../backends/math/commit/index.js";

export function msmBenchSetup(argv: readonly string[], seed: number): {
  engine: MsmEngine;
  quick: boolean;
  /** an integer in [0, n) */
  rand: (n: number) => number;
  /** n coordinates of an evaluation point (field elements below 2^51) */
  fieldPoint: (n: number) => bigint[];
} {
  const engine: MsmEngine = argv.includes("--engine") && argv[argv.indexOf("--engine") + 1] === "noble" ? nobleEngine : ffjavascriptEngine;
  setMsmEngine(engine);
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state % n;
  };
  const fieldPoint = (n: number): bigint[] => Array.from({ length: n }, () => BigInt(rand(2 ** 30)) * 1000003n + 7n);
  return { engine, quick: argv.includes("--quick"), rand, fieldPoint };
}
