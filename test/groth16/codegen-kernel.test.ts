/**
 * Linked kernel circuits (backends/groth16/statement.ts): the public signals equal the statement
 * computed outside — Poseidon commitments (`poseidonCommitTensor`), output values from
 * semantics.ts, MLE claims from `evaluateTensorMle` of backends/math/mle.ts (the GKR layout, the
 * oracle for the variable order) — and a changed claim value, commitment, point or output is
 * rejected. Setup and prover builds are identical; the under-constraint check passes.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { groth16StatementSignals, kernelBinding, type Groth16KernelSpec } from "../../backends/groth16/statement.js";
import type { Prim, QProgram, QTensor } from "../../compiler/quant/prim.js";
import { evalPrim } from "../../compiler/quant/semantics.js";
import { compileGroth16Kernel, kernelSpecOfRange, tensorMleInCircuit } from "../../backends/groth16/codegen.js";
import { checkWitness, fieldMod, FIELD_MODULUS, poseidonCommitTensor, R1csBuilder, terminateSnarkjs, writeR1cs, writeWtns } from "../../backends/groth16/index.js";
import { FrVector } from "../../backends/math/field.js";
import { evaluateTensorMle } from "../../backends/math/mle.js";
import { rng } from "./helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function randomField(next: () => number): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 32n) | BigInt(Math.floor(next() * 2 ** 32));
  return v % FIELD_MODULUS;
}

type T = Pick<QTensor, "name" | "shape" | "scale" | "maxAbs" | "kind" | "values">;
const tensorInfo = (name: string, shape: number[], maxAbs: number, kind: QTensor["kind"] = "intermediate", values?: number[]): T => ({
  name,
  shape,
  scale: 0,
  maxAbs,
  kind,
  ...(values ? { values: Float64Array.from(values) } : {}),
});

describe("MLE in circuit uses the GKR layout", () => {
  it("equals evaluateTensorMle on non-power-of-two shapes", () => {
    const next = rng(21);
    for (const shape of [[3, 5], [2, 3, 2], [7], [1, 4]]) {
      const n = shape.reduce((a, c) => a * c, 1);
      const values = Array.from({ length: n }, () => BigInt(Math.floor(next() * 2000) - 1000));
      const nVars = shape.reduce((a, d) => a + Math.ceil(Math.log2(d)), 0);
      const point = Array.from({ length: nVars }, () => randomField(next));
      const b = new R1csBuilder();
      const sig = tensorMleInCircuit(b, b.publicInputs(values), shape, b.publicInputs(point));
      expect(b.value(sig)).toBe(evaluateTensorMle(FrVector.fromBigints(values.map(fieldMod)), shape, point));
    }
  });
});

describe("kernel: rescale → ReLU → lookup → argmax", () => {
  const table = { id: "cube", lo: 0, values: Float64Array.from({ length: 40 }, (_, i) => Math.round(i ** 3 / 64)) };
  const prims: Prim[] = [
    { op: "matmul", a: "x", b: "w", out: "xw", batch: 1, bBatch: 1, m: 3, k: 5, n: 3 },
    { op: "rescale", in: "xw", out: "q", shift: 6 },
    { op: "clamp", in: "q", out: "r", lo: 0, hi: 39 },
    { op: "lookup", in: "r", out: "y", table },
    { op: "argmax", in: "y", out: "c", outer: 3, reduce: 3, inner: 1 },
  ];
  const w = [3, -7, 11, 5, 2, -4, -9, 6, 1, 8, -3, 7, 4, 10, -6];
  const spec: Groth16KernelSpec = {
    name: "k0",
    prims,
    tensors: new Map<string, T>([
      ["x", tensorInfo("x", [3, 5], 60)],
      ["w", tensorInfo("w", [5, 3], 11, "param", w)],
      ["xw", tensorInfo("xw", [3, 3], 60 * 5 * 11)],
      ["q", tensorInfo("q", [3, 3], 60)],
      ["r", tensorInfo("r", [3, 3], 39)],
      ["y", tensorInfo("y", [3, 3], 1000)],
      ["c", tensorInfo("c", [3], 2)],
    ]),
    inputs: ["x"],
    outputs: ["y", "c"],
  };
  const next = rng(22);
  const x = Float64Array.from({ length: 15 }, () => Math.floor(next() * 121) - 60);
  const env = new Map<string, Float64Array>([["x", x], ["w", Float64Array.from(w)]]);
  for (const p of prims) env.set(p.out, evalPrim(p, env));
  const inputPoints = [Array.from({ length: 2 + 3 }, () => randomField(next))];
  const outputPoints = [Array.from({ length: 4 }, () => randomField(next)), Array.from({ length: 2 }, () => randomField(next))];
  const kernel = compileGroth16Kernel(spec);
  const built = kernel.build({ values: env, inputPoints, outputPoints });

  const mle = (name: string, point: readonly bigint[]) => evaluateTensorMle(FrVector.fromBigints(Array.from(env.get(name)!, (v) => fieldMod(BigInt(v)))), spec.tensors.get(name)!.shape, point);
  const commit = (name: string) => poseidonCommitTensor(Array.from(env.get(name)!, (v) => fieldMod(BigInt(v))));

  it("public signals are the statement computed outside, in the contract's order", () => {
    expect(checkWitness(built.r1cs, built.witness)).toEqual({ ok: true });
    const expected = groth16StatementSignals({
      inputCommitments: [commit("x")],
      outputCommitments: [commit("y"), commit("c")],
      outputClaims: [
        { point: outputPoints[0]!, value: mle("y", outputPoints[0]!) },
        { point: outputPoints[1]!, value: mle("c", outputPoints[1]!) },
      ],
      inputClaims: [{ point: inputPoints[0]!, value: mle("x", inputPoints[0]!) }],
      binding: kernelBinding(spec),
    });
    expect(built.publicSignals).toEqual(expected);
    expect(kernel.nPublic).toBe(expected.length);
  });

  it("setup and prover builds are identical, the checker passes, snarkjs accepts the witness", async () => {
    expect(Buffer.from(writeR1cs(kernel.build().r1cs)).equals(Buffer.from(writeR1cs(built.r1cs)))).toBe(true);
    expect(kernel.nConstraints).toBe(built.r1cs.constraints.length);
    const rep = kernel.check();
    expect(rep.messages).toEqual([]);
    expect(rep.ok).toBe(true);
    expect(await snarkjs.wtns.check(writeR1cs(built.r1cs), writeWtns(built.witness), quiet)).toBe(true);
  });

  it("rejects a changed commitment, claim value, point coordinate or class", async () => {
    const nOut = built.r1cs.nPubOut;
    const layout = { inCommit: 1, outCommitY: 2, outValueY: 1 + nOut + 4 };
    for (const wire of [layout.inCommit, layout.outCommitY, layout.outValueY, 1 + nOut, 1 + nOut + 4 + 1 + 2, built.witness.length - 1]) {
      const forged = [...built.witness];
      forged[wire] = fieldMod(forged[wire]! + 1n);
      expect(checkWitness(built.r1cs, forged).ok).toBe(false);
    }
    // a different input tensor changes the input commitment and claim: the old statement does not hold
    const x2 = Float64Array.from(x, (v, i) => (i === 0 ? (v === 60 ? 59 : v + 1) : v));
    const env2 = new Map(env);
    env2.set("x", x2);
    const other = kernel.build({ values: env2, inputPoints, outputPoints });
    expect(other.publicSignals[0]).not.toBe(built.publicSignals[0]);
    const mixed = [...other.witness];
    for (let i = 1; i <= nOut; i++) mixed[i] = built.witness[i]!;
    expect(checkWitness(built.r1cs, mixed).ok).toBe(false);
  });

  it("range-checks inputs of kind 'input' (model inputs are user data) and refuses values beyond maxAbs", () => {
    const userSpec: Groth16KernelSpec = { ...spec, tensors: new Map([...spec.tensors, ["x", tensorInfo("x", [3, 5], 60, "input")]]) };
    const k2 = compileGroth16Kernel(userSpec);
    // |x| <= 60: a signed 7-bit range check, 8 constraints per element
    expect(k2.nConstraints).toBe(kernel.nConstraints + 15 * 8);
    expect(k2.check().ok).toBe(true);
    const far = new Map(env);
    far.set("x", Float64Array.from(x, (v, i) => (i === 0 ? 61 : v)));
    expect(() => k2.build({ values: far, inputPoints, outputPoints })).toThrow(/INPUT|holds 61/);
  });
});

describe("commit kernel (no primitives)", () => {
  it("proves Commit(T) and MLE(T)(p) only", () => {
    const spec: Groth16KernelSpec = { name: "c0", prims: [], tensors: new Map([["t", tensorInfo("t", [2, 3], 100)]]), inputs: ["t"], outputs: [] };
    const t = Float64Array.from([5, -6, 7, 100, -100, 0]);
    const next = rng(23);
    const point = Array.from({ length: 3 }, () => randomField(next));
    const k = compileGroth16Kernel(spec);
    const built = k.build({ values: new Map([["t", t]]), inputPoints: [point], outputPoints: [] });
    const vals = Array.from(t, (v) => fieldMod(BigInt(v)));
    expect(built.publicSignals).toEqual([poseidonCommitTensor(vals), ...point, evaluateTensorMle(FrVector.fromBigints(vals), [2, 3], point), kernelBinding(spec)]);
    expect(checkWitness(built.r1cs, built.witness)).toEqual({ ok: true });
    expect(k.check().ok).toBe(true);
  });
});

describe("kernelSpecOfRange", () => {
  it("inputs are tensors read but not produced (params excluded), outputs those read later or returned", () => {
    const q = (name: string, kind: QTensor["kind"] = "intermediate", values?: number[]): QTensor => ({ name, shape: [2], scale: 0, maxAbs: 100, kind, ...(values ? { values: Float64Array.from(values) } : {}) });
    const program: QProgram = {
      tensors: new Map(["x", "c", "a", "b", "d", "e", "w"].map((n) => [n, q(n, n === "x" || n === "c" ? "input" : n === "w" ? "param" : "intermediate", n === "w" ? [3, -3] : undefined)])),
      prims: [
        { op: "scale", in: "x", out: "a", factor: 4 },
        { op: "rescale", in: "a", out: "b", shift: 1 },
        { op: "add", a: "b", b: "c", out: "d" },
        { op: "mul", a: "d", b: "w", out: "e" },
        { op: "sub", a: "e", b: "b", out: "f" },
      ],
      inputs: ["x", "c"],
      outputs: ["d", "f"],
    };
    program.tensors.set("f", q("f"));
    const spec = kernelSpecOfRange(program, 1, 4, "mid");
    expect(spec.inputs).toEqual(["a", "c"]);
    // b is read by the last primitive, d is a program output, e is read later
    expect(spec.outputs).toEqual(["b", "d", "e"]);
    expect(spec.prims.map((p) => p.out)).toEqual(["b", "d", "e"]);
    expect(spec.tensors.get("w")?.kind).toBe("param");
    const k = compileGroth16Kernel(spec);
    expect(k.check().ok).toBe(true);
  });
});
