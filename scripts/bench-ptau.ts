/**
 * Powers-of-tau generation benchmark (`npm run bench:ptau -- 12 16`): seconds to make a prepared
 * ptau of each power with zkc's fast generator (fastptau.ts, the default local setup) and with
 * snarkjs's own path (new accumulator, one beacon contribution, preparePhase2), each in a fresh
 * temporary cache. Options: --fast-only, --snarkjs-only; `--verify` also times
 * `snarkjs powersoftau verify` on each file (and fails if it rejects one).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { devPtau } from "../backends/groth16/keys.js";

const args = process.argv.slice(2);
const powers = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (powers.length === 0) powers.push(10, 12);
const generators = (["fast", "beacon"] as const).filter((g) => !(args.includes("--fast-only") && g === "beacon") && !(args.includes("--snarkjs-only") && g === "fast"));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

for (const power of powers) {
  for (const devGenerator of generators) {
    const cacheDir = mkdtempSync(join(tmpdir(), "zkc-bench-ptau-"));
    try {
      const t0 = performance.now();
      const info = await devPtau(power, { cacheDir, insecureSeededSetup: true, devGenerator });
      const seconds = (performance.now() - t0) / 1000;
      let verified = "";
      if (args.includes("--verify")) {
        const t1 = performance.now();
        const ok = await snarkjs.powersOfTau.verify(info.path, quiet);
        if (!ok) throw new Error(`snarkjs powersoftau verify rejected the ${devGenerator} ptau of power ${power}`);
        verified = `  verify ${((performance.now() - t1) / 1000).toFixed(1)} s`;
      }
      const name = devGenerator === "fast" ? "zkc fastptau" : "snarkjs new+beacon+prepare";
      console.log(`power ${power}  ${name.padEnd(28)} ${seconds.toFixed(1)} s${verified}`);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
}
process.exit(0);
