/**
 * Bad input for every command: exit code 2 (usage/input) or 1 (proof rejected), one clear line,
 * no stack trace, and no half-written artifacts after a failure or an interrupt.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, ZKC, isCleanError, zkc } from "./helpers.js";

let work: string;
const mlp = join(FIXTURES, "mlp.onnx");
const mlpInput = join(FIXTURES, "mlp.input.json");

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "zkc-cli-bad-"));
  writeFileSync(join(work, "not-a-model.onnx"), "this is not protobuf");
  writeFileSync(join(work, "short.json"), JSON.stringify({ input_data: [[1, 2, 3]] }));
  writeFileSync(join(work, "garbage.json"), "{ not json");
  writeFileSync(join(work, "empty.onnx"), new Uint8Array(0));
  const c = await zkc(["compile", mlp, "--calibrate", mlpInput, "--dir", "good"], work);
  expect(c.code, c.stderr).toBe(0);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("bad input to zkc", () => {
  const cases: { name: string; args: string[]; code: number; pattern: RegExp }[] = [
    { name: "no command", args: [], code: 2, pattern: /give a command/ },
    { name: "unknown command", args: ["frobnicate"], code: 2, pattern: /Unknown argument|frobnicate/ },
    { name: "compile: missing model", args: ["compile", "nope.onnx", "--dir", "x1"], code: 2, pattern: /nope\.onnx: model file not found/ },
    { name: "compile: not an ONNX file", args: ["compile", "not-a-model.onnx", "--dir", "x2"], code: 2, pattern: /not-a-model\.onnx/ },
    { name: "compile: bad --scale", args: ["compile", mlp, "--scale", "99", "--dir", "x3"], code: 2, pattern: /--scale must be an integer from 0 to 24/ },
    { name: "compile: bad --backend", args: ["compile", mlp, "--backend", "plonk", "--dir", "x4"], code: 2, pattern: /Invalid values|plonk/ },
    { name: "compile: calibration data of the wrong length", args: ["compile", mlp, "--calibrate", "short.json", "--dir", "x5"], code: 2, pattern: /input "input" has 3 values \(expected 784/ },
    { name: "compile: hashed visibility with whole-model groth16", args: ["compile", mlp, "--backend", "groth16", "--output-visibility", "hashed", "--dir", "x7"], code: 2, pattern: /whole-model mode \(--backend groth16\) proves public inputs and outputs/ },
    { name: "compile: calibration file not JSON", args: ["compile", mlp, "--calibrate", "garbage.json", "--dir", "x6"], code: 2, pattern: /garbage\.json: calibration file is not valid JSON/ },
    { name: "prove: no compiled model", args: ["prove", "--input", mlpInput, "--dir", "missing"], code: 2, pattern: /no compiled model in missing/ },
    { name: "prove: --input missing", args: ["prove", "--dir", "good"], code: 2, pattern: /Missing required argument: input/ },
    { name: "prove: input of the wrong length", args: ["prove", "--input", "short.json", "--dir", "good"], code: 2, pattern: /short\.json: input "input" has 3 values/ },
    { name: "prove: input file not JSON", args: ["prove", "--input", "garbage.json", "--dir", "good"], code: 2, pattern: /not valid JSON/ },
    { name: "verify: no proof file", args: ["verify", "--dir", "good"], code: 2, pattern: /good: proof file not found \(neither proof\.bin nor proof\.json\)/ },
    { name: "verify: a proof that is not JSON is rejected", args: ["verify", "--dir", "good", "--proof", "garbage.json"], code: 1, pattern: /rejected: / },
    { name: "export-verifier: --out missing", args: ["export-verifier", "--dir", "good"], code: 2, pattern: /Missing required argument: out/ },
    { name: "export-verifier: no compiled model", args: ["export-verifier", "--dir", "missing", "--out", "v"], code: 2, pattern: /no compiled model/ },
    { name: "inspect: no compiled model", args: ["inspect", "--dir", "missing"], code: 2, pattern: /no compiled model/ },
    { name: "info: empty model file", args: ["info", "empty.onnx"], code: 2, pattern: /empty\.onnx/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await zkc(c.args, work);
      expect(r.code, r.stderr + r.stdout).toBe(c.code);
      expect(r.stderr).toMatch(c.pattern);
      if (c.code === 2) expect(isCleanError(r), r.stderr).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    });
  }

  it("a failed compile leaves no directory behind and keeps an existing one intact", async () => {
    for (const d of ["x1", "x2", "x3", "x5", "x6"]) expect(existsSync(join(work, d)), d).toBe(false);
    mkdirSync(join(work, "keep"));
    writeFileSync(join(work, "keep", "manifest.json"), "old");
    const r = await zkc(["compile", mlp, "--calibrate", "short.json", "--dir", "keep"], work);
    expect(r.code).toBe(2);
    expect(readFileSync(join(work, "keep", "manifest.json"), "utf8")).toBe("old");
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("Ctrl-C during compile leaves no half-written artifacts", async () => {
    // Groth16 keys take far longer than 1.5 s to build, so the interrupt lands mid-compile however
    // fast calibration is (a GKR-only lenet compile can finish within 1.5 s)
    const child = spawn(process.execPath, [ZKC, "compile", join(FIXTURES, "lenet.onnx"), "--backend", "groth16", "--dir", "interrupted"], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on("close", r));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGINT");
    const code = await closed;
    expect(code === 130 || code === 2 || code === null, `exit ${code}: ${stderr}`).toBe(true);
    expect(existsSync(join(work, "interrupted"))).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
