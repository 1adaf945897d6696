/**
 * ONNX backend conformance (onnx/onnx node cases in ../shared/onnx-conformance): at least 95% of
 * the applicable cases must pass in the float interpreter. Skips when the data is absent.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tensor, tensor } from "../../compiler/ir/tensor.js";
import { isSupported } from "../../compiler/ops/registry.js";
import { type CaseResult, type ConformanceCase, type Evaluator, CONFORMANCE_ROOT, floatEvaluator, listCases, runCase, runSuite, tally } from "./cases.js";
import { quantisedEvaluator } from "./quantised.js";
import { compareTensors, compareValues } from "./compare.js";

const present = existsSync(join(CONFORMANCE_ROOT, "node"));
const MIN_PASS_RATE = 0.95;

function byName(name: string): ConformanceCase {
  const c = listCases("node")!.find((x) => x.name === name);
  if (!c) throw new Error(`conformance case ${name} is missing from ${CONFORMANCE_ROOT}`);
  return c;
}

describe.skipIf(!present)("ONNX node conformance, float interpreter", () => {
  let results: CaseResult[];
  beforeAll(() => {
    results = runSuite("node", [floatEvaluator])!;
  });

  it(`passes at least ${MIN_PASS_RATE * 100}% of the applicable cases`, () => {
    const { total } = tally(results, "float");
    const applicable = total.passed + total.failed;
    const failures = results
      .filter((r) => r.outcomes.float!.status === "failed")
      .map((r) => `${r.case.name} [${r.op}]: ${r.outcomes.float!.reason}`);
    // a registry that supports next to nothing must not pass by having nothing to run
    expect(applicable, "applicable node cases").toBeGreaterThanOrEqual(100);
    const rate = total.passed / applicable;
    expect(rate, `pass rate ${(rate * 100).toFixed(1)}% (${total.passed}/${applicable}); failing cases:\n${failures.join("\n")}`).toBeGreaterThanOrEqual(MIN_PASS_RATE);
  });

  it("gives every skipped case a reason", () => {
    for (const r of results) if (r.outcomes.float!.status !== "passed") expect(r.outcomes.float!.reason, r.case.name).toBeTruthy();
  });
});

const MIN_QUANTISED_PASS_RATE = 0.9;

describe.skipIf(!present)("ONNX node conformance, quantised (integer interpreter)", () => {
  it(`passes at least ${MIN_QUANTISED_PASS_RATE * 100}% of the applicable cases within the scale's tolerance`, () => {
    const results = runSuite("node", [quantisedEvaluator])!;
    const { total } = tally(results, "quantised");
    const applicable = total.passed + total.failed;
    const failures = results
      .filter((r) => r.outcomes.quantised!.status === "failed")
      .map((r) => `${r.case.name} [${r.op}]: ${r.outcomes.quantised!.reason}`);
    expect(applicable, "applicable node cases").toBeGreaterThanOrEqual(200);
    const rate = total.passed / applicable;
    expect(rate, `pass rate ${(rate * 100).toFixed(1)}% (${total.passed}/${applicable}); failing cases:\n${failures.join("\n")}`).toBeGreaterThanOrEqual(MIN_QUANTISED_PASS_RATE);
  });
});

describe.skipIf(!present)("conformance runner", () => {
  /** the float interpreter with one output element nudged: must be caught */
  const nudged: Evaluator = {
    ...floatEvaluator,
    name: "nudged",
    run(graph, feeds) {
      return floatEvaluator.run(graph, feeds).map((t, k) => {
        if (k > 0) return t;
        const data = Float64Array.from(t.data);
        data[0] = data[0]! + 1e-2 * (Math.abs(data[0]!) + 1);
        return tensor(t.dtype, t.shape, data);
      });
    },
  };
  /** the float interpreter with outputs relabelled as float64: a dtype mismatch */
  const wrongDtype: Evaluator = {
    ...floatEvaluator,
    name: "wrong-dtype",
    run: (graph, feeds) => floatEvaluator.run(graph, feeds).map((t): Tensor => ({ ...t, dtype: "float64" })),
  };

  it.skipIf(!isSupported("Add"))("passes a supported case and fails tampered results beside it", () => {
    const r = runCase(byName("test_add_bcast"), [floatEvaluator, nudged, wrongDtype]);
    expect(r.op).toBe("Add");
    expect(r.outcomes.float).toEqual({ status: "passed" });
    expect(r.outcomes.nudged!.status).toBe("failed");
    expect(r.outcomes.nudged!.reason).toMatch(/values differ/);
    expect(r.outcomes["wrong-dtype"]!.status).toBe("failed");
    expect(r.outcomes["wrong-dtype"]!.reason).toMatch(/dtype float64, expected float32/);
  });

  it.skipIf(!isSupported("Add"))("lets an evaluator skip a graph in its own column only", () => {
    const partial: Evaluator = { ...floatEvaluator, name: "partial", skip: (g) => (g.nodes.some((n) => n.opType === "Add") ? "no Add lowering" : undefined) };
    const r = runCase(byName("test_add"), [floatEvaluator, partial]);
    expect(r.outcomes.float).toEqual({ status: "passed" });
    expect(r.outcomes.partial).toEqual({ status: "skipped", reason: "no Add lowering" });
  });

  it("runs ai.onnx.ml cases and skips an unsupported op of that domain, naming it", () => {
    expect(runCase(byName("test_ai_onnx_ml_binarizer"), [floatEvaluator]).outcomes.float).toEqual({ status: "passed" });
    const r = runCase(byName("test_ai_onnx_ml_label_encoder_string_int"), [floatEvaluator]);
    expect(r.outcomes.float!.status).toBe("skipped");
    expect(r.outcomes.float!.reason).toMatch(/unsupported op ai\.onnx\.ml::LabelEncoder/);
  });

  it.skipIf(!isSupported("ReduceSum"))("binds axes given as graph inputs to constants (zkc compiles static shapes)", () => {
    const r = runCase(byName("test_reduce_sum_keepdims_random"), [floatEvaluator, nudged]);
    expect(r.notes).toBe("bound as constants: axes");
    expect(r.outcomes.float).toEqual({ status: "passed" });
    expect(r.outcomes.nudged!.status).toBe("failed");
  });

  it("files expanded multi-node cases under the op they expand", () => {
    const r = runCase(byName("test_softmax_axis_0_expanded"), [floatEvaluator]);
    expect(r.op).toBe("Softmax");
    expect(new Set(r.opTypes).size).toBeGreaterThan(1);
  });
});

describe("conformance data location", () => {
  it("reports absent data as undefined (callers skip) instead of throwing", () => {
    const nowhere = join(CONFORMANCE_ROOT, "no-such-directory");
    expect(listCases("node", nowhere)).toBeUndefined();
    expect(runSuite("node", [floatEvaluator], { root: nowhere })).toBeUndefined();
  });
});

describe("tensor comparison", () => {
  const tol = { rtol: 1e-3, atol: 1e-5 };
  it("accepts values within atol + rtol * |expected| and rejects values outside", () => {
    expect(compareValues([1000.9], [1000], false, tol)).toBeUndefined();
    expect(compareValues([1001.1], [1000], false, tol)).toMatch(/1\/1 values differ/);
    expect(compareValues([1e-5], [0], false, tol)).toBeUndefined();
    expect(compareValues([2e-5], [0], false, tol)).toBeDefined();
  });
  it("treats NaN as equal to NaN only, and infinities exactly", () => {
    expect(compareValues([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity], false, tol)).toBeUndefined();
    expect(compareValues([0], [NaN], false, tol)).toBeDefined();
    expect(compareValues([NaN], [0], false, tol)).toBeDefined();
    expect(compareValues([Infinity], [-Infinity], false, tol)).toBeDefined();
    expect(compareValues([1e300], [Infinity], false, tol)).toBeDefined();
  });
  it("compares integers exactly and checks dtype and shape first", () => {
    expect(compareTensors(tensor("int64", [2], [1, 2]), tensor("int64", [2], [1, 2]))).toBeUndefined();
    expect(compareTensors(tensor("int64", [2], [1, 3]), tensor("int64", [2], [1, 2]))).toMatch(/values differ/);
    expect(compareTensors(tensor("int32", [2], [1, 2]), tensor("int64", [2], [1, 2]))).toMatch(/dtype int32, expected int64/);
    expect(compareTensors(tensor("int64", [1, 2], [1, 2]), tensor("int64", [2], [1, 2]))).toMatch(/shape \[1, 2\], expected \[2\]/);
  });
});
