/**
 * The zkc command on bad inputs and insecure keys: an out-of-range input value is refused with
 * exit 2 (or clamped with --clamp, a warning and a note in the proof), a hostile nesting depth is
 * a clean error naming the file, and a model compiled with --insecure-dev-setup is refused by
 * `zkc verify` and by the exported verifier unless explicitly allowed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyClassifierOnnx } from "../link/helpers.js";
import { isCleanError, zkc } from "./helpers.js";

let work: string;
const sample = { x: [[0.25, -0.5, 0.125, 0.75, -0.25, 0.5]] };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "zkc-cli-trust-"));
  writeFileSync(join(work, "tiny.onnx"), tinyClassifierOnnx(3, false, 1));
  writeFileSync(join(work, "input.json"), JSON.stringify(sample));
  const [safe, insecure] = await Promise.all([
    zkc(["compile", "tiny.onnx", "--calibrate", "input.json", "--scale", "7", "--dir", "out"], work),
    zkc(["compile", "tiny.onnx", "--calibrate", "input.json", "--scale", "7", "--backend", "groth16", "--insecure-dev-setup", "--dir", "insecure"], work),
  ]);
  expect(safe.code, safe.stderr).toBe(0);
  expect(insecure.code, insecure.stderr).toBe(0);
  expect(insecure.stderr).toMatch(/warning: --insecure-dev-setup: .*anyone can forge proofs/);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("zkc prove: inputs outside the calibrated range", () => {
  it("refuses 1e308 with exit 2, naming the input, position, range and file", async () => {
    writeFileSync(join(work, "huge.json"), `{"x": [[0, 0, 0, 1e308, 0, 0]]}`);
    const r = await zkc(["prove", "--input", "huge.json", "--dir", "out", "--out", "huge-proof.json"], work);
    expect(r.code).toBe(2);
    expect(isCleanError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/input x\[3\] = 1e308 is outside the calibrated range \[-[\d.]+, [\d.]+\] at scale 2\^7/);
    expect(r.stderr).toContain("huge.json");
    expect(r.stderr).toContain("--clamp");
  });

  it("with --clamp proves, warns, records the warning in the proof, and the proof verifies", async () => {
    writeFileSync(join(work, "big.json"), JSON.stringify({ x: [[0, 2 ** 60, 0, 0, 0, 0]] }));
    const r = await zkc(["prove", "--input", "big.json", "--dir", "out", "--out", "clamped.json", "--clamp"], work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: input x: clamped 1 value\(s\) outside the calibrated range .* \(first: x\[1\] = 1152921504606847000\)/);
    const proof = JSON.parse(readFileSync(join(work, "clamped.json"), "utf8"));
    expect(proof.warnings).toEqual([expect.stringMatching(/^input x: clamped 1 value/)]);
    const v = await zkc(["verify", "--dir", "out", "--proof", "clamped.json"], work);
    expect(v.code, v.stderr).toBe(0);
  });

  it("an input nested 100000 arrays deep is a clean error naming the file (no stack overflow)", async () => {
    writeFileSync(join(work, "deep.json"), `{"x": ${"[".repeat(100_000)}1${"]".repeat(100_000)}}`);
    const r = await zkc(["prove", "--input", "deep.json", "--dir", "out", "--out", "deep-proof.json"], work);
    expect(r.code).toBe(2);
    expect(isCleanError(r), r.stderr).toBe(true);
    expect(r.stderr).toContain("deep.json");
    expect(r.stderr).toMatch(/nested more than 64 arrays deep/);
    expect(r.stderr).not.toMatch(/call stack|internal error/);
  });
});

describe("keys from --insecure-dev-setup", () => {
  beforeAll(async () => {
    const p = await zkc(["prove", "--input", "input.json", "--dir", "insecure", "--json"], work);
    expect(p.code, p.stderr).toBe(0);
  });

  it("zkc verify refuses them (exit 1, reason printed) unless --allow-insecure-dev-keys", async () => {
    const r = await zkc(["verify", "--dir", "insecure"], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rejected: the Groth16 keys of this model come from the insecure development setup \(public seed\): anyone can forge proofs/);
    const j = await zkc(["verify", "--dir", "insecure", "--json"], work);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ verified: false, reason: expect.stringMatching(/insecure development setup/) });
    const ok = await zkc(["verify", "--dir", "insecure", "--allow-insecure-dev-keys"], work);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/warning: --allow-insecure-dev-keys/);
  });

  it("compile refuses --insecure-dev-setup together with --ptau", async () => {
    const r = await zkc(["compile", "tiny.onnx", "--calibrate", "input.json", "--ptau", "any.ptau", "--insecure-dev-setup", "--dir", "both"], work);
    expect(r.code).toBe(2);
    expect(isCleanError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/--ptau and --insecure-dev-setup exclude each other/);
  });

  it("the exported verifier refuses them unless called with allowInsecureDevKeys", async () => {
    const e = await zkc(["export-verifier", "--dir", "insecure", "--out", "ver"], work);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/warning: .*insecure development setup/);
    type Verifier = { verify(p: unknown, o?: { allowInsecureDevKeys?: boolean }): Promise<{ ok: boolean; reason?: string }> };
    const mod = (await import(pathToFileURL(join(work, "ver", "verifier.js")).href)) as Verifier;
    const proof = readFileSync(join(work, "insecure", "proof.json"), "utf8");
    const refused = await mod.verify(proof);
    expect(refused.ok).toBe(false);
    expect(refused.reason).toMatch(/insecure development setup \(public seed\)/);
    expect((await mod.verify(proof, { allowInsecureDevKeys: true })).ok).toBe(true);
  });
});
