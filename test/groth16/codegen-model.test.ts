/**
 * Whole-model circuits end to end through snarkjs: a small MLP (16-8-4, built with buildModel)
 * and the fixture `mnist` (784-32-10). Outputs equal runProgram (the integer interpreter, the
 * oracle); a tampered public output, an input beyond its bound and a proof replayed for another
 * input are rejected. The mnist proof needs a 2^12 ptau (cached after the first run).
 */
import { readFileSync, existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { buildModel, node } from "../../compiler/onnx/build.js";
import { loadModelBytes, loadModelFile } from "../../compiler/onnx/load.js";
import { calibrate, randomSamples, seededRandom, type Feeds } from "../../compiler/quant/calibrate.js";
import { tensor, tensorOf } from "../../compiler/ir/tensor.js";
import type { Graph } from "../../compiler/ir/graph.js";
import type { QProgram, QTensor } from "../../compiler/quant/prim.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import {
  buildWholeModelCircuit,
  checkPublicInputs,
  proveWholeModel,
  setupWholeModel,
  verifyWholeModel,
  type WholeModelCircuit,
  type WholeModelProof,
} from "../../backends/groth16/codegen.js";
import { checkWitness, terminateSnarkjs, writeWtns, type Groth16Keys } from "../../backends/groth16/index.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url).pathname;

function mlpGraph(): Graph {
  const rand = seededRandom(0x16084);
  const weights = (n: number, scale: number) => Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const bytes = buildModel({
    opset: 17,
    inputs: [{ name: "x", dtype: "float32", shape: [1, 16] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, 4] }],
    initializers: {
      w1: tensorOf("float32", [8, 16], weights(128, 0.5)),
      b1: tensorOf("float32", [8], weights(8, 0.1)),
      w2: tensorOf("float32", [4, 8], weights(32, 0.6)),
      b2: tensorOf("float32", [4], weights(4, 0.1)),
    },
    nodes: [node("Gemm", ["x", "w1", "b1"], ["h"], { transB: 1 }), node("Relu", ["h"], ["r"]), node("Gemm", ["r", "w2", "b2"], ["y"], { transB: 1 })],
  });
  return loadModelBytes(bytes, "mlp16.onnx");
}

function quantised(program: QProgram, feeds: Feeds): Map<string, Float64Array> {
  return new Map(program.inputs.map((n) => [n, quantiseInput(program, n, feeds[n]!.data).values]));
}

function expectMatchesRunProgram(program: QProgram, inputs: Map<string, Float64Array>, outputs: Map<string, Float64Array>): void {
  const env = runProgram(program, inputs);
  for (const o of program.outputs) expect(Array.from(outputs.get(o)!)).toEqual(Array.from(env.get(o)!));
}

describe("whole-model circuit: MLP 16-8-4", () => {
  const g = mlpGraph();
  const rand = seededRandom(5);
  const sample: Feeds = { x: tensor("float32", [1, 16], Float64Array.from({ length: 16 }, () => Math.fround(rand() * 2 - 1))) };
  const program = calibrate(g, [sample, ...randomSamples(g, 7, 3, [sample])]).program;
  let circuit: WholeModelCircuit;
  let keys: Groth16Keys;
  let proved: WholeModelProof;
  let inputs: Map<string, Float64Array>;

  beforeAll(async () => {
    circuit = buildWholeModelCircuit(program);
    inputs = quantised(program, sample);
    keys = await setupWholeModel(circuit);
    proved = await proveWholeModel(circuit, keys, inputs);
  }, 120_000);

  it("is fully constrained, and its witness satisfies it (our checker and snarkjs)", async () => {
    const rep = circuit.check();
    expect(rep.messages).toEqual([]);
    expect(rep.ok).toBe(true);
    const w = circuit.witness(inputs);
    expect(checkWitness(circuit.r1cs, w.witness)).toEqual({ ok: true });
    expect(await snarkjs.wtns.check(circuit.r1csBytes, w.wtns, quiet)).toBe(true);
    expect(circuit.layout.count).toBe(4 + 16);
    expect(circuit.stats.constraints).toBe(circuit.r1cs.constraints.length);
  });

  it("proves the outputs runProgram computes, and the proof verifies", async () => {
    expectMatchesRunProgram(program, inputs, proved.outputs);
    expect(await verifyWholeModel(circuit.layout, keys.vkey, proved.publicSignals, proved.proof)).toEqual({ ok: true });
  });

  it("rejects a tampered public output, a tampered input and an input beyond its bound", async () => {
    const out = [...proved.publicSignals];
    out[0] = String(BigInt(out[0]!) + 1n);
    expect((await verifyWholeModel(circuit.layout, keys.vkey, out, proved.proof)).ok).toBe(false);
    const inp = [...proved.publicSignals];
    inp[4] = String(BigInt(inp[4]!) + 1n);
    expect((await verifyWholeModel(circuit.layout, keys.vkey, inp, proved.proof)).ok).toBe(false);
    const t = circuit.layout.inputs[0]!;
    const far = [...proved.publicSignals];
    far[t.offset] = String(t.maxAbs + 1);
    expect(checkPublicInputs(circuit.layout, far)).toMatchObject({ ok: false, reason: expect.stringMatching(/outside its bound/) });
    // the prover refuses such an input up front
    const bad = new Map(inputs);
    bad.set("x", Float64Array.from(inputs.get("x")!, (v, i) => (i === 0 ? t.maxAbs + 1 : v)));
    expect(() => circuit.witness(bad)).toThrow(/INPUT|holds/);
  });

  it("the witness of a wrong output does not satisfy the circuit", () => {
    const w = circuit.witness(inputs);
    const forged = [...w.witness];
    forged[1] = forged[1]! + 1n;
    expect(checkWitness(circuit.r1cs, forged).ok).toBe(false);
  });
});

describe("whole-model circuit: inputs the model ignores or passes through", () => {
  it("binds unused public inputs (x·0 = 0), copies a pass-through input to an output, and passes the checker", () => {
    const program: QProgram = {
      tensors: new Map<string, QTensor>([
        ["x", { name: "x", shape: [4], scale: 0, maxAbs: 9, kind: "input" }],
        ["y", { name: "y", shape: [2], scale: 0, maxAbs: 9, kind: "input" }],
        ["g", { name: "g", shape: [2], scale: 0, maxAbs: 9, kind: "intermediate" }],
      ]),
      prims: [{ op: "gather", sources: ["x"], out: "g", idx: Int32Array.from([0, 2]) }],
      inputs: ["x", "y"],
      outputs: ["g", "y"],
    };
    const circuit = buildWholeModelCircuit(program);
    expect(circuit.r1cs.constraintNames.filter((n) => /unused/.test(n)).length).toBe(2);
    expect(circuit.check().messages).toEqual([]);
    const w = circuit.witness(new Map([["x", [1, -2, 3, -4]], ["y", [5, -6]]]));
    expect(checkWitness(circuit.r1cs, w.witness)).toEqual({ ok: true });
    expect(Array.from(w.outputs.get("g")!)).toEqual([1, 3]);
    expect(Array.from(w.outputs.get("y")!)).toEqual([5, -6]);
    expect(circuit.layout.inputs.map((t) => [t.name, t.offset, t.length])).toEqual([["x", 4, 4], ["y", 8, 2]]);
    // with the input bounds checked in the circuit: |v| <= 9 is a signed 5-bit range check (6 constraints)
    const checked = buildWholeModelCircuit(program, { rangeCheckInputs: true });
    expect(checked.r1cs.constraintNames.filter((n) => /unused/.test(n)).length).toBe(0);
    expect(checked.stats.constraints).toBe(circuit.stats.constraints - 2 + 6 * 6);
    expect(checked.check().ok).toBe(true);
    expect(() => checked.witness(new Map([["x", [1, -2, 3, 10]], ["y", [5, -6]]]))).toThrow(/holds 10/);
  });
});

const mnistAvailable = existsSync(fixture("mnist.onnx")) && existsSync(fixture("mnist-test.json"));

describe.skipIf(!mnistAvailable)("whole-model circuit: fixture mnist (784-32-10)", () => {
  let program: QProgram;
  let circuit: WholeModelCircuit;
  let keys: Groth16Keys;
  let digits: Feeds[];

  beforeAll(async () => {
    const g = loadModelFile(fixture("mnist.onnx"));
    const inp = JSON.parse(readFileSync(fixture("mnist.input.json"), "utf8")) as { input_data: number[][] };
    const sample: Feeds = { [g.inputs[0]!.name]: tensor(g.inputs[0]!.dtype, g.inputs[0]!.shape, Float64Array.from(inp.input_data[0]!)) };
    program = calibrate(g, [sample, ...randomSamples(g, 15, 1, [sample])]).program;
    const test = JSON.parse(readFileSync(fixture("mnist-test.json"), "utf8")) as { pixels: number[][] };
    const input = g.inputs[0]!;
    digits = test.pixels.slice(0, 2).map((px) => ({ [input.name]: tensor(input.dtype, input.shape, Float64Array.from(px, (p) => Math.fround(p / 255))) }));
    circuit = buildWholeModelCircuit(program);
    keys = await setupWholeModel(circuit);
  }, 240_000);

  it("proves two digits end to end; outputs equal runProgram; each proof binds its own input", async () => {
    expect(circuit.check().ok).toBe(true);
    const proofs: WholeModelProof[] = [];
    for (const d of digits) {
      const inputs = quantised(program, d);
      const p = await proveWholeModel(circuit, keys, inputs);
      expectMatchesRunProgram(program, inputs, p.outputs);
      expect(await verifyWholeModel(circuit.layout, keys.vkey, p.publicSignals, p.proof)).toEqual({ ok: true });
      proofs.push(p);
    }
    // replay: digit 0's proof with digit 1's public signals
    expect((await verifyWholeModel(circuit.layout, keys.vkey, proofs[1]!.publicSignals, proofs[0]!.proof)).ok).toBe(false);
    // a changed logit
    const out = [...proofs[0]!.publicSignals];
    out[3] = String(BigInt(out[3]!) + 1n);
    expect((await verifyWholeModel(circuit.layout, keys.vkey, out, proofs[0]!.proof)).ok).toBe(false);
    // snarkjs agrees on the witness
    const w = circuit.witness(quantised(program, digits[0]!));
    expect(await snarkjs.wtns.check(circuit.r1csBytes, writeWtns(w.witness), quiet)).toBe(true);
  }, 120_000);
});
