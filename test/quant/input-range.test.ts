/**
 * Inputs outside the calibrated range: a typed INPUT error by default (no silent clamping), clamped
 * with a warning recorded in the proof when asked; the proof's optional `warnings` field is parsed
 * strictly; hostile nesting depth in input JSON is a typed error, not a stack overflow.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { terminateSnarkjs } from "../../backends/groth16/keys.js";
import { quantiseCheckedInput } from "../../runtime/input-range.js";
import { MAX_INPUT_DEPTH, parseInputs } from "../../runtime/inputs.js";
import { prove } from "../../runtime/prove.js";
import { parseProof, serializeProof } from "../../runtime/proof.js";
import { verify } from "../../runtime/verify.js";
import { compile, filesOf, tinyClassifier } from "../link/helpers.js";

afterAll(async () => {
  await terminateSnarkjs();
});

const m = tinyClassifier(2, false);
const program = m.calibration.program;
const x = program.tensors.get("x")!;
const limit = x.maxAbs / 2 ** x.scale;

function errorOf(f: () => unknown): ZkcError {
  try {
    f();
  } catch (e) {
    if (e instanceof ZkcError) return e;
    throw e;
  }
  throw new Error("expected a ZkcError");
}

describe("out-of-range inputs", () => {
  it("are an INPUT error naming the input, position, value, range and scale", () => {
    for (const [bad, shown] of [
      [1e308, "1e308"],
      [2 ** 60, String(2 ** 60)],
      [-Infinity, "-Infinity"],
      [Infinity, "Infinity"],
      [limit * 1.5, String(limit * 1.5)],
    ] as const) {
      const e = errorOf(() => quantiseCheckedInput(program, "x", [0, 0, 0, bad, 0, 0]));
      expect(e.code).toBe("INPUT");
      expect(e.reason).toBe(`input x[3] = ${shown} is outside the calibrated range [-${limit}, ${limit}] at scale 2^${x.scale}`);
      expect(e.message).toMatch(/--clamp/);
    }
    const nan = errorOf(() => quantiseCheckedInput(program, "x", [0, NaN, 0, 0, 0, 0], true));
    expect(nan.reason).toBe("input x[1] = NaN is not a number");
    // in range, exactly at the bound: accepted unchanged
    const ok = quantiseCheckedInput(program, "x", [limit, -limit, 0, 0.5, 0, 0]);
    expect(ok.warning).toBeUndefined();
    expect(Array.from(ok.values.slice(0, 2))).toEqual([x.maxAbs, -x.maxAbs]);
  });

  it("with clamp: saturate at the bound and say so", () => {
    const r = quantiseCheckedInput(program, "x", [0, 1e308, -Infinity, 0, 2 ** 60, 0], true);
    expect(Array.from(r.values)).toEqual([0, x.maxAbs, -x.maxAbs, 0, x.maxAbs, 0]);
    expect(r.warning).toBe(`input x: clamped 3 value(s) outside the calibrated range [-${limit}, ${limit}] at scale 2^${x.scale} (first: x[1] = 1e308)`);
  });

  it("prove() refuses them; with clamp the proof carries the warning, survives the format and verifies", async () => {
    const c = await compile(m);
    const input = { x: [0.1, 0.2, 1e308, -0.3, 0, 0] };
    await expect(prove(c.manifest, filesOf(c), input)).rejects.toThrow(/input x\[2\] = 1e308 is outside the calibrated range/);
    const bundle = await prove(c.manifest, filesOf(c), input, { clamp: true });
    expect(bundle.warnings).toEqual([expect.stringMatching(/^input x: clamped 1 value\(s\) outside the calibrated range/)]);
    const text = serializeProof(bundle);
    const parsed = parseProof(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.proof.warnings).toEqual(bundle.warnings);
    expect((await verify(c.manifest, text, filesOf(c))).ok).toBe(true);
    // an in-range proof has no warnings field at all
    const clean = await prove(c.manifest, filesOf(c), m.input, { clamp: true });
    expect("warnings" in clean).toBe(false);
    expect(serializeProof(clean)).not.toContain("warnings");
    // the field is checked strictly
    const doc = JSON.parse(text);
    for (const bad of [[1], "clamped", [null], {}]) {
      const r = parseProof({ ...doc, warnings: bad });
      expect(r.ok ? "" : r.field).toBe("warnings");
    }
  });
});

describe("input JSON nesting", () => {
  const infos = [{ name: "x", dtype: "float32" as const, shape: [1, 6] }];
  const nest = (depth: number, inner: unknown): unknown => {
    let v = inner;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };

  it("a depth of 100000 is a typed error naming the file, not a stack overflow", () => {
    // built as JSON text and parsed, as the CLI reads it
    const text = `{"x": ${"[".repeat(100_000)}1${"]".repeat(100_000)}}`;
    const e = errorOf(() => parseInputs(JSON.parse(text), infos, "deep.json"));
    expect(e.code).toBe("INPUT");
    expect(e.message).toContain("deep.json");
    expect(e.reason).toBe(`input "x" is nested more than ${MAX_INPUT_DEPTH} arrays deep`);
  });

  it("nesting up to the limit still reads row-major; bad leaves are still reported", () => {
    expect(Array.from(parseInputs({ x: nest(MAX_INPUT_DEPTH - 1, [1, 2, 3, 4, 5, 6]) }, infos, "ok.json").x!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(parseInputs({ x: [[1, [2, 3]], [], [[4], 5, 6]] }, infos, "ok.json").x!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseInputs({ x: nest(MAX_INPUT_DEPTH, [1, 2, 3, 4, 5, 6]) }, infos, "f.json")).toThrow(/nested more than 64/);
    expect(() => parseInputs({ x: [[1, 2, "3", 4, 5, 6]] }, infos, "f.json")).toThrow(/holds "3", not a number/);
    expect(() => parseInputs({ x: [[1, 2, null, 4, 5, 6]] }, infos, "f.json")).toThrow(/holds null, not a number/);
  });
});
