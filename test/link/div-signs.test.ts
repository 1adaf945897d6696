/**
 * ONNX Div by a tensor that can be zero or negative: the sign is proven apart (|den| and a sign
 * bit, by range checks), the division is proven on max(|den|, 1), and x/0 saturates at the
 * calibrated output range (the quantised ±inf). Real proofs on both backends; tampered outputs
 * must be rejected. A divisor calibrated positive keeps the plain division, and a zero at prove
 * time is then a clear input error at the Div node, not an internal one.
 */
import { afterAll, describe, expect, it } from "vitest";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { ZkcError } from "../../compiler/errors.js";
import { verify } from "../../runtime/verify.js";
import { prove } from "../../runtime/prove.js";
import type { CompileOptions } from "../../toolchain/compile.js";
import { clone, compile, filesOf, proveJson, type Json, type TestModel } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const graph = loadModelBytes(
  buildModel({
    inputs: [
      { name: "a", shape: [1, 6] },
      { name: "b", shape: [1, 6] },
    ],
    outputs: [{ name: "y", shape: [1, 6] }],
    nodes: [node("Div", ["a", "b"], ["y"], undefined, "/head/Div")],
  }),
  "div.onnx",
);
const feeds = (a: number[], b: number[]) => ({ a: tensor("float32", [1, 6], Float64Array.from(a)), b: tensor("float32", [1, 6], Float64Array.from(b)) });

/** calibrated on divisors of both signs (never exactly zero, as real data rarely is) */
const signed: TestModel = {
  graph,
  calibration: calibrate(graph, [feeds([0.5, -0.75, 1, -1, 0.25, 0.9], [0.5, -2, 1.5, 0.75, -0.5, -1]), feeds([-0.5, 0.6, -1, 0.3, 0.8, -0.2], [-1, 1, 2, -0.25, 0.5, 1.25])], { scale: 8 }),
  input: { a: [0.75, -0.5, 1, -1, 0, 0.5], b: [-0.5, 0.25, 0, 0, 0, 2] },
};

describe("Div by a divisor of any sign", () => {
  const p = signed.calibration.program;
  const out = p.tensors.get(p.outputs[0]!)!;
  const limit = out.maxAbs / 2 ** out.scale;

  it("lowers to the sign-handling division, saturating at the calibrated output range", () => {
    const ops = p.prims.map((x) => x.op);
    expect(ops).toContain("divide");
    expect(ops.filter((o) => o === "clamp").length).toBeGreaterThanOrEqual(3); // |den| >= 1, the sign bit, the saturation
    // the largest calibrated |a/b| is 0.8 / 0.5 = 1.6: the limit is that times the range margin 1.25
    expect(limit).toBeCloseTo(1.6 * 1.25, 2);
  });

  for (const backend of ["auto", "groth16"] as const) {
    it(`proves negative and zero divisors (${backend}); x/0 is ±limit, 0/0 is 0; a changed output is rejected`, async () => {
      const c = await compile(signed, { backend } as Partial<CompileOptions>);
      const { json } = await proveJson(c, signed.input);
      const v = await verify(c.manifest, json, filesOf(c));
      if (!v.ok) throw new Error(v.reason);
      const y: number[] = json.outputs[0].floats;
      const { a, b } = signed.input as { a: number[]; b: number[] };
      for (let i = 0; i < 6; i++) {
        if (b[i] !== 0) expect(Math.abs(y[i]! - a[i]! / b[i]!)).toBeLessThan(0.02);
        else if (a[i] === 0) expect(y[i]).toBe(0);
        else expect(y[i]).toBe(Math.sign(a[i]!) * limit);
      }
      expect(y[0]).toBeCloseTo(-1.5, 1); // 0.75 / -0.5
      expect(y[1]).toBeCloseTo(-2, 1); // -0.5 / 0.25
      for (const at of [0, 2, 4]) {
        const t: Json = clone(json);
        const o = t.outputs[0];
        o.integers[at] += 1;
        o.floats[at] = o.integers[at] / 2 ** out.scale;
        const r = await verify(c.manifest, t, filesOf(c));
        expect(r.ok).toBe(false);
      }
    }, 180_000);
  }
});

describe("Div by a divisor calibrated positive", () => {
  const positive: TestModel = {
    graph,
    calibration: calibrate(graph, [feeds([0.5, -0.75, 1, -1, 0.25, 0.9], [0.5, 2, 1.5, 0.75, 0.5, 1])], { scale: 8 }),
    input: { a: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], b: [1, 1, 0, 1, 1, 1] },
  };

  it("keeps the plain division; a zero divisor at prove time is an input error naming the Div node", async () => {
    expect(positive.calibration.program.prims.filter((x) => x.op === "clamp")).toHaveLength(0);
    const c = await compile(positive);
    const err = await prove(c.manifest, filesOf(c), positive.input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZkcError);
    const e = err as ZkcError;
    expect(e.code).toBe("INPUT");
    expect(e.details).toMatchObject({ node: "/head/Div", op: "Div" });
    expect(e.message).toMatch(/the divisor is 0 at position 2, but this division was compiled for a positive divisor.*--calibrate/);
  }, 60_000);
});
