/**
 * Range checking of model inputs before proving. A value beyond the calibrated range cannot be
 * proven as given: the circuits' widths assume |integer| <= the input's static bound. Silently
 * saturating it would prove an inference on a different input than the user passed, so it is an
 * error unless the caller asks for clamping (then a warning says what was changed, and the proof
 * records it).
 */
import { ZkcError } from "../compiler/errors.js";
import { quantiseValue } from "../compiler/quant/builder.js";
import type { QProgram } from "../compiler/quant/prim.js";
import { quantiseInput } from "./witness.js";

/** A number as people write it: 1e308, not 1e+308. */
function show(x: number): string {
  return String(x).replace("e+", "e");
}

/** `x[3]` for a vector, `x[0, 3]` for higher ranks (row-major position `i` in `shape`). */
function position(label: string, shape: readonly number[], i: number): string {
  const dims = shape.filter((d) => d !== 1).length <= 1 ? [i] : shape.map((_, k) => Math.floor(i / shape.slice(k + 1).reduce((a, b) => a * b, 1)) % shape[k]!);
  return `${label}[${dims.join(", ")}]`;
}

/** Result of {@link quantiseCheckedInput}. */
export interface CheckedInput {
  values: Float64Array;
  /** set when values were clamped (only with `clamp`): one line for people and the proof */
  warning?: string;
}

/**
 * Quantises one graph input for proving, refusing values outside the calibrated range.
 * @param clamp saturate out-of-range values (and ±Infinity) at the bound instead, with a warning
 * @throws ZkcError INPUT naming the input, the position, the value and the range (NaN always)
 */
export function quantiseCheckedInput(program: QProgram, name: string, floats: ArrayLike<number>, clamp = false): CheckedInput {
  const t = program.tensors.get(name);
  if (!t || t.kind !== "input") return { values: quantiseInput(program, name, floats).values }; // its own error
  const label = t.onnxName ?? name;
  const limit = t.maxAbs / 2 ** t.scale;
  const range = `[${show(-limit)}, ${show(limit)}] at scale 2^${t.scale}`;
  const finite = Array.from(floats, (x) => x);
  let first: number | undefined;
  let count = 0;
  for (let i = 0; i < finite.length; i++) {
    const x = finite[i]!;
    if (Number.isNaN(x)) {
      throw new ZkcError("INPUT", `input ${position(label, t.shape, i)} = NaN is not a number`, { hint: "inputs must be finite numbers" });
    }
    // same criterion as the quantiser's clamp: the integer exceeds the static bound
    const outside = !Number.isFinite(x) || Math.abs(quantiseValue(x, t.scale)) > t.maxAbs;
    if (!outside) continue;
    if (!clamp) {
      throw new ZkcError("INPUT", `input ${position(label, t.shape, i)} = ${show(x)} is outside the calibrated range ${range}`, {
        hint: "pass inputs within the range the model was calibrated for (recompile with --calibrate data that covers them), or prove with --clamp to saturate them at the bound",
      });
    }
    first ??= i;
    count++;
    finite[i] = Math.sign(x) * limit * 2; // beyond the bound, so the quantiser saturates it
  }
  const values = quantiseInput(program, name, finite).values;
  if (count === 0) return { values };
  const x0 = floats[first!]!;
  return { values, warning: `input ${label}: clamped ${count} value(s) outside the calibrated range ${range} (first: ${position(label, t.shape, first!)} = ${show(x0)})` };
}

/** The bundle with `warnings` set when there are any (the field stays absent otherwise). */
export function withWarnings<T extends object>(bundle: T, warnings: readonly string[]): T & { warnings?: string[] } {
  return warnings.length > 0 ? { ...bundle, warnings: [...warnings] } : bundle;
}
