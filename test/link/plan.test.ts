/**
 * Partitioner, cost model and backend selection on real integer programs (fixture models).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { primInputs, type QProgram } from "../../compiler/quant/prim.js";
import { partition, type KernelPart } from "../../compiler/plan/partition.js";
import { kernelSpec, planModel, type PlanOptions } from "../../compiler/plan/plan.js";
import { DEFAULT_COSTS, defaultBackends } from "../../backends/registry.js";
import { gkrEstimateOf, gkrFeatures } from "../../backends/gkr/estimate.js";
import { groth16Constraints, groth16EstimateOf } from "../../backends/groth16/estimate.js";
import type { Backend } from "../../backends/contract.js";
import { calibrateCosts, costModelFile, loadCostModel } from "../../toolchain/calibrate-costs.js";
import { chooseBackend, type SelectionContext } from "../../compiler/plan/select.js";
import { fixtureModel, tinyClassifier } from "./helpers.js";


/** Invariants every partition must satisfy, checked against the program itself. */
function checkPartition(p: QProgram, parts: KernelPart[]): void {
  let at = 0;
  const producer = new Map<string, number>();
  parts.forEach((k, i) => {
    expect(k.from).toBe(at);
    expect(k.to).toBeGreaterThan(k.from);
    at = k.to;
    for (let j = k.from; j < k.to; j++) producer.set(p.prims[j]!.out, i);
    expect(p.prims.slice(k.from, k.to).filter((x) => x.op === "matmul").length).toBeLessThanOrEqual(1);
    if (p.prims.slice(k.from, k.to).some((x) => x.op === "argmax")) expect(k.to - k.from).toBe(1);
  });
  expect(at).toBe(p.prims.length);
  parts.forEach((k, i) => {
    const reads = new Set(p.prims.slice(k.from, k.to).flatMap(primInputs));
    const own = new Set(p.prims.slice(k.from, k.to).map((x) => x.out));
    const outside = [...reads].filter((t) => !own.has(t));
    expect(new Set([...k.inputs, ...k.params])).toEqual(new Set(outside));
    for (const t of k.params) expect(p.tensors.get(t)!.kind).toBe("param");
    for (const t of k.inputs) expect(producer.get(t) ?? -1).toBeLessThan(i);
    // an output is needed later: read by a later kernel or a program output
    for (const t of k.outputs) {
      const later = parts.slice(i + 1).some((q) => p.prims.slice(q.from, q.to).some((x) => primInputs(x).includes(t)));
      expect(later || p.outputs.includes(t)).toBe(true);
    }
  });
}

describe("partition", () => {
  it("mlp: a kernel per Gemm with its bias, rescale and ReLU", () => {
    const p = fixtureModel("mlp").calibration.program;
    const parts = partition(p);
    checkPartition(p, parts);
    expect(parts.length).toBe(2);
    expect(p.prims[parts[1]!.from]!.op).toBe("matmul");
  });

  it("lenet: one contraction per kernel, im2col gathers move with their convolution", () => {
    const p = fixtureModel("lenet").calibration.program;
    const parts = partition(p);
    checkPartition(p, parts);
    expect(parts.length).toBe(p.prims.filter((x) => x.op === "matmul").length);
    // the second convolution's kernel starts with the gathers that feed it, not with its matmul
    const second = parts[1]!;
    expect(p.prims[second.from]!.op).toBe("gather");
  });

  it("argmax gets a kernel of its own", () => {
    const p = tinyClassifier(1).calibration.program;
    const parts = partition(p);
    checkPartition(p, parts);
    expect(parts.map((k) => p.prims.slice(k.from, k.to).map((x) => x.op).join(","))).toEqual([
      "matmul,add,rescale,clamp",
      "matmul,add,rescale,clamp",
      "argmax",
    ]);
    // the logits are both a program output and the argmax kernel's input
    expect(parts[1]!.outputs).toEqual([p.outputs[0]]);
    expect(parts[2]!.inputs).toEqual([p.outputs[0]]);
  });

  it("refuses an empty program", () => {
    expect(() => partition({ tensors: new Map(), prims: [], inputs: [], outputs: [] })).toThrow(/no primitives/);
  });
});

describe("cost model and selection", () => {
  const p = fixtureModel("mlp").calibration.program;
  const specs = (prog: QProgram) => partition(prog).map((k) => kernelSpec(prog, { ...k, kind: "prims" }));
  const parts = specs(p);
  const ctx = (over: Partial<SelectionContext> = {}): SelectionContext => ({
    backends: defaultBackends.list(),
    costs: DEFAULT_COSTS,
    memoryBudget: 4 * 1024 ** 3,
    ...over,
  });

  it("estimates grow with the kernel: the 784x64 layer costs more than the 64x10 one on both backends", () => {
    const f = parts.map((k) => gkrFeatures(k));
    expect(gkrEstimateOf(f[0]!, DEFAULT_COSTS).proveSeconds).toBeGreaterThan(gkrEstimateOf(f[1]!, DEFAULT_COSTS).proveSeconds);
    const c = parts.map((k) => groth16Constraints(k));
    expect(c[0]!).toBeGreaterThan(c[1]!);
    expect(groth16EstimateOf(c[0]!, 10, DEFAULT_COSTS).memoryBytes).toBeGreaterThan(groth16EstimateOf(c[1]!, 10, DEFAULT_COSTS).memoryBytes);
  });

  it("auto picks the cheaper backend and says why, with numbers", () => {
    const c = chooseBackend(parts[0]!, ctx(), "auto");
    expect(c.backend).toBe("gkr");
    expect(c.reason).toMatch(/^cheaper: gkr [0-9.]+ s, [0-9.]+ [kMG]?B vs groth16 [0-9.]+ s/);
    // make GKR expensive: the choice flips
    const slowGkr = chooseBackend(parts[1]!, ctx({ costs: { ...DEFAULT_COSTS, fieldNs: 1e6, commitNs: 1e7 } }), "auto");
    expect(slowGkr.backend).toBe("groth16");
  });

  it("respects the memory budget and forced modes", () => {
    const c = chooseBackend(parts[1]!, ctx({ costs: { ...DEFAULT_COSTS, fieldNs: 1e6, commitNs: 1e7 }, memoryBudget: 200e6 }), "auto");
    expect(c.backend).toBe("gkr");
    expect(c.reason).toMatch(/over the .* budget/);
    expect(chooseBackend(parts[0]!, ctx(), "groth16")).toMatchObject({ backend: "groth16", reason: expect.stringMatching(/^forced groth16/) });
    const tiny = tinyClassifier(1).calibration.program;
    const argmaxPart = specs(tiny)[2]!;
    const forced = chooseBackend(argmaxPart, ctx(), "gkr");
    expect(forced.backend).toBe("groth16");
    expect(forced.reason).toMatch(/forced gkr, but argmax has no GKR layer/);
    // a Groth16 backend that encodes nothing: no backend is left for argmax
    const none: Backend = { ...defaultBackends.get("groth16"), supports: () => ({ ok: false, reason: "argmax has no Groth16 encoding" }) };
    expect(() => chooseBackend(argmaxPart, ctx({ backends: [defaultBackends.get("gkr"), none] }), "auto")).toThrow(/cannot be proven/);
  });

  it("calibrateCosts measures, stores and reloads; a corrupt file gives the defaults", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkc-cost-"));
    try {
      expect(loadCostModel(dir).source).toBe("defaults");
      const measured = await calibrateCosts({ cacheDir: dir });
      expect(measured.source).toMatch(/^measured /);
      expect(measured.fieldNs).toBeGreaterThan(0);
      expect(measured.commitNs).toBeGreaterThan(0);
      expect(loadCostModel(dir)).toEqual(measured);
      writeFileSync(costModelFile(dir), "{ not json");
      expect(loadCostModel(dir).source).toBe("defaults");
      writeFileSync(costModelFile(dir), JSON.stringify({ ...measured, fieldNs: -1 }));
      expect(loadCostModel(dir).source).toBe("defaults");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("auto and the whole-model plan", () => {
  const program = fixtureModel("mlp").calibration.program;
  const backends = defaultBackends.list();
  // a machine where one Groth16 circuit is nearly free: the whole model beats two GKR kernels
  const cheapGroth16 = { ...DEFAULT_COSTS, groth16Ns: 1, groth16ProveMs: 1 };
  const plan = (over: Partial<PlanOptions> = {}) =>
    planModel(program, { backend: "auto", hashedInputs: [], hashedOutputs: [], backends, costs: DEFAULT_COSTS, memoryBudget: 4 * 1024 ** 3, ...over });

  it("keeps the kernel plan where it is estimated cheaper (the mlp on the shipped constants)", () => {
    const kernels = plan();
    expect(kernels.map((k) => k.backend)).toEqual(["gkr", "gkr"]);
  });

  it("proves the model as one circuit where that is estimated cheaper, and says so with both numbers", () => {
    const [whole, ...rest] = plan({ costs: cheapGroth16 });
    expect(rest).toEqual([]);
    expect(whole!.spec.kind).toBe("whole-model");
    expect(whole!.backend).toBe("groth16");
    expect(whole!.spec.prims.length).toBe(program.prims.length);
    expect(whole!.reason).toMatch(/^cheaper as one groth16 circuit: est\. .* vs .* for 2 kernels$/);
    expect(whole!.estimate.groth16!.proveSeconds).toBeLessThan(plan({ costs: cheapGroth16, wholeModel: false }).reduce((s, k) => s + k.estimate[k.backend]!.proveSeconds, 0));
  });

  it("never where the whole model cannot be one circuit: hashed I/O, overrides, the memory budget, independent linking", () => {
    const kernelPlan = (over: Partial<PlanOptions>) => expect(plan({ costs: cheapGroth16, ...over }).every((k) => k.spec.kind !== "whole-model")).toBe(true);
    kernelPlan({ hashedInputs: [program.inputs[0]!] });
    kernelPlan({ hashedOutputs: [program.outputs[0]!] });
    kernelPlan({ overrides: { k0: "gkr" } });
    kernelPlan({ memoryBudget: 200e6 });
    kernelPlan({ wholeModel: false });
    // a forced backend is the user's choice, not the cost model's
    expect(plan({ costs: cheapGroth16, backend: "gkr" }).map((k) => k.backend)).toEqual(["gkr", "gkr"]);
  });
});
