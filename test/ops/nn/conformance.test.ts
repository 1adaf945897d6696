/**
 * ONNX's own node test cases for the NN ops (expected outputs computed by ONNX's reference
 * implementation), run through zkc's loader and float interpreter. Skipped when
 * ../shared/onnx-conformance is absent.
 */
import { describe, expect, it } from "vitest";
import { HAVE_CONFORMANCE, closeness, conformanceCases, runConformanceCase } from "./helpers.js";

const PATTERN =
  /^test_(matmul_|gemm_|conv_|basic_conv_|maxpool_|averagepool_|globalaveragepool|globalmaxpool|convtranspose|convinteger_|matmulinteger$|qlinear|maxunpool_|einsum_|lppool_|l[12p]normalization_|mvn$|batchnorm_|layer_normalization_\d+d_axis(_negative)?_?\d+(_epsilon)?$|layer_normalization_default_axis$|instancenorm_|group_normalization_[a-z]+$|lrn)/;

/** Cases zkc rejects on purpose, each with its reason (checked: they must fail with that error). */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  test_batchnorm_epsilon_training_mode: /training_mode=1 is not supported/,
  test_batchnorm_example_training_mode: /training_mode=1 is not supported/,
};

describe.skipIf(!HAVE_CONFORMANCE)("ONNX node conformance: NN ops", () => {
  const cases = conformanceCases(PATTERN);
  it("finds the cases", () => {
    expect(cases.length).toBeGreaterThan(95);
  });
  for (const name of cases) {
    const expectedFailure = EXPECTED_FAILURES[name];
    it(name, () => {
      if (expectedFailure) {
        expect(() => runConformanceCase(name)).toThrow(expectedFailure);
        return;
      }
      const r = runConformanceCase(name);
      for (const o of r.outputs) {
        expect(o.got.shape, `${name}: ${o.name} shape`).toEqual([...o.want.shape]);
        expect(closeness(o.got, o.want), `${name}: ${o.name} max excess over rtol 1e-3 / atol 1e-5`).toBe(0);
      }
    });
  }
});
