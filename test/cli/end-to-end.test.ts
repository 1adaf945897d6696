/**
 * The zkc command end to end on the fixture MLP: compile -> prove (JSON with --json, then the
 * default binary proof.bin) -> verify, verify --json close to the float model, a tampered proof
 * rejected with exit 1, the exported verifier imported in Node (binary and JSON), inspect (text,
 * HTML, --proof).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFloat } from "../../compiler/float/interpret.js";
import { tensor } from "../../compiler/ir/tensor.js";
import { loadModelFile } from "../../compiler/onnx/load.js";
import { FIXTURES, zkc } from "./helpers.js";

let work: string;
let proveStderr = "";
const model = join(FIXTURES, "mlp.onnx");
const input = join(FIXTURES, "mlp.input.json");

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "zkc-cli-"));
  const c = await zkc(["compile", model, "--calibrate", input, "--dir", "out"], work);
  expect(c.code, c.stderr).toBe(0);
  // JSON first, then binary: verify's default takes the newer, proof.bin
  const j = await zkc(["prove", "--input", input, "--dir", "out", "--json"], work);
  expect(j.code, j.stderr).toBe(0);
  const p = await zkc(["prove", "--input", input, "--dir", "out"], work);
  expect(p.code, p.stderr).toBe(0);
  proveStderr = p.stderr;
  expect(p.stdout).toMatch(/wrote out\/proof\.bin/);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("zkc on the fixture MLP", () => {
  it("prove prints one line per finished step (not a terminal), each with its own time", () => {
    const stats = JSON.parse(readFileSync(join(work, "out", "prove-stats.json"), "utf8")) as { witnessSeconds: number; commitSeconds: number; kernels: { name: string }[] };
    const secs = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;
    expect(proveStderr).toContain(`witness done in ${secs(stats.witnessSeconds)}\n`);
    expect(proveStderr).toContain(`commit done in ${secs(stats.commitSeconds)}\n`);
    const n = stats.kernels.length;
    // kernels finish in reverse order (claims flow backward): the last kernel is reported first
    expect(proveStderr).toMatch(new RegExp(`^kernel ${stats.kernels[n - 1]!.name} \\(gkr\\) \\(1/${n}\\) done in [0-9.]+ s; [0-9.]+ s elapsed, about [0-9.]+ s left$`, "m"));
    expect(proveStderr).toMatch(new RegExp(`^kernel ${stats.kernels[0]!.name} \\(gkr\\) \\(${n}/${n}\\) done in [0-9.]+ s; [0-9.]+ s elapsed$`, "m"));
    expect(proveStderr).not.toMatch(/done done/);
    expect(proveStderr).not.toMatch(/\x1b/);
  });

  it("compile wrote the artifacts and printed the quantisation, accuracy and plan", async () => {
    for (const f of ["manifest.json", "program.json", "weights.bin", "quantisation.json", "plan.json"]) expect(existsSync(join(work, "out", f)), f).toBe(true);
    const q = JSON.parse(readFileSync(join(work, "out", "quantisation.json"), "utf8"));
    expect(q.accuracy.outputs[0].worstRelL2).toBeLessThan(1e-2);
  });

  it("verify accepts (exit 0) and --json gives outputs close to the float model", async () => {
    const v = await zkc(["verify", "--dir", "out"], work);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/verified in \d+ ms/);
    const j = await zkc(["verify", "--dir", "out", "--json"], work);
    expect(j.code).toBe(0);
    const result = JSON.parse(j.stdout);
    expect(result.verified).toBe(true);
    const g = loadModelFile(model);
    const data = JSON.parse(readFileSync(input, "utf8")).input_data[0] as number[];
    const float = runFloat(g, { [g.inputs[0]!.name]: tensor("float32", g.inputs[0]!.shape, Float64Array.from(data)) }).get(g.outputs[0]!.name)!;
    const got = result.outputs[g.outputs[0]!.name];
    expect(got.shape).toEqual([1, 10]);
    let num = 0;
    let den = 0;
    float.data.forEach((f, i) => ((num += (got.data[i] - f) ** 2), (den += f * f)));
    expect(Math.sqrt(num / den)).toBeLessThan(1e-2);
  });

  it("a tampered proof is rejected with exit 1 and a reason; --json says verified: false", async () => {
    const proof = JSON.parse(readFileSync(join(work, "out", "proof.json"), "utf8"));
    proof.outputs[0].integers[3] += 1;
    proof.outputs[0].floats[3] = proof.outputs[0].integers[3] / 2 ** proof.outputs[0].scale;
    writeFileSync(join(work, "bad.json"), JSON.stringify(proof));
    const v = await zkc(["verify", "--dir", "out", "--proof", "bad.json"], work);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/^rejected: /m);
    const j = await zkc(["verify", "--dir", "out", "--proof", "bad.json", "--json"], work);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).verified).toBe(false);
  });

  it("the exported verifier is one ES module that verifies in Node and rejects tampering", async () => {
    const e = await zkc(["export-verifier", "--dir", "out", "--out", "ver"], work);
    expect(e.code, e.stderr).toBe(0);
    const mod = (await import(pathToFileURL(join(work, "ver", "verifier.js")).href)) as { verify(p: unknown): Promise<{ ok: boolean; reason?: string; outputs?: { floats?: number[] }[] }> };
    const good = await mod.verify(readFileSync(join(work, "out", "proof.json"), "utf8"));
    expect(good.ok, good.reason).toBe(true);
    const bin = await mod.verify(new Uint8Array(readFileSync(join(work, "out", "proof.bin"))));
    expect(bin.ok, bin.reason).toBe(true);
    expect(statSync(join(work, "out", "proof.bin")).size).toBeLessThan(statSync(join(work, "out", "proof.json")).size * 0.6);
    const bad = await mod.verify(readFileSync(join(work, "bad.json"), "utf8"));
    expect(bad.ok).toBe(false);
    expect(await mod.verify("not json")).toMatchObject({ ok: false });
    // self-contained: no imports left in the bundle
    expect(readFileSync(join(work, "ver", "verifier.js"), "utf8")).not.toMatch(/\bfrom\s*["'](node:|\.\.?\/)/);
  });

  it("inspect --proof prints a binary proof as the JSON form; verify reads either form by content", async () => {
    const i = await zkc(["inspect", "--proof", "out/proof.bin"], work);
    expect(i.code, i.stderr).toBe(0);
    const shown = JSON.parse(i.stdout);
    expect(shown).toMatchObject({ format: "zkc-proof", version: 1 });
    expect(shown.kernels.map((k: { name: string }) => k.name)).toEqual(["k0", "k1"]);
    expect(i.stderr).toMatch(/binary, [0-9.]+ KiB \([0-9.]+ KiB as JSON\)/);
    // a binary proof under a .json name still verifies (the form is in its first bytes)
    writeFileSync(join(work, "bin-named.json"), readFileSync(join(work, "out", "proof.bin")));
    expect((await zkc(["verify", "--dir", "out", "--proof", "bin-named.json"], work)).code).toBe(0);
    const bad = readFileSync(join(work, "out", "proof.bin"));
    bad[bad.length - 40]! ^= 4;
    writeFileSync(join(work, "bad.bin"), bad);
    const v = await zkc(["verify", "--dir", "out", "--proof", "bad.bin"], work);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/^rejected: /m);
  });

  it("inspect prints the plan with measured times and writes the graph page", async () => {
    const i = await zkc(["inspect", "--dir", "out", "--html", "plan.html"], work);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/k0\s+Gemm, Relu \(matmul/);
    const html = readFileSync(join(work, "plan.html"), "utf8");
    expect(html).toMatch(/<svg id="graph"/);
    expect(html).toMatch(/k0 · gkr/);
  });
});
