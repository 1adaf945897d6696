/**
 * Errors and plans in the model's words: every primitive remembers the ONNX node it was lowered
 * from (QProgram.origins, kept in program.json), so a bound that overflows names that node and its
 * op, not an internal tensor like "matmul#250", and the plan's ops column lists each kernel's ONNX
 * nodes beside its primitives.
 */
import { describe, expect, it } from "vitest";
import { buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { ZkcError } from "../../compiler/errors.js";
import type { QProgram, QTensor } from "../../compiler/quant/prim.js";
import { kernelSpec } from "../../compiler/plan/plan.js";
import { kernelOps } from "../../compiler/plan/partition.js";
import { compileGroth16Kernel } from "../../backends/groth16/codegen.js";
import { decodeProgram, encodeProgram } from "../../runtime/link/program-file.js";
import { prove } from "../../runtime/prove.js";
import { compile, filesOf, tinyClassifier } from "../link/helpers.js";

/** The ZkcError `f` throws (a plain throw, or none, fails the test). */
const errorOf = (f: () => unknown): ZkcError => {
  const thrown = (() => { try { f(); } catch (e) { return e; } return new Error("nothing was thrown"); })(); // prettier-ignore
  expect(thrown).toBeInstanceOf(ZkcError);
  return thrown as ZkcError;
};

const n = 16;
/** x [1,16] -> MatMul "/layer1/fc/MatMul" -> Relu "/layer1/act/Relu" -> y */
function bigMatmul() {
  const w = tensor("float32", [n, n], Float64Array.from({ length: n * n }, (_, i) => 3e5 * (1 + (i % 3))));
  const bytes = buildModel({
    inputs: [{ name: "x", shape: [1, n] }],
    outputs: [{ name: "y", shape: [1, n] }],
    initializers: { w },
    nodes: [node("MatMul", ["x", "w"], ["h"], undefined, "/layer1/fc/MatMul"), node("Relu", ["h"], ["y"], undefined, "/layer1/act/Relu")],
  });
  return loadModelBytes(bytes, "big.onnx");
}

describe("errors name the ONNX node", () => {
  it("a bound past the safe limit names the node and op that produced it, not the internal tensor", () => {
    const graph = bigMatmul();
    const e = errorOf(() => calibrate(graph, [{ x: tensor("float32", [1, n], Float64Array.from({ length: n }, () => 1e3)) }], { scale: 16, paramScale: 16 }));
    expect(e.code).toBe("QUANTISATION");
    expect(e.details).toMatchObject({ file: "big.onnx", node: "/layer1/fc/MatMul", op: "MatMul" });
    expect(e.message).toMatch(/^big\.onnx: node "\/layer1\/fc\/MatMul" \(MatMul\): the matmul step could hold values up to 2\^\d+\.\d, beyond the safe limit 2\^50/);
    expect(e.message).not.toMatch(/#\d/);
  });

  it("the Groth16 circuit's own bound check names the node too", () => {
    // a hand-built program whose static bounds are loose enough for the builder but not the circuit
    const t = (name: string, shape: number[], maxAbs: number, kind: QTensor["kind"], onnxName?: string): QTensor => ({ name, shape, scale: 0, maxAbs, kind, ...(onnxName ? { onnxName } : {}) });
    const program: QProgram = {
      tensors: new Map([
        ["x", t("x", [1, 4], 2 ** 30, "input", "x")],
        ["w", { ...t("w", [4, 1], 2 ** 30, "param"), values: Float64Array.from([2 ** 30, 2 ** 30, 2 ** 30, 2 ** 30]) }],
        ["matmul#7", t("matmul#7", [1, 1], 2 ** 50, "intermediate")],
      ]),
      prims: [{ op: "matmul", a: "x", b: "w", out: "matmul#7", batch: 1, bBatch: 1, m: 1, k: 4, n: 1 }],
      inputs: ["x"],
      outputs: ["matmul#7"],
      origins: [{ node: "/head/Gemm", op: "Gemm" }],
    };
    const spec = kernelSpec(program, { name: "k0", kind: "prims", from: 0, to: 1, inputs: ["x"], params: ["w"], outputs: ["matmul#7"] });
    const e = errorOf(() => compileGroth16Kernel(spec));
    expect(e.code).toBe("QUANTISATION");
    expect(e.details).toMatchObject({ node: "/head/Gemm", op: "Gemm" });
    expect(e.message).toMatch(/^node "\/head\/Gemm" \(Gemm\): the matmul step could hold values in \[.*\], beyond 2\^52 \(kernel k0, primitive matmul\)/);
  });

  it("origins survive program.json; a malformed origins field is a MODEL_FORMAT error", () => {
    const graph = bigMatmul();
    const cal = calibrate(graph, [{ x: tensor("float32", [1, n], Float64Array.from({ length: n }, (_, i) => i / n)) }]);
    const p = cal.program;
    expect(p.origins).toHaveLength(p.prims.length);
    expect(new Set(p.origins!.map((o) => `${o.op} ${o.node}`))).toEqual(new Set(["MatMul /layer1/fc/MatMul", "Relu /layer1/act/Relu"]));
    const { program, weights } = encodeProgram(p);
    expect(decodeProgram(program, weights).origins).toEqual(p.origins);
    const doc = JSON.parse(new TextDecoder().decode(program));
    doc.origins.prims[0] = 99;
    const e = errorOf(() => decodeProgram(new TextEncoder().encode(JSON.stringify(doc)), weights));
    expect(e.code).toBe("MODEL_FORMAT");
    expect(e.message).toMatch(/origins\.prims\[0\]/);
    // a program.json without origins (older files) still loads
    delete doc.origins;
    expect(decodeProgram(new TextEncoder().encode(JSON.stringify(doc)), weights).origins).toBeUndefined();
  });
});

describe("the plan's ops column lists the ONNX nodes", () => {
  it("each kernel shows its node op types with counts, then its primitives", async () => {
    const r = (seed: number, len: number) => Array.from({ length: len }, (_, i) => Math.sin(seed * 7 + i) * 0.5);
    const bytes = buildModel({
      inputs: [{ name: "x", shape: [1, 1, 6, 6] }],
      outputs: [{ name: "y", shape: [1, 2, 2, 2] }],
      initializers: { w1: tensor("float32", [2, 1, 3, 3], Float64Array.from(r(1, 18))), w2: tensor("float32", [2, 2, 3, 3], Float64Array.from(r(2, 36))) },
      nodes: [node("Conv", ["x", "w1"], ["c1"]), node("Relu", ["c1"], ["r1"]), node("Conv", ["r1", "w2"], ["c2"]), node("Relu", ["c2"], ["y"])],
    });
    const graph = loadModelBytes(bytes, "convs.onnx");
    const x = Float64Array.from(r(3, 36));
    const calibration = calibrate(graph, [{ x: tensor("float32", [1, 1, 6, 6], x) }]);
    const c = await compile({ graph, calibration, input: { x: Array.from(x) } });
    const rows = c.plan.map((row) => row.ops);
    expect(rows).toHaveLength(2);
    for (const ops of rows) expect(ops).toMatch(/^Conv, Relu \(gather, matmul.*\)$/);
    // a whole-model kernel lists every node, counted by op type
    const p = calibration.program;
    expect(kernelOps(p, { from: 0, to: p.prims.length })).toMatch(/^Conv×2, Relu×2 \(/);
    // without origins (a hand-built program) the primitives alone
    expect(kernelOps({ ...p, origins: undefined } as QProgram, { from: 0, to: 1 })).toBe(p.prims[0]!.op);
  }, 60_000);
});

describe("prove-time bound failures name the ONNX node", () => {
  it("a GKR range check that fails on the witness names the node whose primitive it is", async () => {
    const m = tinyClassifier(3, false, 2); // Gemm -> Relu -> Gemm
    const c = await compile(m, { backend: "gkr" });
    const p = m.calibration.program;
    const at = p.prims.findIndex((x) => x.op === "clamp");
    const origin = p.origins![at]!;
    expect(origin.op).toBe("Relu");
    const relu = p.prims[at] as Extract<(typeof p.prims)[number], { op: "clamp" }>;
    // a cheating witness: the ReLU's input far beyond its static bound, so its range check fails
    const err = await prove(c.manifest, filesOf(c), m.input, { tamperValues: (v) => void (v.get(relu.in)![0] = 2 ** 40) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZkcError);
    expect((err as ZkcError).details).toMatchObject({ node: origin.node, op: "Relu" });
    expect((err as ZkcError).message).toMatch(new RegExp(`^node "${origin.node}" \\(Relu\\): .* is outside its range .*\\(kernel "k0", primitive clamp\\)`));
  }, 60_000);
});
