/** RMSNormalization (opset 23): hand-computed rows, a broadcast scale, axis, and shape errors. */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../../compiler/errors.js";
import { tensorOf } from "../../../compiler/ir/tensor.js";
import { RMSNormalization_23 } from "../../../compiler/ops/rms-normalization.js";
import { ctxFor } from "./helpers.js";

describe("RMSNormalization", () => {
  it("divides each row by its root mean square and multiplies by the scale", () => {
    const x = tensorOf("float32", [2, 2], [3, 4, -1, 1]);
    const [y] = RMSNormalization_23.run([x, tensorOf("float32", [2], [1, 2])], ctxFor("RMSNormalization", { epsilon: 0 }));
    const r0 = Math.sqrt(12.5);
    expect([...y!.data]).toEqual([3 / r0, 8 / r0, -1, 2].map(Math.fround));
  });

  it("normalises over every axis from `axis`, with epsilon inside the root", () => {
    const x = tensorOf("float32", [2, 1, 2], [1, 1, 2, 2]);
    const [y] = RMSNormalization_23.run([x, tensorOf("float32", [1], [0.5])], ctxFor("RMSNormalization", { axis: 1, epsilon: 3 }));
    // row 0: mean square 1, +3 -> 1/2; row 1: mean square 4, +3 -> 1/sqrt(7)
    expect([...y!.data]).toEqual([0.25, 0.25, 1 / Math.sqrt(7), 1 / Math.sqrt(7)].map(Math.fround));
  });

  it("a scale that does not broadcast onto the normalised shape is a SHAPE error", () => {
    try {
      RMSNormalization_23.infer([{ dtype: "float32", shape: [2, 3] }, { dtype: "float32", shape: [2] }], ctxFor("RMSNormalization", {}));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZkcError);
      expect((e as ZkcError).code).toBe("SHAPE");
    }
  });
});
