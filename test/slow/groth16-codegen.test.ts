/**
 * Slow Groth16 codegen cases (vitest.config.ts excludes test/slow; run them with a config that
 * includes it, see "Circuits from primitives" in docs/groth16.md): a linked kernel proven and verified through
 * snarkjs with the statement rebuilt outside; the fixture mlp (784-64-10) as one circuit proven end
 * to end; the conv/pool fixture's whole-model witness against runProgram.
 */
import { readFileSync, existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { groth16StatementSignals, kernelBinding, type Groth16KernelSpec } from "../../backends/groth16/statement.js";
import type { Prim, QTensor } from "../../compiler/quant/prim.js";
import { evalPrim } from "../../compiler/quant/semantics.js";
import { loadModelFile } from "../../compiler/onnx/load.js";
import { calibrate, randomSamples, type Feeds } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { buildWholeModelCircuit, compileGroth16Kernel, proveWholeModel, setupWholeModel, verifyWholeModel } from "../../backends/groth16/codegen.js";
import { checkWitness, fieldMod, FIELD_MODULUS, poseidonCommitTensor, proveGroth16, setupGroth16, terminateSnarkjs, verifyGroth16 } from "../../backends/groth16/index.js";
import { FrVector } from "../../backends/math/field.js";
import { evaluateTensorMle } from "../../backends/math/mle.js";
import { rng } from "../groth16/helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url).pathname;

function randomField(next: () => number): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 32n) | BigInt(Math.floor(next() * 2 ** 32));
  return v % FIELD_MODULUS;
}

describe("linked kernel through snarkjs", () => {
  it("proves rescale → ReLU → divide with the outside statement; tampered statements fail", async () => {
    type T = Pick<QTensor, "name" | "shape" | "scale" | "maxAbs" | "kind" | "values">;
    const t = (name: string, shape: number[], maxAbs: number, kind: QTensor["kind"] = "intermediate"): T => ({ name, shape, scale: 0, maxAbs, kind });
    const prims: Prim[] = [
      { op: "rescale", in: "x", out: "q", shift: 4 },
      { op: "clamp", in: "q", out: "r", lo: 0, hi: 200 },
      { op: "reduceSum", in: "r", out: "s", outer: 1, reduce: 6, inner: 1 },
      { op: "gather", sources: ["s"], out: "sb", idx: new Int32Array(6) },
      { op: "clamp", in: "sb", out: "den", lo: 1, hi: 1200 },
      { op: "divide", num: "r", den: "den", out: "p", shift: 8 },
    ];
    const spec: Groth16KernelSpec = {
      name: "softmaxish",
      prims,
      tensors: new Map<string, T>([
        ["x", t("x", [2, 3], 3200)],
        ["q", t("q", [2, 3], 200)],
        ["r", t("r", [2, 3], 200)],
        ["s", t("s", [1], 1200)],
        ["sb", t("sb", [2, 3], 1200)],
        ["den", t("den", [2, 3], 1200)],
        ["p", t("p", [2, 3], 256)],
      ]),
      inputs: ["x"],
      outputs: ["p"],
    };
    const next = rng(31);
    const x = Float64Array.from({ length: 6 }, () => Math.floor(next() * 6401) - 3200);
    const env = new Map<string, Float64Array>([["x", x]]);
    for (const p of prims) env.set(p.out, evalPrim(p, env));
    const inPoint = Array.from({ length: 3 }, () => randomField(next));
    const outPoint = Array.from({ length: 3 }, () => randomField(next));
    const kernel = compileGroth16Kernel(spec);
    expect(kernel.check().ok).toBe(true);
    const built = kernel.build({ values: env, inputPoints: [inPoint], outputPoints: [outPoint] });
    expect(checkWitness(built.r1cs, built.witness)).toEqual({ ok: true });
    const vals = (n: string) => Array.from(env.get(n)!, (v) => fieldMod(BigInt(v)));
    const statement = groth16StatementSignals({
      inputCommitments: [poseidonCommitTensor(vals("x"))],
      outputCommitments: [poseidonCommitTensor(vals("p"))],
      outputClaims: [{ point: outPoint, value: evaluateTensorMle(FrVector.fromBigints(vals("p")), [2, 3], outPoint) }],
      inputClaims: [{ point: inPoint, value: evaluateTensorMle(FrVector.fromBigints(vals("x")), [2, 3], inPoint) }],
      binding: kernelBinding(spec),
    });
    const keys = await setupGroth16(kernel.build().r1cs);
    const proved = await proveGroth16(built.r1cs, built.witness, keys);
    expect(proved.publicSignals).toEqual(statement.map(String));
    expect(await verifyGroth16(keys.vkey, statement.map(String), proved.proof)).toEqual({ ok: true });
    for (const i of [0, 1, 2 + 3, statement.length - 1]) {
      const bad = statement.map(String);
      bad[i] = String(fieldMod(statement[i]! + 1n));
      expect((await verifyGroth16(keys.vkey, bad, proved.proof)).ok).toBe(false);
    }
  }, 300_000);
});

function programOf(name: string) {
  const g = loadModelFile(fixture(`${name}.onnx`));
  const inp = JSON.parse(readFileSync(fixture(`${name}.input.json`), "utf8")) as { input_data: number[][] };
  const sample: Feeds = Object.fromEntries(g.inputs.map((i, k) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(inp.input_data[k]!))]));
  const program = calibrate(g, [sample, ...randomSamples(g, 15, 1, [sample])]).program;
  const inputs = new Map(program.inputs.map((n) => [n, quantiseInput(program, n, sample[n]!.data).values]));
  return { program, inputs };
}

describe.skipIf(!existsSync(fixture("mlp.onnx")))("fixture mlp (784-64-10) as one circuit", () => {
  it("proves and verifies; outputs equal runProgram; a changed output fails", async () => {
    const { program, inputs } = programOf("mlp");
    const circuit = buildWholeModelCircuit(program);
    expect(circuit.check().ok).toBe(true);
    const keys = await setupWholeModel(circuit);
    const proved = await proveWholeModel(circuit, keys, inputs);
    const env = runProgram(program, inputs);
    for (const o of program.outputs) expect(Array.from(proved.outputs.get(o)!)).toEqual(Array.from(env.get(o)!));
    expect(await verifyWholeModel(circuit.layout, keys.vkey, proved.publicSignals, proved.proof)).toEqual({ ok: true });
    const bad = [...proved.publicSignals];
    bad[0] = String(BigInt(bad[0]!) + 1n);
    expect((await verifyWholeModel(circuit.layout, keys.vkey, bad, proved.proof)).ok).toBe(false);
  }, 300_000);
});

describe.skipIf(!existsSync(fixture("ops_conv_pool.onnx")))("fixture ops_conv_pool as one circuit", () => {
  it("witness satisfies the circuit and equals runProgram; checker passes", () => {
    const { program, inputs } = programOf("ops_conv_pool");
    const circuit = buildWholeModelCircuit(program);
    expect(circuit.check().ok).toBe(true);
    const w = circuit.witness(inputs);
    expect(checkWitness(circuit.r1cs, w.witness)).toEqual({ ok: true });
    const env = runProgram(program, inputs);
    for (const o of program.outputs) expect(Array.from(w.outputs.get(o)!)).toEqual(Array.from(env.get(o)!));
  }, 300_000);
});

describe.skipIf(!existsSync(fixture("lenet.onnx")))("fixture lenet as one circuit", () => {
  it("counts its constraints; freezing it either works or fails with a ZkcError that says what to do", async () => {
    const { program } = programOf("lenet");
    const { countWholeModel } = await import("../../backends/groth16/codegen.js");
    const counted = countWholeModel(program);
    expect(counted.constraints).toBeGreaterThan(100_000);
    try {
      const circuit = buildWholeModelCircuit(program);
      expect(circuit.stats.constraints).toBe(counted.constraints);
    } catch (e) {
      expect(e).toMatchObject({ code: "UNSUPPORTED_FEATURE", message: expect.stringMatching(/split the run/) });
    }
  }, 300_000);
});
