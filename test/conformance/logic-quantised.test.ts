/**
 * ONNX conformance cases of the comparison, logic and selection ops in the quantised column
 * (integer interpreter): every applicable case passes; skips carry their reason. Skips when the
 * conformance data is absent.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE_ROOT, runSuite, tally } from "./cases.js";
import { quantisedEvaluator } from "./quantised.js";

const present = existsSync(join(CONFORMANCE_ROOT, "node"));
const CASES = /^test_(greater|less|equal|not|and|or|xor|where|sign|clip|cast_|castlike_|isnan|isinf)/;

describe.skipIf(!present)("ONNX conformance of comparisons, logic, Where, Sign, Clip, Cast, quantised", () => {
  it("passes every applicable case and gives every skip a reason", () => {
    const results = runSuite("node", [quantisedEvaluator], { filter: CASES })!;
    const { total } = tally(results, "quantised");
    const lines = results.map((r) => `${r.case.name}: ${r.outcomes.quantised!.status}${r.outcomes.quantised!.reason ? ` (${r.outcomes.quantised!.reason})` : ""}`);
    console.log(`quantised conformance, comparisons and selection: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n${lines.filter((l) => !l.includes(": passed")).join("\n")}`);
    expect(total.passed + total.failed, "applicable cases").toBeGreaterThanOrEqual(60);
    const failures = lines.filter((l) => l.includes(": failed"));
    expect(failures, failures.join("\n")).toEqual([]);
    for (const r of results) if (r.outcomes.quantised!.status === "skipped") expect(r.outcomes.quantised!.reason, r.case.name).toBeTruthy();
  });
});
