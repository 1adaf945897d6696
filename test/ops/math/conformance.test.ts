/**
 * ONNX's node conformance cases for the math ops: every case whose nodes all belong to MATH_OPS
 * (expanded function bodies included) must reproduce ONNX's expected outputs within rtol 1e-3,
 * atol 1e-5, with the shape rule giving the expected dtype and shape. Source of truth:
 * onnx/backend/test/data/node, copied to ../shared/onnx-conformance/node.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { MATH_OPS } from "../../../compiler/ops/all.js";
import { Celu_12 } from "../../../compiler/ops/celu.js";
import { Softmax_1 } from "../../../compiler/ops/softmax.js";
import { TopK_10 } from "../../../compiler/ops/top-k.js";
import { MAX_OPSET } from "../../../compiler/ops/registry.js";
import type { OpDef } from "../../../compiler/ops/op.js";
import { opContext } from "../../../compiler/ir/infer.js";
import { onnx } from "../../../compiler/onnx/proto.js";
import { decodeTensorProto } from "../../../compiler/onnx/tensor-proto.js";
import { CONFORMANCE_DIR, casesFor, compare, conformanceAvailable, runCase, runCaseDirect } from "./conformance.js";

const ABOVE_MAX_OPSET = `stamped with an opset above zkc's MAX_OPSET ${MAX_OPSET}`;
/** Cases the frontend rejects on purpose, each with the reason and the error code it must give. */
const EXPECTED_REJECTIONS: Record<string, { code: string; reason: string }> = {
  test_equal_string: { code: "UNSUPPORTED_DTYPE", reason: "string tensors: zkc proves numeric tensors only" },
  test_equal_string_broadcast: { code: "UNSUPPORTED_DTYPE", reason: "string tensors: zkc proves numeric tensors only" },
};
/**
 * Cases stamped with a newer opset whose op version only widens dtypes: the frontend rejects the
 * model (checked), and the case's data runs directly through zkc's newest version of the op.
 */
const DIRECT_AT_OLDER_OPSET: Record<string, { def: OpDef; why: string }> = {};
for (const name of ["test_celu", "test_celu_bfloat16", "test_celu_float16"]) {
  DIRECT_AT_OLDER_OPSET[name] = { def: Celu_12, why: "Celu 28 only widens dtypes" };
}
for (const name of Object.keys(DIRECT_AT_OLDER_OPSET)) {
  EXPECTED_REJECTIONS[name] = { code: "UNSUPPORTED_OPSET", reason: ABOVE_MAX_OPSET };
}
// SwiGLU (opset 28, not read by zkc) expands into Swish, Mul and Split: its expanded cases are
// math ops only, stamped with opset 28
for (const name of ["test_swiglu_expanded", "test_swiglu_alpha_expanded", "test_swiglu_float16_expanded"]) {
  EXPECTED_REJECTIONS[name] = { code: "UNSUPPORTED_OPSET", reason: ABOVE_MAX_OPSET };
}

const cases = casesFor(new Set(MATH_OPS.map((d) => d.opType)));
const passing = cases.filter((c) => !(c in EXPECTED_REJECTIONS));
const rejected = cases.filter((c) => c in EXPECTED_REJECTIONS);

describe.skipIf(!conformanceAvailable)("ONNX node conformance: math ops", () => {
  it("finds the cases (every math op type is covered by at least one)", () => {
    expect(cases.length).toBeGreaterThan(400);
    const covered = new Set<string>();
    for (const c of passing) {
      for (const n of onnx.ModelProto.decode(readFileSync(`${CONFORMANCE_DIR}${c}/model.onnx`)).graph?.node ?? []) {
        covered.add(n.opType ?? "");
      }
    }
    const missing = [...new Set(MATH_OPS.map((d) => d.opType))].filter((t) => !covered.has(t));
    // Celu's cases are stamped with opset 28, above MAX_OPSET; they run directly below
    expect(missing.sort()).toEqual(["Celu"]);
  });

  it.each(Object.keys(DIRECT_AT_OLDER_OPSET))(`%s run directly at opset ${MAX_OPSET}`, (name) => {
    const { def, why } = DIRECT_AT_OLDER_OPSET[name]!;
    expect(runCaseDirect(name, def, MAX_OPSET), why).toBeNull();
  });

  it("the direct run can fail: TopK_10 ignores largest=0, so test_top_k_smallest mismatches", () => {
    expect(runCaseDirect("test_top_k_smallest", TopK_10, 10)).toMatch(/output 0: element/);
  });

  it.each(passing)("%s", (name) => {
    expect(runCase(name)).toBeNull();
  });

  it.each(rejected)("%s is rejected with a reason", (name) => {
    const want = EXPECTED_REJECTIONS[name]!;
    let err: unknown;
    try {
      runCase(name);
    } catch (e) {
      err = e;
    }
    expect(err, want.reason).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).code).toBe(want.code);
  });

  // The checks above can fail: the opset < 13 Softmax (2-D coercion) differs from ONNX's
  // opset 13 expected output on a rank-3 input, and the comparison catches it.
  it("detects wrong semantics: Softmax_1 on the opset-13 case test_softmax_axis_1", () => {
    const data = `${CONFORMANCE_DIR}test_softmax_axis_1/test_data_set_0/`;
    const x = decodeTensorProto(readFileSync(`${data}input_0.pb`));
    const expected = decodeTensorProto(readFileSync(`${data}output_0.pb`));
    const node = { name: "n", opType: "Softmax", domain: "", inputs: ["x"], outputs: ["y"], attrs: { axis: { type: "int" as const, value: 1 } } };
    const [wrong] = Softmax_1.run([x], opContext(node, 11, "test"));
    expect(x.shape.length).toBe(3);
    expect(compare(expected, wrong!, 1e-3, 1e-5)).toMatch(/element \d+ is/);
  });

  it("the comparison rejects a one-ulp-of-tolerance change, a dtype change and a shape change", () => {
    const e = tensorOf("float32", [2], [1, 2]);
    expect(compare(e, tensorOf("float32", [2], [1, 2 + 2e-3 * 2]), 1e-3, 1e-5)).not.toBeNull();
    expect(compare(e, tensorOf("float32", [2], [1, 2 + 1e-3]), 1e-3, 1e-5)).toBeNull();
    expect(compare(e, tensorOf("float64", [2], [1, 2]), 1e-3, 1e-5)).toMatch(/dtype/);
    expect(compare(e, tensorOf("float32", [2, 1], [1, 2]), 1e-3, 1e-5)).toMatch(/shape/);
    expect(compare(tensorOf("int32", [1], [3]), tensorOf("int32", [1], [4]), 1e-3, 1e-5)).not.toBeNull();
  });
});
