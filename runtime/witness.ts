/**
 * Witness generator: the integer interpreter. Quantises graph inputs and runs the integer program
 * primitive by primitive with the shared semantics (compiler/quant/semantics.ts), yielding every
 * tensor's exact integers — the values the backends prove.
 */
import { ZkcError } from "../compiler/errors.js";
import { quantiseValue } from "../compiler/quant/builder.js";
import { atOrigin, type QProgram } from "../compiler/quant/prim.js";
import { evalPrim } from "../compiler/quant/semantics.js";

export interface QuantisedInput {
  values: Float64Array;
  /** how many values were outside the calibrated range and clamped */
  clamped: number;
}

/**
 * Quantises one graph input: round(x * 2^scale), clamped to the input's static bound (values
 * beyond the calibrated range saturate; the count is returned so callers can warn).
 * NaN and infinities are rejected.
 */
export function quantiseInput(program: QProgram, name: string, floats: ArrayLike<number>): QuantisedInput {
  const t = program.tensors.get(name);
  if (!t || t.kind !== "input") throw new ZkcError("INPUT", `"${name}" is not an input of the model`, { hint: `inputs: ${program.inputs.join(", ")}` });
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (floats.length !== n) {
    throw new ZkcError("INPUT", `input "${name}" has ${floats.length} values`, { expected: `${n} (shape [${t.shape.join(", ")}])`, got: String(floats.length) });
  }
  const values = new Float64Array(n);
  let clamped = 0;
  for (let i = 0; i < n; i++) {
    const x = floats[i]!;
    if (!Number.isFinite(x)) {
      throw new ZkcError("INPUT", `input "${name}" holds ${x} at position ${i}`, { hint: "inputs must be finite numbers" });
    }
    let v = quantiseValue(x, t.scale);
    if (Math.abs(v) > t.maxAbs) {
      v = Math.sign(v) * t.maxAbs;
      clamped++;
    }
    values[i] = v;
  }
  return { values, clamped };
}

/** Runs the program on quantised inputs; returns every tensor's integers (params included). */
export function runProgram(program: QProgram, inputs: ReadonlyMap<string, Float64Array>): Map<string, Float64Array> {
  const env = new Map<string, Float64Array>();
  for (const t of program.tensors.values()) if (t.values) env.set(t.name, t.values);
  for (const name of program.inputs) {
    const v = inputs.get(name);
    if (!v) throw new ZkcError("INPUT", `missing value for input "${name}"`);
    env.set(name, v);
  }
  program.prims.forEach((p, i) => {
    try {
      env.set(p.out, evalPrim(p, env));
    } catch (e) {
      throw e instanceof ZkcError ? atOrigin(e, program.origins?.[i], `primitive ${p.op}`) : e;
    }
  });
  return env;
}

/** Integers at `scale` back to reals. */
export function dequantise(values: Float64Array, scale: number): Float64Array {
  const out = new Float64Array(values.length);
  const f = 2 ** -scale;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * f;
  return out;
}
