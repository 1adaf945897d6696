/**
 * The mutation campaigns of `npm run fuzz` on a small budget (deterministic seed): mutated proofs
 * over GKR, mixed (GKR + Groth16 ArgMax), hashed-I/O and whole-model plans must all be rejected,
 * mutated ONNX and input files must give a typed error or a valid result, with no internal error,
 * hang or half-written artifact.
 */
import { describe, expect, it } from "vitest";
import { formatReport, runCampaign } from "./campaign.js";

describe("mutation campaigns (small budget)", () => {
  it("rejects every mutated proof; every mutated file gives a typed error or a valid result", async () => {
    const report = await runCampaign({
      seed: 1601,
      proofs: { gkr: 110, auto: 120, hashed: 70, whole: 110 },
      onnx: 70,
      inputs: 30,
      cliCompile: 1,
      cliProve: 1,
      caseLimitMs: 20_000,
      cliLimitMs: 120_000,
    });
    const text = formatReport(report);
    const failures = report.failures.map((f) => `${"plan" in f ? f.plan : f.kind}:${f.index} ${f.cls} ${f.outcome}: ${f.what} ${f.reason ?? ""}`).join("\n");
    expect(failures, text).toBe("");
    expect(report.totals.proofMutations).toBeGreaterThanOrEqual(380);
    expect(report.totals.fileMutations).toBeGreaterThanOrEqual(100);
    // every class ran on some plan
    for (const cls of ["field", "bytes", "structure", "splice", "statement", "artifacts", "forgery"]) expect([...report.proof.keys()].some((k) => k.endsWith(`/${cls}`)), cls).toBe(true);
  }, 300_000);
});
