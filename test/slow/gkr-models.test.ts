/**
 * Slow (not in the default suite): whole fixture models (mlp, lenet) proven as ONE GKR kernel each,
 * the built-in layers together with the non-linear plug-ins (backends/gkr/nonlinear), public input
 * and public output; a changed output and a proof for another input are rejected.
 * vitest.config.ts excludes test/slow: run with a config that includes it, e.g.
 * a /tmp/slow.mjs holding `export default {test:{include:["test/slow/gkr-models.test.ts"],testTimeout:300000}}`,
 * then `npx vitest run --root . --config /tmp/slow.mjs test/slow/gkr-models.test.ts` (about 30 s on 2 cores).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tensor } from "../../compiler/ir/tensor.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { Transcript } from "../../backends/math/transcript.js";
import { claimOnPublic, kernelOf } from "../../backends/gkr/kernel.js";
import { proveKernelWithCommitments, verifyKernelWithCommitments } from "../../backends/gkr/nonlinear/index.js";

const fixture = (f: string) => new URL(`../../fixtures/${f}`, import.meta.url);
const present = ["mlp", "lenet"].every((n) => existsSync(fixture(`${n}.onnx`)));

describe.skipIf(!present)("whole models as one GKR kernel (with the non-linear layers)", () => {
  for (const name of ["mlp", "lenet"]) {
    it(`${name}: proves and verifies with public input and output; tampering rejected`, async () => {
      const graph = loadModelBytes(new Uint8Array(readFileSync(fixture(`${name}.onnx`))), `${name}.onnx`);
      const data = (JSON.parse(readFileSync(fixture(`${name}.input.json`), "utf8")) as { input_data: number[][] }).input_data;
      const feeds = Object.fromEntries(graph.inputs.map((inp, i) => [inp.name, tensor("float32", inp.shape, Float64Array.from(data[i]!))]));
      const prog = calibrate(graph, [feeds], { scale: 8 }).program;
      const inName = prog.inputs[0]!;
      const out = prog.outputs[0]!;
      const run = (x: Float64Array) => runProgram(prog, new Map([[inName, x]]));
      const x = quantiseInput(prog, inName, data[0]!).values;
      const values = run(x);
      const kernel = (xv: Float64Array) => kernelOf(prog, 0, prog.prims.length, { name, publicInputs: new Map([[inName, xv]]) });
      const claimsOf = (outValues: Float64Array) => (t: Transcript) => [claimOnPublic(out, prog.tensors.get(out)!.shape, outValues, t)];
      const p = await proveKernelWithCommitments(kernel(x), values, claimsOf(values.get(out)!), new Transcript("zkc/slow"));
      expect(await verifyKernelWithCommitments(kernel(x), p.proof, claimsOf(values.get(out)!), new Transcript("zkc/slow"))).toEqual({ ok: true, inputClaims: [] });
      const changed = Float64Array.from(values.get(out)!, (v, i) => (i === 0 ? v + 1 : v));
      expect((await verifyKernelWithCommitments(kernel(x), p.proof, claimsOf(changed), new Transcript("zkc/slow"))).ok).toBe(false);
      // the same proof presented for another input (its own, honest output)
      const x2 = Float64Array.from(x, (v, i) => (i === 1 ? v + 3 : v));
      const values2 = run(x2);
      expect((await verifyKernelWithCommitments(kernel(x2), p.proof, claimsOf(values2.get(out)!), new Transcript("zkc/slow"))).ok).toBe(false);
    });
  }
});
