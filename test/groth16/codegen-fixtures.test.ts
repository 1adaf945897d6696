/**
 * Whole-model circuits of the op fixture models (real lowered programs: softmax, log-softmax,
 * argmax, reductions, sigmoid/tanh/exp/erf lookups, divisions, reshapes): on the sample input and
 * seeded random inputs the circuit's outputs equal runProgram (the integer interpreter) and the
 * witness satisfies every constraint; the under-constraint check passes with only the divide
 * quotients assumed; a changed output is rejected. No snarkjs here (the circuits need 2^14–2^15).
 */
import { readFileSync, existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelFile } from "../../compiler/onnx/load.js";
import { calibrate, randomSamples, type Feeds } from "../../compiler/quant/calibrate.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { buildWholeModelCircuit } from "../../backends/groth16/codegen.js";
import { checkWitness, fieldMod } from "../../backends/groth16/index.js";

const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url).pathname;

for (const name of ["ops_reduce", "ops_elementwise", "ops_shape"]) {
  describe.skipIf(!existsSync(fixture(`${name}.onnx`)))(`whole-model circuit of fixture ${name}`, () => {
    it("outputs equal runProgram on the sample and 3 random inputs; checker passes; tampering rejected", () => {
      const g = loadModelFile(fixture(`${name}.onnx`));
      const inp = JSON.parse(readFileSync(fixture(`${name}.input.json`), "utf8")) as { input_data: number[][] };
      const sample: Feeds = Object.fromEntries(g.inputs.map((i, k) => [i.name, tensor(i.dtype, i.shape, Float64Array.from(inp.input_data[k]!))]));
      const program = calibrate(g, [sample, ...randomSamples(g, 15, 1, [sample])]).program;
      const circuit = buildWholeModelCircuit(program);
      const rep = circuit.check();
      expect(rep.messages).toEqual([]);
      expect(rep.ok).toBe(true);
      // only divide quotient bits are assumed
      for (const w of rep.assumed) expect(circuit.r1cs.wireNames[w]).toMatch(/\/divide\/q\[\d+\]$/);
      const hasDivide = program.prims.some((p) => p.op === "divide");
      expect(rep.assumed.length > 0).toBe(hasDivide);
      for (const feeds of [sample, ...randomSamples(g, 3, 99, [sample])]) {
        const inputs = new Map(program.inputs.map((n) => [n, quantiseInput(program, n, feeds[n]!.data).values]));
        const w = circuit.witness(inputs);
        expect(checkWitness(circuit.r1cs, w.witness)).toEqual({ ok: true });
        const env = runProgram(program, inputs);
        for (const o of program.outputs) expect(Array.from(w.outputs.get(o)!)).toEqual(Array.from(env.get(o)!));
        const forged = [...w.witness];
        forged[1] = fieldMod(forged[1]! + 1n);
        expect(checkWitness(circuit.r1cs, forged).ok).toBe(false);
      }
    }, 60_000);
  });
}
