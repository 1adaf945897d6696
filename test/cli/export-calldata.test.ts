/**
 * Solidity users: `zkc export-verifier` says what each contract checks (header comment, README, CLI
 * output), and `--proof` writes public.json, a snarkjs proof and calldata per Groth16 kernel, which
 * snarkjs accepts as they are and rejects once public.json is changed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_MODULUS } from "../../backends/groth16/field.js";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { defaultBackends } from "../../backends/registry.js";
import { loadLinkedModel } from "../../runtime/link/model.js";
import type { CompiledModel } from "../../toolchain/compile.js";
import { exportCalldata } from "../../cli/commands/export-verifier.js";
import { clone, compile, filesOf, proveJson, tinyClassifier, tinyClassifierOnnx, type Json } from "../link/helpers.js";
import { zkc } from "./helpers.js";

afterAll(terminateSnarkjs);

async function checkExported(c: CompiledModel, proof: Json, kernel: string): Promise<string[]> {
  const out = await exportCalldata(c.manifest, filesOf(c), proof);
  const dir = `groth16/${kernel}`;
  const pub = JSON.parse(out.get(`${dir}/public.json`)!) as string[];
  const p = JSON.parse(out.get(`${dir}/proof.snarkjs.json`)!) as Json;
  const vkey = JSON.parse(out.get(`${dir}/vkey.json`)!) as Json;
  // decimal strings, canonical (negatives mod r)
  for (const s of pub) expect(/^[0-9]+$/.test(s) && BigInt(s) < FIELD_MODULUS, s).toBe(true);
  expect(await snarkjs.groth16.verify(vkey, pub, p)).toBe(true);
  const tampered = [...pub];
  tampered[0] = ((BigInt(tampered[0]!) + 1n) % FIELD_MODULUS).toString();
  expect(await snarkjs.groth16.verify(vkey, tampered, p)).toBe(false);
  // the calldata holds the proof points and the signals as hex words, in verifyProof's order
  const calldata = out.get(`${dir}/calldata.txt`)!;
  const words = JSON.parse(`[${calldata}]`) as unknown[];
  expect(words.length).toBe(4);
  expect((words[3] as string[]).map((h) => BigInt(h).toString())).toEqual(pub);
  return pub;
}

describe("Groth16 public signals and calldata", () => {
  it("whole-model plan: snarkjs verifies the exported files; the signals are the outputs, the inputs and the binding", async () => {
    const m = tinyClassifier(5, false, 1);
    const c = await compile(m, { backend: "groth16" });
    const { json } = await proveJson(c, m.input);
    const pub = await checkExported(c, json, "whole-model");
    const r = FIELD_MODULUS;
    const asField = (v: number) => (v < 0 ? r + BigInt(v) : BigInt(v)).toString();
    expect(pub.slice(0, -1)).toEqual([...json.outputs[0].integers, ...json.inputs[0].integers].map(asField));
    // the contract says it checks the whole model
    const model = await loadLinkedModel(c.manifest, filesOf(c), defaultBackends);
    const k = model.kernels[0]!;
    const sol = (await defaultBackends.get("groth16").exportVerifiers!(k.spec, k.artifacts, filesOf(c))).get("solidity/whole-model.sol")!;
    expect(sol.split("\n")[0]).toBe("// SPDX-License-Identifier: GPL-3.0");
    expect(sol).toMatch(/checks the WHOLE MODEL's statement/);
  });

  it("mixed plan: the ArgMax kernel's exported files verify; its contract says it checks that kernel only; a rejected proof is not exported", async () => {
    const m = tinyClassifier(1);
    const c = await compile(m, { backend: "auto" });
    const { json } = await proveJson(c, m.input);
    const g = c.manifest.kernels.find((k) => k.backend === "groth16")!;
    await checkExported(c, json, g.name);
    const model = await loadLinkedModel(c.manifest, filesOf(c), defaultBackends);
    const k = model.kernels.find((x) => x.entry.name === g.name)!;
    const sol = (await defaultBackends.get("groth16").exportVerifiers!(k.spec, k.artifacts, filesOf(c))).get(`solidity/${g.name}.sol`)!;
    expect(sol.split("\n")[0]).toBe("// SPDX-License-Identifier: GPL-3.0");
    expect(sol).toMatch(/NOT the whole model/);
    expect(sol).toMatch(/pragma solidity/);
    const bad = clone(json);
    bad.outputs[1].integers[0] = (bad.outputs[1].integers[0] + 1) % 4;
    await expect(exportCalldata(c.manifest, filesOf(c), bad)).rejects.toThrow(/does not verify/);
  });

  describe("zkc export-verifier --proof (CLI)", () => {
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), "zkc-cli-calldata-"));
      writeFileSync(join(work, "m.onnx"), tinyClassifierOnnx(5, false, 1));
      writeFileSync(join(work, "in.json"), JSON.stringify({ x: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6] }));
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it("prints and writes what the contract checks, and the files snarkjs verifies", async () => {
      for (const args of [
        ["compile", "m.onnx", "--backend", "groth16", "--calibrate", "in.json", "--dir", "d"],
        ["prove", "--input", "in.json", "--dir", "d"],
      ]) {
        const r = await zkc(args, work);
        expect(r.code, r.stderr).toBe(0);
      }
      const r = await zkc(["export-verifier", "--dir", "d", "--out", "v", "--proof", "d/proof.bin"], work);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/checks the whole model's statement/);
      expect(r.stdout).toMatch(/GPL-3.0/);
      const readme = readFileSync(join(work, "v", "README.md"), "utf8");
      expect(readme).toMatch(/whole-model mode/);
      expect(readme).toMatch(/GPL-3.0/);
      const dir = join(work, "v", "groth16", "whole-model");
      const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Json;
      expect(await snarkjs.groth16.verify(read("vkey.json"), read("public.json"), read("proof.snarkjs.json"))).toBe(true);
    }, 240_000);
  });
});
