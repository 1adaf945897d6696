/**
 * The fixture models (fixtures/*.onnx) through the real pipeline — load, calibrate, quantise,
 * runProgram — and every maximal run of regular primitives (matmul, add, gather for im2col /
 * pooling windows / flatten, ...) proven as a kernel with claims on the tensors later primitives
 * read. The input claims must hold for the witness; a tampered proof element must be rejected; one
 * LeNet kernel is also proven for a batch of two inputs. Skips when the fixtures are absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tensor } from "../../compiler/ir/tensor.js";
import { loadModelBytes } from "../../compiler/onnx/load.js";
import { calibrate } from "../../compiler/quant/calibrate.js";
import { primInputs, type QProgram } from "../../compiler/quant/prim.js";
import { quantiseInput, runProgram } from "../../runtime/witness.js";
import { FR_MODULUS } from "../../backends/math/field.js";
import { Transcript } from "../../backends/math/transcript.js";
import { kernelOf, proveKernel, registeredOps, verifyKernel, type Kernel } from "../../backends/gkr/kernel.js";
import { proveKernelBatch, verifyKernelBatch } from "../../backends/gkr/batch.js";
import type { Claim } from "../../backends/gkr/messages.js";
import { claimHolds, trueClaim, PROTOCOL } from "./helpers.js";

const fixture = (f: string) => new URL(`../../fixtures/${f}`, import.meta.url);
const REGULAR = new Set(["matmul", "add", "sub", "mul", "scale", "gather", "reduceSum"]);

function compile(name: string, inputData?: number[][]): { prog: QProgram; values: Map<string, Float64Array>; data: number[][] } {
  const graph = loadModelBytes(new Uint8Array(readFileSync(fixture(`${name}.onnx`))), `${name}.onnx`);
  const data = inputData ?? (JSON.parse(readFileSync(fixture(`${name}.input.json`), "utf8")) as { input_data: number[][] }).input_data;
  const feeds = Object.fromEntries(graph.inputs.map((inp, i) => [inp.name, tensor("float32", inp.shape, Float64Array.from(data[i]!))]));
  const prog = calibrate(graph, [feeds], { scale: 8 }).program;
  const inputs = new Map(prog.inputs.map((n, i) => [n, quantiseInput(prog, n, data[i]!).values]));
  return { prog, values: runProgram(prog, inputs), data };
}

/** Maximal runs [from, to) of regular primitives. */
function regularRuns(prog: QProgram): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < prog.prims.length; ) {
    if (!REGULAR.has(prog.prims[i]!.op)) {
      i++;
      continue;
    }
    let j = i;
    while (j < prog.prims.length && REGULAR.has(prog.prims[j]!.op)) j++;
    runs.push([i, j]);
    i = j;
  }
  return runs;
}

/** Claims on the run's outputs that later primitives (or the graph outputs) read. */
function boundaryClaims(prog: QProgram, k: Kernel, to: number, values: Map<string, Float64Array>, seed: number): Claim[] {
  const later = new Set([...prog.prims.slice(to).flatMap(primInputs), ...prog.outputs]);
  return k.prims.map((p) => p.out).filter((t) => later.has(t)).map((t, i) => trueClaim(t, k.tensors.get(t)!.shape, values.get(t)!, seed + i));
}

const present = ["mlp", "lenet", "mnist"].every((n) => existsSync(fixture(`${n}.onnx`)) && existsSync(fixture(`${n}.input.json`)));

describe.skipIf(!present)("fixture models: regular kernels of the real lowering", () => {
  it("the built-in layers cover every regular primitive op", () => {
    for (const op of REGULAR) expect(registeredOps().has(op as never)).toBe(true);
  });

  for (const name of ["mlp", "lenet", "mnist"]) {
    it(`${name}: every run of regular primitives proves and verifies; input claims hold; a tamper is rejected`, () => {
      const { prog, values } = compile(name);
      const runs = regularRuns(prog);
      expect(runs.length).toBeGreaterThan(1);
      runs.forEach(([from, to], r) => {
        const k = kernelOf(prog, from, to, { name: `${name}[${from},${to})` });
        const claims = boundaryClaims(prog, k, to, values, 100 * r);
        expect(claims.length).toBeGreaterThan(0);
        const p = proveKernel(k, values, claims, new Transcript(PROTOCOL));
        const v = verifyKernel(k, p.proof, claims, new Transcript(PROTOCOL));
        expect(v, k.name).toMatchObject({ ok: true });
        if (!v.ok) return;
        for (const c of v.inputClaims) expect(claimHolds(c, k, values), `${k.name}: claim on ${c.tensor}`).toBe(true);
        // flip the last value of the first layer's body (a final evaluation or a round message)
        const bad = structuredClone(p.proof);
        const body = JSON.stringify(bad.layers[0]!.body, (_, x) => (typeof x === "bigint" ? "B" : x));
        if (body.includes("B")) {
          const flip = (o: unknown): boolean => {
            if (Array.isArray(o)) {
              for (let i = o.length - 1; i >= 0; i--) {
                if (typeof o[i] === "bigint") {
                  o[i] = ((o[i] as bigint) + 1n) % FR_MODULUS;
                  return true;
                }
                if (flip(o[i])) return true;
              }
              return false;
            }
            if (typeof o === "object" && o !== null) {
              const rec = o as Record<string, unknown>;
              for (const key of Object.keys(rec).reverse()) {
                if (typeof rec[key] === "bigint") {
                  rec[key] = ((rec[key] as bigint) + 1n) % FR_MODULUS;
                  return true;
                }
                if (flip(rec[key])) return true;
              }
            }
            return false;
          };
          expect(flip(bad.layers[0]!.body)).toBe(true);
          expect(verifyKernel(k, bad, claims, new Transcript(PROTOCOL)).ok, `${k.name} tampered`).toBe(false);
        }
      });
    });
  }

  it("lenet: the first kernel (im2col gather, matmul, bias) over a batch of two inputs", () => {
    const first = compile("lenet");
    const [from, to] = regularRuns(first.prog)[0]!;
    const k = kernelOf(first.prog, from, to, { name: "lenet-first" });
    // a second input through the same program (same model and params)
    const inputName = first.prog.inputs[0]!;
    const altered = first.data[0]!.map((x, i) => (i % 7 === 0 ? 1 - x : x));
    const values2 = runProgram(first.prog, new Map([[inputName, quantiseInput(first.prog, inputName, altered).values]]));
    const out = k.prims[k.prims.length - 1]!.out;
    const shape = [2, ...k.tensors.get(out)!.shape];
    const both = new Float64Array(2 * first.values.get(out)!.length);
    both.set(first.values.get(out)!, 0);
    both.set(values2.get(out)!, first.values.get(out)!.length);
    const claims = [trueClaim(out, shape, both, 9)];
    const p = proveKernelBatch(k, [first.values, values2], claims, new Transcript(PROTOCOL));
    const v = verifyKernelBatch(k, 2, p.proof, claims, new Transcript(PROTOCOL));
    expect(v).toMatchObject({ ok: true });
    if (!v.ok) return;
    const batchedInput = new Map([[inputName, Float64Array.from([...first.values.get(inputName)!, ...values2.get(inputName)!])]]);
    for (const c of v.inputClaims) expect(claimHolds(c, p.kernel, batchedInput)).toBe(true);
    expect(verifyKernelBatch(k, 2, p.proof, [trueClaim(out, shape, Float64Array.from(both, (x, i) => (i === 0 ? x + 1 : x)), 9)], new Transcript(PROTOCOL)).ok).toBe(false);
  });
});
