/**
 * `npm run fuzz`: the full mutation campaigns (test/fuzz/). Exits 1 on any accepted mutant,
 * verifier or compile/prove internal error, hang or half-written artifact; failing cases go to
 * fuzz-failures/ with the command that replays them.
 *
 *   npm run fuzz                       full budget (about 10,400 proof and 1,200 file mutations)
 *   npm run fuzz -- --scale 0.1        a tenth of it
 *   npm run fuzz -- --seed 7           another deterministic campaign
 *   npm run fuzz -- --case auto:123    replay one case
 *   npm run fuzz -- --small            the budget of test/fuzz/fuzz.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// hermetic like the tests: a fresh key cache unless ZKC_CACHE_DIR names one
const ownCache = process.env.ZKC_CACHE_DIR ? undefined : mkdtempSync(join(tmpdir(), "zkc-fuzz-cache-"));
if (ownCache) process.env.ZKC_CACHE_DIR = ownCache;
delete process.env.XDG_CACHE_HOME;

const { runCampaign, formatReport, failed } = await import("../test/fuzz/campaign.js");

const scale = Number(arg("scale") ?? 1);
const seed = Number(arg("seed") ?? 16);
const n = (x: number) => Math.max(1, Math.round(x * scale));
const only = arg("case");
const t0 = performance.now();
const small = process.argv.includes("--small");
const report = await runCampaign({
  seed,
  // measured rates (2 cores shared): gkr ~25/s, auto ~20/s, hashed ~7/s, whole ~40/s
  proofs: { gkr: n(2800), auto: n(2800), hashed: n(1800), whole: n(3000) },
  onnx: n(900),
  inputs: n(300),
  cliCompile: n(24),
  cliProve: n(16),
  ...(small ? { proofs: { gkr: 110, auto: 120, hashed: 70, whole: 110 }, onnx: 70, inputs: 30, cliCompile: 1, cliProve: 1 } : {}),
  caseLimitMs: 30_000,
  cliLimitMs: 180_000,
  failuresDir: "fuzz-failures",
  ...(only ? { only } : {}),
  log: (l) => console.log(l),
});
console.log(formatReport(report));
console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (ownCache) rmSync(ownCache, { recursive: true, force: true });
if (failed(report)) {
  console.error(`${report.failures.length} failing case(s) written to fuzz-failures/`);
  process.exit(1);
}
