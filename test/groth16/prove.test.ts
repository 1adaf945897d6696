/**
 * End to end through snarkjs: setup (cached development ptau and zkey), prove, verify, for an
 * argmax kernel, a 2-layer integer MLP and an MLE-claim kernel; every tamper is rejected.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bn254 } from "@noble/curves/bn254.js";
import { ZkcError } from "../../compiler/errors.js";
import {
  checkUnderConstrained,
  exportSolidityVerifier,
  loadGroth16Keys,
  mleEvaluateValues,
  poseidonCommitTensor,
  proveGroth16,
  R1csBuilder,
  saveGroth16Keys,
  setupGroth16,
  terminateSnarkjs,
  verifyGroth16,
  type BuiltCircuit,
  type Groth16Keys,
  type ProofWithPublic,
} from "../../backends/groth16/index.js";
import { argmaxCircuit, mleClaimCircuit, mlpCircuit, mlpReference } from "./kernels.js";
import { tamper } from "./helpers.js";

/** Builds a kernel and runs the under-constraint checker on it (every generated circuit gets it). */
function build<T>(def: (b: R1csBuilder, v: T) => void, v: T): BuiltCircuit {
  const b = new R1csBuilder();
  def(b, v);
  const built = b.build();
  expect(checkUnderConstrained(built.r1cs).messages).toEqual([]);
  return built;
}

afterAll(async () => {
  await terminateSnarkjs();
});

const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const clone = (p: ProofWithPublic["proof"]) => JSON.parse(JSON.stringify(p)) as ProofWithPublic["proof"];

describe("2-layer integer MLP proven end to end", () => {
  const x = [7n, -12n, 30n, -3n];
  let built: BuiltCircuit;
  let keys: Groth16Keys;
  let proved: ProofWithPublic;

  beforeAll(async () => {
    built = build(mlpCircuit, x);
    // setup sees only dummy inputs
    keys = await setupGroth16(build(mlpCircuit, [0n, 0n, 0n, 0n]).r1cs);
    proved = await proveGroth16(built.r1cs, built.witness, keys);
  });

  it("proves the class the reference computes, and the proof verifies", async () => {
    expect(keys).toMatchObject({ development: false, setup: "local-random" });
    expect(keys.contribution).toBe("random");
    expect(proved.publicSignals).toEqual(built.publicSignals.map(String));
    expect(Number(proved.publicSignals[0])).toBe(mlpReference(x));
    expect(await verifyGroth16(keys.vkey, proved.publicSignals, proved.proof)).toEqual({ ok: true });
  });

  it("rejects a changed output and a changed public input", async () => {
    const out = [...proved.publicSignals];
    out[0] = String((Number(out[0]) + 1) % 3);
    expect((await verifyGroth16(keys.vkey, out, proved.proof)).ok).toBe(false);
    const inp = [...proved.publicSignals];
    inp[2] = String(BigInt(inp[2]!) + 1n);
    expect((await verifyGroth16(keys.vkey, inp, proved.proof)).ok).toBe(false);
  });

  it("rejects pi_a, pi_b and pi_c replaced by other valid points", async () => {
    const a = clone(proved.proof);
    const A = bn254.G1.Point.fromAffine({ x: BigInt(a.pi_a[0]!), y: BigInt(a.pi_a[1]!) }).double().toAffine();
    a.pi_a = [A.x.toString(), A.y.toString(), "1"];
    expect(await verifyGroth16(keys.vkey, proved.publicSignals, a)).toMatchObject({ ok: false, reason: expect.stringMatching(/Invalid proof|pairing/) });

    const b = clone(proved.proof);
    b.pi_b[1] = b.pi_b[1]!.map((c) => ((Q - BigInt(c)) % Q).toString()); // -pi_b
    expect((await verifyGroth16(keys.vkey, proved.publicSignals, b)).ok).toBe(false);

    const c = clone(proved.proof);
    c.pi_c = [...proved.proof.pi_a];
    expect((await verifyGroth16(keys.vkey, proved.publicSignals, c)).ok).toBe(false);
  });

  it("rejects coordinates changed off the curve, with a reason and without throwing", async () => {
    for (const part of ["pi_a", "pi_c"] as const) {
      const p = clone(proved.proof);
      p[part][0] = String(BigInt(p[part][0]!) + 1n);
      const res = await verifyGroth16(keys.vkey, proved.publicSignals, p);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.reason).toMatch(/malformed proof data/);
    }
    const p = clone(proved.proof);
    p.pi_b[0]![1] = String(BigInt(p.pi_b[0]![1]!) + 1n);
    expect((await verifyGroth16(keys.vkey, proved.publicSignals, p)).ok).toBe(false);
  });

  it("rejects a pi_b on the G2 curve but outside its prime-order subgroup (snarkjs checks only the curve)", async () => {
    const Fp2 = bn254.fields.Fp2;
    const twistB = Fp2.div(Fp2.fromBigTuple([3n, 0n]), Fp2.fromBigTuple([9n, 1n]));
    let x = Fp2.fromBigTuple([5n, 7n]);
    let y: typeof x | undefined;
    while (!y) {
      const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), twistB);
      try {
        y = Fp2.sqrt(rhs);
      } catch {
        x = Fp2.add(x, Fp2.ONE);
      }
    }
    const p = clone(proved.proof);
    p.pi_b = [[x.c0.toString(), x.c1.toString()], [y.c0.toString(), y.c1.toString()], ["1", "0"]];
    const res = await verifyGroth16(keys.vkey, proved.publicSignals, p);
    expect(res).toMatchObject({ ok: false, reason: expect.stringMatching(/subgroup/) });
  });

  it("never throws on malformed proofs, signals or keys", async () => {
    const bad: [unknown, unknown, unknown][] = [
      [keys.vkey, proved.publicSignals, null],
      [keys.vkey, proved.publicSignals, {}],
      [keys.vkey, proved.publicSignals, { ...proved.proof, pi_a: ["x", "y", "1"] }],
      [keys.vkey, proved.publicSignals, { ...proved.proof, pi_b: [[1, 2]] }],
      [keys.vkey, proved.publicSignals, { ...proved.proof, pi_c: [Q.toString(), "1", "1"] }],
      [keys.vkey, proved.publicSignals.slice(1), proved.proof],
      [keys.vkey, ["-1", ...proved.publicSignals.slice(1)], proved.proof],
      [keys.vkey, [(2n ** 254n).toString(), ...proved.publicSignals.slice(1)], proved.proof],
      [keys.vkey, "not an array", proved.proof],
      [null, proved.publicSignals, proved.proof],
      [{ ...keys.vkey, IC: "nope" }, proved.publicSignals, proved.proof],
    ];
    for (const [vk, sig, pf] of bad) {
      const res = await verifyGroth16(vk, sig, pf);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.reason.length).toBeGreaterThan(0);
    }
  });

  it("the prover refuses a wrong witness and keys made for another circuit", async () => {
    await expect(proveGroth16(built.r1cs, tamper(built.witness, 1), keys)).rejects.toThrow(ZkcError);
    const other = build(argmaxCircuit, [1n, 2n, 3n]);
    await expect(proveGroth16(other.r1cs, other.witness, keys)).rejects.toThrow(/different circuit/);
  });

  it("a wrong witness forced past the prover's check gives a proof that does not verify", async () => {
    const internalWire = built.r1cs.nWires - 1;
    const forced = await proveGroth16(built.r1cs, tamper(built.witness, internalWire), keys, { checkWitness: false });
    expect((await verifyGroth16(keys.vkey, forced.publicSignals, forced.proof)).ok).toBe(false);
  });

  it("a second setup of the same circuit hits the zkey cache", async () => {
    const t0 = performance.now();
    const again = await setupGroth16(built.r1cs);
    expect(again.digest).toBe(keys.digest);
    expect(again.vkey).toEqual(keys.vkey);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("keys saved to an artifacts directory load back and still prove and verify", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zkc-keys-save-"));
    try {
      saveGroth16Keys(dir, "mlp", keys);
      const loaded = loadGroth16Keys(dir, "mlp");
      expect(loaded).toEqual(keys);
      const again = await proveGroth16(built.r1cs, built.witness, loaded);
      expect(await verifyGroth16(loaded.vkey, again.publicSignals, again.proof)).toEqual({ ok: true });
      fs.rmSync(path.join(dir, "mlp.vkey.json"));
      expect(() => loadGroth16Keys(dir, "mlp")).toThrow(/mlp\.vkey\.json.*missing|missing/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exports a Solidity verifier from snarkjs's template", async () => {
    const sol = await exportSolidityVerifier(keys);
    expect(sol).toMatch(/contract Groth16Verifier/);
    expect(sol).toContain(keys.vkey.vk_alpha_1[0]!);
  });
});

describe("argmax kernel proven end to end", () => {
  it("proves the first index of the maximum; another kernel's proof does not verify", async () => {
    const logits = [-5n, 17n, 3n, 17n, -128n, 9n];
    const built = build(argmaxCircuit, logits);
    const keys = await setupGroth16(build(argmaxCircuit, logits.map(() => 0n)).r1cs);
    const proved = await proveGroth16(built.r1cs, built.witness, keys);
    expect(proved.publicSignals[0]).toBe("1");
    expect(await verifyGroth16(keys.vkey, proved.publicSignals, proved.proof)).toEqual({ ok: true });
    const claimed = [...proved.publicSignals];
    claimed[0] = "3"; // the other index holding the maximum
    expect((await verifyGroth16(keys.vkey, claimed, proved.proof)).ok).toBe(false);

    const mlp = build(mlpCircuit, [1n, 2n, 3n, 4n]);
    const mlpKeys = await setupGroth16(mlp.r1cs);
    const mlpProof = await proveGroth16(mlp.r1cs, mlp.witness, mlpKeys);
    expect((await verifyGroth16(keys.vkey, mlpProof.publicSignals, mlpProof.proof)).ok).toBe(false);
  });
});

describe("MLE claim on a committed tensor proven end to end", () => {
  it("proves commitment and MLE value; both match the outside computation; a changed value fails", async () => {
    const tensor = [3n, -1n, 4n, 1n, -5n, 9n, 2n, -6n];
    const point = [123456789n, 987654321n, 555555555555n];
    const built = build(mleClaimCircuit, { tensor, point });
    const keys = await setupGroth16(build(mleClaimCircuit, { tensor: tensor.map(() => 0n), point: [0n, 0n, 0n] }).r1cs);
    const proved = await proveGroth16(built.r1cs, built.witness, keys);
    expect(proved.publicSignals).toEqual([
      poseidonCommitTensor(tensor).toString(),
      mleEvaluateValues(tensor, point).toString(),
      ...point.map(String),
    ]);
    expect(await verifyGroth16(keys.vkey, proved.publicSignals, proved.proof)).toEqual({ ok: true });
    const forged = [...proved.publicSignals];
    forged[1] = String(BigInt(forged[1]!) + 1n);
    expect((await verifyGroth16(keys.vkey, forged, proved.proof)).ok).toBe(false);
    const otherPoint = [...proved.publicSignals];
    otherPoint[3] = "7";
    expect((await verifyGroth16(keys.vkey, otherPoint, proved.proof)).ok).toBe(false);
  });
});
